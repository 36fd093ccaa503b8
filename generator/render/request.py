"""The request a code sample sends, worked out once for the three languages of `samples`.

The URL (servers resolved, path parameters filled with realistic values), the headers, the
credentials the operation's security asks for, and the body in its own media type: JSON, form
fields, multipart fields and files, text, or a file's bytes.

Credentials are never written into a sample: they are read from environment variables, one
convention everywhere (`$API_TOKEN` in shell, `os.environ["API_TOKEN"]` in Python,
`process.env.API_TOKEN` in JavaScript): `API_TOKEN` for bearer, OAuth 2 and OpenID Connect,
`API_KEY` for API keys (`API_KEY_2`, ... when one requirement needs several), `API_USER` and
`API_PASSWORD` for HTTP basic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from generator.model.api import Operation
from generator.model.security import SecurityScheme

# Where FastAPI apps listen by default (`uvicorn`, `fastapi dev`): used when neither the
# options nor the document give an absolute base URL, and documented as a placeholder.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# File names samples upload, by media type; anything else is `file.bin`.
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "application/pdf": "pdf",
    "application/zip": "zip",
    "text/csv": "csv",
    "application/json": "json",
}


@dataclass(frozen=True)
class Credential:
    """A secret a request carries, read from the environment variable `env`.

    `where` is `header` (sent as `prefix` + the secret), `query` or `basic` (`env` is the
    user's variable, `password_env` the password's).
    """

    where: str
    name: str
    env: str
    prefix: str = ""
    password_env: str = ""


@dataclass(frozen=True)
class Request:
    """A concrete request: method, full URL, headers, credentials and an optional body.

    `kind` says how the body is written (see `generator.model.parts.media_kind`); `files`
    names the multipart fields sent as files, `deep_objects` the form fields written with
    brackets (`address[city]=...`) even when they hold lists.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: Any = None
    has_body: bool = False
    json_response: bool = True  # whether a successful answer carries JSON to print
    kind: str = "json"
    files: tuple[str, ...] = ()
    deep_objects: tuple[str, ...] = ()
    credentials: tuple[Credential, ...] = ()
    file_name: str = "file.bin"  # the file a binary body is read from

    @property
    def content_type(self) -> str:
        """The Content-Type header the request declares ("" when none)."""
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


def base_url_for(op: Operation, configured: str) -> str:
    """The base URL of `op`'s samples: its own server, else `configured`, made absolute.

    An operation's (or path item's) absolute `servers` entry wins, since it names another
    host; a relative one, and a relative document server, are joined to `DEFAULT_BASE_URL`.
    """
    base = configured.rstrip("/")
    own = op.servers[0].rstrip("/") if op.servers else ""
    if own:
        base = own if _ABSOLUTE.match(own) else _origin(base) + "/" + own.lstrip("/")
    if not _ABSOLUTE.match(base):
        base = DEFAULT_BASE_URL + ("/" + base.lstrip("/") if base.strip("/") else "")
    return base.rstrip("/")


def _origin(url: str) -> str:
    match = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", url)
    return match.group(0) if match else DEFAULT_BASE_URL


def example_request(
    op: Operation,
    base_url: str,
    body: Any = None,
    has_body: bool = False,
    *,
    placeholders: bool = False,
    schemes: Iterable[SecurityScheme] = (),
) -> Request:
    """The request a reader would send, built from the operation's examples.

    With `placeholders`, path parameters are left for the reader to fill in: `/flows/<id>`.
    `schemes` are the document's security schemes: the operation's first requirement is sent.
    """
    path = re.sub(r"\{([^}/]+)\}", r"<\1>", op.path) if placeholders else op.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for p in op.parameters:
        value = text_value(p.example)
        if p.location == "path":
            path = path.replace("{" + p.name + "}", quote(value, safe=""))
        elif p.required and p.location == "query":
            query.append((p.name, value))
        elif p.required and p.location == "header":
            headers.append((p.name, value))
    spec = op.request_body
    kind = spec.kind if spec is not None else "json"
    if has_body and kind in ("form", "multipart") and not isinstance(body, dict):
        kind = "text"  # an author's example written out as the raw body
    media_type = spec.media_type if spec is not None else "application/json"
    media_type = _declared(media_type, kind)
    if has_body and not media_type.lower().startswith("multipart/form-data"):
        headers.append(("Content-Type", media_type))
    url = base_url_for(op, base_url) + path
    url += f"?{urlencode(query)}" if query else ""
    json_response = any(
        r.status.startswith("2") and r.media_type and "json" in r.media_type for r in op.responses
    )
    return Request(
        op.method,
        url,
        tuple(headers),
        body,
        has_body,
        json_response,
        kind=kind,
        files=spec.files if spec is not None else (),
        deep_objects=spec.deep_objects if spec is not None else (),
        credentials=credentials(op, schemes),
        file_name=f"file.{_EXTENSIONS.get(media_type.split(';')[0].strip().lower(), 'bin')}",
    )


