"""The status line: drawn in place on a terminal, silent in pipes and CI."""

from __future__ import annotations

import io

import pytest

from generator.progress import Status


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_step_and_a_cleared_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    status = Status(screen)
    status.step("loading the document")
    status.step("rendering")
    status.done()
    text = screen.getvalue()
    assert text.startswith("\rrestref: loading the document (")
    assert "\rrestref: rendering (" in text
    assert text.endswith("\r")
    last = text.rsplit("\r", 2)[-2]
    assert not last.strip()  # the line is blanked before the summary is printed


@pytest.mark.parametrize("ci", [None, "true"])
def test_pipes_and_ci_see_nothing(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
        stream: io.StringIO = io.StringIO()  # not a terminal
    else:
        monkeypatch.setenv("CI", ci)
        stream = Terminal()
    status = Status(stream)
    status.step("rendering")
    status.done()
    assert stream.getvalue() == ""
