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
from typing import Any
from urllib.parse import quote

from generator.render.request import (
    DEFAULT_BASE_URL,
    Credential,
    Request,
    example_request,
    file_fields,
    form_fields,
    raw_text,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "Request",
    "curl",
    "example_request",
    "javascript_fetch",
    "python_httpx",
]

# Widest `json=` argument kept on one line: beside `httpx.request("POST", url, ` it stays readable.
_ONE_LINE_JSON = 72
# Text that needs no quoting inside double quotes (no `$`, backtick, `\`, `"` or `!`): the
# only spec text a credential argument may hold beside its `$VARIABLE`.
_PLAIN = re.compile(r"[A-Za-z0-9_.,:;/?&=%~+ -]*")
# What httpx sets itself for `json=`, `data=` and `files=`: not repeated in `headers=`.
_IMPLIED = {"json": "application/json", "form": "application/x-www-form-urlencoded"}


def _shell_with_secret(text: str, env: str) -> str:
    """`text` followed by the value of `$env`, as one shell word: the variable expands."""
    if _PLAIN.fullmatch(text):
        return f'"{text}${env}"'
    return f'{shlex.quote(text)}"${env}"'


def _query_credential(request: Request) -> Credential | None:
    return next((c for c in request.credentials if c.where == "query"), None)


def _secret_url(request: Request, key: Credential) -> str:
    """The URL up to the `=` after which the query credential goes."""
    joiner = "&" if "?" in request.url else "?"
    return f"{request.url}{joiner}{quote(key.name, safe='')}="


def curl(request: Request) -> str:
    """The request as a shell command; every argument goes through `shlex.quote`.

    Credentials are the exception that proves the rule: `"Authorization: Bearer $API_TOKEN"`
    is double-quoted so the variable expands, and holds no other spec text unless that text
    is plain (letters, digits, punctuation without shell meaning); otherwise the spec text is
    single-quoted and only `"$API_TOKEN"` is double-quoted.
    """
    # `-d` alone makes curl send POST, so any other method with a body is named.
    named = request.method != "GET" or request.has_body
    parts = ["curl"] + (["-X", shlex.quote(request.method)] if named else [])
    key = _query_credential(request)
    url = (
        _shell_with_secret(_secret_url(request, key), key.env) if key else shlex.quote(request.url)
    )
    lines = [" ".join([*parts, url])]
    for c in request.credentials:
        if c.where == "basic":
            lines.append(f'-u "${c.env}:${c.password_env}"')
        elif c.where == "header":
            lines.append(f"-H {_shell_with_secret(f'{c.name}: {c.prefix}', c.env)}")
    lines += [f"-H {shlex.quote(f'{k}: {v}')}" for k, v in request.headers]
    if request.has_body:
        lines += _curl_body(request)
    return " \\\n  ".join(lines)


def _curl_body(request: Request) -> list[str]:
    kind = request.kind
    if kind == "form":
        return [
            f"--data-urlencode {shlex.quote(quote(k, safe='[]') + '=' + v)}"
            for k, v in form_fields(request)
        ]
    if kind == "multipart":
        # `-F` reads a file for a value starting with `@` or `<` and parses `;type=`: any
        # value that could be taken so is sent with `--form-string`, which takes it as it is.
        fields = [
            f"{'--form-string' if _form_special(v) else '-F'} {shlex.quote(f'{k}={v}')}"
            for k, v in form_fields(request)
        ]
        return fields + [f"-F {shlex.quote(f'{k}=@{f}')}" for k, f in file_fields(request)]
    if kind == "binary":
        return [f"--data-binary {shlex.quote('@' + request.file_name)}"]
    if kind == "text":
        text = raw_text(request)
        # `--data-binary @name` would read a file: a text starting with `@` goes as raw data.
        return [f"{'--data-raw' if text.startswith('@') else '--data-binary'} {shlex.quote(text)}"]
    return [f"-d {shlex.quote(json.dumps(request.body, ensure_ascii=False))}"]


def _lit(value: Any) -> str:
    """A string or JSON value as a Python or JavaScript literal (the JSON spelling fits both)."""
    return json.dumps(value, ensure_ascii=False)


def _boundary(request: Request) -> bool:
    """Whether the library writes the multipart Content-Type itself, with its boundary."""
    return request.kind == "multipart"


def _form_special(value: str) -> bool:
    return value.startswith(("@", "<")) or any(c in value for c in ';,"')


def python_httpx(request: Request) -> str:
    """The request as a Python `httpx` call; secrets come from `os.environ`."""
    args = [json.dumps(request.method), json.dumps(request.url, ensure_ascii=False)]
    key = _query_credential(request)
    if key:
        args.append(f"params={{{json.dumps(key.name)}: os.environ[{json.dumps(key.env)}]}}")
    implied = _IMPLIED.get(request.kind) if request.has_body else None
    headers = [
        f"{json.dumps(c.name)}: {_py_secret(c)}" for c in request.credentials if c.where == "header"
    ] + [
        f"{_lit(k)}: {_lit(v)}"
        for k, v in request.headers
        if not (
            k == "Content-Type" and (not request.has_body or v == implied or _boundary(request))
        )
    ]
    if headers:
        args.append("headers={" + ", ".join(headers) + "}")
    basic = next((c for c in request.credentials if c.where == "basic"), None)
    if basic:
        args.append(f'auth=(os.environ["{basic.env}"], os.environ["{basic.password_env}"])')
    if request.has_body:
        args += _httpx_body(request)
    imports = ["import os"] if request.credentials else []
    if request.kind == "binary" and request.has_body:
        imports.append("from pathlib import Path")
    call = ",\n    ".join(args)
    return (
        "\n".join([*imports, "", "import httpx"] if imports else ["import httpx"])
        + f"\n\nresponse = httpx.request(\n    {call},\n)\n"
        "response.raise_for_status()\n"
        + ("print(response.json())" if request.json_response else "print(response.status_code)")
    )


