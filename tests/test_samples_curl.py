"""`samples.curl` writes every shell command of the output: one quoting rule, `shlex.quote`."""

from __future__ import annotations

import json
import shlex

from generator.render.samples import Request, curl


def _args(command: str) -> list[str]:
    return shlex.split(command.replace("\\\n", " "))


def test_arguments_come_back_exactly() -> None:
    url = "https://api.example/$HOME/`id`/!#/o'brien?q=a b"
    body = {"note": "it's $(rm -rf ~) `id` !!"}
    request = Request("POST", url, (("X-Token", "$SECRET"),), body, has_body=True)
    args = _args(curl(request))
    assert args[:4] == ["curl", "-X", "POST", url]
    assert args[4:6] == ["-H", "X-Token: $SECRET"]
    assert json.loads(args[7]) == body


def test_a_get_with_a_body_names_its_method() -> None:
    # `-d` alone would make curl send POST.
    with_body = Request("GET", "http://h/search", (), {"q": 1}, has_body=True)
    assert _args(curl(with_body))[:3] == ["curl", "-X", "GET"]
    assert _args(curl(Request("GET", "http://h/items", ()))) == ["curl", "http://h/items"]
