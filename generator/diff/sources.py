"""What `restref diff` compares: a spec file, a generated folder, or an app target.

`app:module.path:attr` imports an app in a child process (`generator.load.load_app`); a folder
is a generated reference, read through its `openapi.json`; anything else is an OpenAPI file,
JSON or YAML, gzip-compressed when its name ends in `.gz`. Write `./app:x` for a file whose
name starts with `app:`.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import Any

from generator.errors import LoadError
from generator.layout import DOCUMENT
from generator.limits import MAX_DIFF_INPUT
from generator.load import load_app, load_spec_file
from generator.load.documents import check_document, parse_document

APP_PREFIX = "app:"


def load_source(source: str) -> dict[str, Any]:
    """The OpenAPI document `source` names (see the module's docstring)."""
    if source.startswith(APP_PREFIX):
        return load_app(source.removeprefix(APP_PREFIX))
    path = Path(source)
    if path.is_dir():
        document = path / DOCUMENT
        if not document.is_file():
            raise LoadError(f"{source}: a folder without {DOCUMENT} (not a generated reference)")
        return load_spec_file(document)
    if path.name.endswith(".gz"):
        return check_document(parse_document(_gunzip(path), source), source)
    return load_spec_file(path)


def _gunzip(path: Path) -> str:
    """The text of a gzip file, refusing one that inflates past `MAX_DIFF_INPUT` bytes."""
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read(MAX_DIFF_INPUT + 1)
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file") from None
    except (OSError, EOFError, zlib.error) as e:
        raise LoadError(f"{path}: not a readable gzip file ({e})") from e
    if len(data) > MAX_DIFF_INPUT:
        raise LoadError(f"{path}: inflates to more than {MAX_DIFF_INPUT} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LoadError(f"{path}: not UTF-8 text ({e})") from e