def _py_secret(c: Credential) -> str:
    value = f"os.environ[{json.dumps(c.env)}]"
    return f"{json.dumps(c.prefix)} + {value}" if c.prefix else value


def _httpx_body(request: Request) -> list[str]:
    kind = request.kind
    if kind in ("form", "multipart"):
        grouped: dict[str, list[str]] = {}
        for k, v in form_fields(request):
            grouped.setdefault(k, []).append(v)
        data = {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}
        files = file_fields(request)
        if kind == "multipart" and not files and data:
            # httpx sends `data=` alone form-encoded: text parts go as files without a name.
            parts = ", ".join(
                f"({json.dumps(k)}, (None, {json.dumps(v, ensure_ascii=False)}))"
                for k, v in form_fields(request)
            )
            return [f"files=[{parts}]"]
        out = [f"data={_python_literal(data)}"] if data or kind == "form" else []
        if kind == "multipart" and files:
            entries = ", ".join(f'{json.dumps(k)}: open({json.dumps(f)}, "rb")' for k, f in files)
            out.append(f"files={{{entries}}}")
        return out
    if kind == "binary":
        return [f"content=Path({json.dumps(request.file_name)}).read_bytes()"]
    if kind == "text":
        return [f"content={json.dumps(raw_text(request), ensure_ascii=False)}"]
    return [f"json={_python_literal(request.body)}"]


def javascript_fetch(request: Request) -> str:
    """The request as a JavaScript `fetch` call (Node 20).

    Secrets come from `process.env`, files through `openAsBlob` from `node:fs`.
    """
    options = [f"method: {json.dumps(request.method)}"]
    headers = [
        f"{json.dumps(c.name)}: {_js_secret(c)}" for c in request.credentials if c.where == "header"
    ]
    headers += [
        f"{json.dumps(c.name if c.where == 'header' else 'Authorization')}: "
        f'"Basic " + btoa(process.env.{c.env} + ":" + process.env.{c.password_env})'
        for c in request.credentials
        if c.where == "basic"
    ]
    headers += [
        f"{_lit(k)}: {_lit(v)}"
        for k, v in request.headers
        if not (k == "Content-Type" and request.has_body and request.kind in ("form", "multipart"))
    ]
    if headers:
        options.append("headers: {" + ", ".join(headers) + "}")
    before: list[str] = []
    if request.has_body:
        body, before = _fetch_body(request)
        options.append(f"body: {body}")
    key = _query_credential(request)
    url = (
        f"{json.dumps(_secret_url(request, key))} + encodeURIComponent(process.env.{key.env})"
        if key
        else json.dumps(request.url)
    )
    joined = ",\n  ".join(options)
    return (
        "".join(before)
        + f"const response = await fetch({url}, {{\n  {joined},\n}});\n"
        + (
            "console.log(await response.json());"
            if request.json_response
            else "console.log(response.status);"
        )
    )


def _js_secret(c: Credential) -> str:
    value = f"process.env.{c.env}"
    return f"{json.dumps(c.prefix)} + {value}" if c.prefix else value


_OPEN_AS_BLOB = 'import { openAsBlob } from "node:fs";\n\n'


def _fetch_body(request: Request) -> tuple[str, list[str]]:
    """The `body:` value and the statements that must come before the call."""
    kind = request.kind
    if kind == "form":
        pairs = [f"[{_lit(k)}, {_lit(v)}]" for k, v in form_fields(request)]
        if len(", ".join(pairs)) <= _ONE_LINE_JSON:
            return f"new URLSearchParams([{', '.join(pairs)}])", []
        return "new URLSearchParams([\n" + "".join(f"    {p},\n" for p in pairs) + "  ])", []
    if kind == "multipart":
        lines = ["const form = new FormData();\n"]
        lines += [f"form.append({_lit(k)}, {_lit(v)});\n" for k, v in form_fields(request)]
        files = file_fields(request)
        lines += [
            f"form.append({json.dumps(k)}, await openAsBlob({json.dumps(f)}), {json.dumps(f)});\n"
            for k, f in files
        ]
        return "form", [_OPEN_AS_BLOB if files else "", *lines]
    if kind == "binary":
        return f"await openAsBlob({json.dumps(request.file_name)})", [_OPEN_AS_BLOB]
    if kind == "text":
        return json.dumps(raw_text(request), ensure_ascii=False), []
    body = json.dumps(request.body, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return f"JSON.stringify({body})", []


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
