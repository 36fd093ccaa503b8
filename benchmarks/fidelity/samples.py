"""Which media type a curl / httpx / fetch sample sends its body in, read from its text."""

from __future__ import annotations

import json
import re
import shlex

JSON, FORM, MULTIPART, RAW, NONE = "json", "form", "multipart", "raw", "none"
DATA_FLAGS = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii"}
CONTENT_TYPE = re.compile(r"""["']?content-type["']?\s*:\s*["']?([^"',}\s;]+)""", re.IGNORECASE)


def kind_of(media: str) -> str:
    """The sample kind a declared media type calls for."""
    name = media.lower()
    if "json" in name:
        return JSON
    if name.startswith("application/x-www-form-urlencoded"):
        return FORM
    if name.startswith("multipart/"):
        return MULTIPART
    return RAW


def _curl_flags(words: list[str]) -> tuple[str | None, list[str], set[str]]:
    """(Content-Type header, data arguments, other body flags) of a curl command's words."""
    header, data, flags = None, [], set()
    for flag, value in zip(words, [*words[1:], ""], strict=True):
        if flag in ("-H", "--header") and value.lower().startswith("content-type:"):
            header = value.split(":", 1)[1].strip().split(";")[0].lower()
        elif flag in DATA_FLAGS:
            data.append(value)
        elif flag in ("--data-urlencode", "-F", "--form"):
            flags.add(flag)
    return header, data, flags


def _json_problem(data: str) -> str:
    try:
        json.loads(data)
    except ValueError:
        return "" if data.startswith("@") else "JSON body does not parse"
    return ""


def _curl_kind(header: str | None, data: list[str], flags: set[str]) -> tuple[str, str]:
    if flags & {"-F", "--form"}:
        return MULTIPART, ""
    if "--data-urlencode" in flags:
        return FORM, ""
    if not data:
        return NONE, ""
    if header is None or kind_of(header) == FORM:  # curl -d sends form-urlencoded by default
        shaped = all("=" in d and not d.lstrip().startswith(("{", "[")) for d in data)
        return FORM, "" if shaped else "form data is not k=v pairs"
    return (JSON, _json_problem(data[0])) if kind_of(header) == JSON else (RAW, "")


def curl(text: str) -> tuple[str, str | None, str]:
    """(kind, Content-Type header or None, problem) of a curl command."""
    try:
        words = shlex.split(text.replace("\\\n", " "), comments=False)
    except ValueError as exc:
        return NONE, None, f"curl does not parse as shell: {exc}"
    header, data, flags = _curl_flags(words)
    kind, problem = _curl_kind(header, data, flags)
    return kind, header, problem


def httpx(text: str) -> tuple[str, str | None, str]:
    """(kind, Content-Type header or None, problem) of an httpx call."""
    header = _header(text)
    if re.search(r"\bfiles\s*=", text):
        return MULTIPART, header, ""
    if re.search(r"\bjson\s*=", text):
        return JSON, header or "application/json", ""
    if re.search(r"\bdata\s*=", text):
        return FORM, header, ""
    if re.search(r"\bcontent\s*=", text):
        return RAW, header, "" if header else "content= without a Content-Type header"
    return NONE, header, ""


def fetch(text: str) -> tuple[str, str | None, str]:
    """(kind, Content-Type header or None, problem) of a fetch call."""
    header = _header(text)
    if "FormData" in text:
        return MULTIPART, header, ""
    if "URLSearchParams" in text:
        return FORM, header, ""
    if "JSON.stringify" in text:
        return JSON, header, "" if header else "JSON body without a Content-Type header"
    if re.search(r"\bbody\s*:", text):
        return RAW, header, "" if header else "body without a Content-Type header"
    return NONE, header, ""


def _header(text: str) -> str | None:
    found = CONTENT_TYPE.search(text)
    return found.group(1).lower() if found else None
