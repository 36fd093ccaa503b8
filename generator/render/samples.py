"""Code samples for an operation: curl, Python `httpx` and JavaScript `fetch`.

Path parameters are filled with their example values (or shown as `<name>` placeholders),
required query parameters and headers are included, and the body is the example shown on the
page. Everything is quoted for its language: `curl` is the one place shell commands are written,
with `shlex.quote` (single quotes, so `$`, backticks and `!` stay text when pasted).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from generator.model.api import Operation

# Where FastAPI apps listen by default (`uvicorn`, `fastapi dev`): used when no base URL is set.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
# Widest `json=` argument kept on one line: beside `httpx.request("POST", url, ` it stays readable.
_ONE_LINE_JSON = 72


@dataclass(frozen=True)
class Request:
    """A concrete request: method, full URL, headers and an optional JSON body."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: Any = None
    has_body: bool = False
    json_response: bool = True  # whether a successful answer carries JSON to print


def example_request(
    op: Operation,
    base_url: str,
    body: Any = None,
    has_body: bool = False,
    *,
    placeholders: bool = False,
) -> Request:
    """The request a reader would send, built from the operation's examples.

    With `placeholders`, path parameters are left for the reader to fill in: `/flows/<id>`.
    """
    path = re.sub(r"\{([^}/]+)\}", r"<\1>", op.path) if placeholders else op.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for p in op.parameters:
        value = _text(p.example)
        if p.location == "path":
            path = path.replace("{" + p.name + "}", quote(value, safe=""))
        elif p.required and p.location == "query":
            query.append((p.name, value))
        elif p.required and p.location == "header":
            headers.append((p.name, value))
    if has_body:
        headers.append(("Content-Type", "application/json"))
    url = (base_url or DEFAULT_BASE_URL).rstrip("/") + path
    url += f"?{urlencode(query)}" if query else ""
    json_response = any(
        r.status.startswith("2") and r.media_type and "json" in r.media_type for r in op.responses
    )
    return Request(op.method, url, tuple(headers), body, has_body, json_response)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if value is not None else "value"


def curl(request: Request) -> str:
    """The request as a shell command; every argument goes through `shlex.quote`."""
    # `-d` alone makes curl send POST, so any other method with a body is named.
    named = request.method != "GET" or request.has_body
    parts = ["curl"] + (["-X", shlex.quote(request.method)] if named else [])
    lines = [" ".join([*parts, shlex.quote(request.url)])]
    lines += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in request.headers]
    if request.has_body:
        lines.append(f"-d {shlex.quote(json.dumps(request.body, ensure_ascii=False))}")
    return " \\\n  ".join(lines)


def python_httpx(request: Request) -> str:
    """The request as a Python `httpx` call."""
    args = [json.dumps(request.method), json.dumps(request.url, ensure_ascii=False)]
    if request.has_body:
        args.append(f"json={_python_literal(request.body)}")
    headers = {k: v for k, v in request.headers if k != "Content-Type"}
    if headers:
        args.append(f"headers={json.dumps(headers, ensure_ascii=False)}")
    call = ",\n    ".join(args)
    return (
        f"import httpx\n\nresponse = httpx.request(\n    {call},\n)\n"
        "response.raise_for_status()\n"
        + ("print(response.json())" if request.json_response else "print(response.status_code)")
    )


def javascript_fetch(request: Request) -> str:
    """The request as a JavaScript `fetch` call."""
    options = [f"method: {json.dumps(request.method)}"]
    if request.headers:
        options.append(f"headers: {json.dumps(dict(request.headers), ensure_ascii=False)}")
    if request.has_body:
        body = json.dumps(request.body, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        options.append(f"body: JSON.stringify({body})")
    joined = ",\n  ".join(options)
    return f"const response = await fetch({json.dumps(request.url)}, {{\n  {joined},\n}});\n" + (
        "console.log(await response.json());"
        if request.json_response
        else "console.log(response.status);"
    )


def _python_literal(value: Any) -> str:
    """JSON data as Python source (true/false/null spelled the Python way).

    On one line when it fits beside `json=` in a call.
    """
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > _ONE_LINE_JSON:
        text = json.dumps(value, ensure_ascii=False, indent=4).replace("\n", "\n    ")
    return _pythonise(text)


def _pythonise(text: str) -> str:
    out = []
    in_string = False
    escaped = False
    word = ""
    for ch in text + " ":
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch.isalpha():
            word += ch
            continue
        if word:
            out.append({"true": "True", "false": "False", "null": "None"}.get(word, word))
            word = ""
        if ch == '"':
            in_string = True
        out.append(ch)
    return "".join(out)[:-1]