# A concrete type for each family a `type/*` range names (`image/*` -> `image/png`).
_TYPICAL = {
    "image": "image/png",
    "text": "text/plain",
    "audio": "audio/mpeg",
    "video": "video/mp4",
    "application": "application/octet-stream",
}


def _declared(media_type: str, kind: str) -> str:
    """The Content-Type to send: a range (`*/*`, `image/*`) becomes a concrete type in it."""
    if "*" not in media_type:
        return media_type
    family = media_type.split("/", 1)[0].strip().lower()
    if kind == "json" and family in ("*", "application"):
        return "application/json"
    return _TYPICAL.get(family, "application/octet-stream")


def credentials(op: Operation, schemes: Iterable[SecurityScheme]) -> tuple[Credential, ...]:
    """What the operation's first security requirement asks a request to carry."""
    if not op.security:
        return ()
    by_name = {s.name: s for s in schemes}
    found: list[Credential] = []
    keys = 0
    for name, _scopes in op.security[0].schemes:
        scheme = by_name.get(name)
        if scheme is None:
            continue
        if scheme.type == "apiKey":
            keys += 1
            env = "API_KEY" if keys == 1 else f"API_KEY_{keys}"
            if scheme.location == "query":
                found.append(Credential("query", scheme.parameter, env))
            elif scheme.location == "cookie":
                found.append(Credential("header", "Cookie", env, f"{scheme.parameter}="))
            else:
                found.append(Credential("header", scheme.parameter, env))
        elif scheme.type == "http" and scheme.scheme == "basic":
            found.append(Credential("basic", "", "API_USER", password_env="API_PASSWORD"))
        elif scheme.type in ("http", "oauth2", "openIdConnect"):
            word = "Bearer" if scheme.scheme in ("", "bearer") else scheme.scheme.capitalize()
            found.append(Credential("header", "Authorization", "API_TOKEN", f"{word} "))
    return tuple(dict.fromkeys(found))


def text_value(value: Any) -> str:
    """A parameter or form value as text: strings as they are, other values as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


def form_fields(request: Request) -> list[tuple[str, str]]:
    """The body's fields as form pairs: nested objects with brackets (`a[b]=1`, `a[0][b]=1`).

    Lists of plain values repeat their name (`tag=a&tag=b`) unless the encoding asks for
    `deepObject`; in a multipart body, objects are sent as JSON text and file fields are left
    to `files`.
    """
    out: list[tuple[str, str]] = []
    body = request.body if isinstance(request.body, dict) else {}
    for name, value in body.items():
        if request.kind == "multipart":
            if str(name) in request.files:
                continue
            items = value if isinstance(value, list) else [value]
            out += [(str(name), _part(v)) for v in items]
        else:
            _flatten(str(name), value, str(name) in request.deep_objects, out)
    return out


def _part(value: Any) -> str:
    return (
        json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict | list)
        else text_value(value)
    )


def _flatten(name: str, value: Any, deep: bool, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{name}[{key}]", sub, True, out)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            if deep or isinstance(sub, dict | list):
                _flatten(f"{name}[{i}]", sub, True, out)
            else:
                out.append((name, text_value(sub)))
    else:
        out.append((name, text_value(value)))


def file_fields(request: Request) -> list[tuple[str, str]]:
    """(field, file name) of each file a multipart body uploads."""
    return [(name, _file_name(name)) for name in request.files]


def _file_name(field: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", field).strip("_") or "file"
    return f"{stem[:40]}.bin"


def raw_text(request: Request) -> str:
    """A text body as it is sent: a string as it is, anything else as JSON."""
    body = request.body
    return body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)


def body_text(kind: str, value: Any, files: Iterable[str] = (), deep: Iterable[str] = ()) -> str:
    """An example body as the page shows it, in the body's own format (not JSON).

    Form bodies as `name=...&n=...`, multipart bodies as one `name: value` line per part (files
    as `<file>`), text as it is.
    """
    request = Request(
        "POST", "", (), value, True, kind=kind, files=tuple(files), deep_objects=tuple(deep)
    )
    if kind == "form" and isinstance(value, dict):
        return urlencode(form_fields(request))
    if kind == "multipart" and isinstance(value, dict):
        lines = [f"{name}: {text}" for name, text in form_fields(request)]
        lines += [f"{name}: <file {file}>" for name, file in file_fields(request)]
        return "\n".join(lines)
    return raw_text(request)
