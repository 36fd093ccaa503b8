"""Turn the user's input into an OpenAPI document (a plain dict).

This is the only module that touches user code. An app target is imported in a child process,
so the server's import side effects stay out of MkDocs and `mkdocs serve` always sees fresh code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
import yaml

from generator.errors import LoadError
from generator.limits import MAX_NESTING
from generator.load import swagger2
from generator.load.bounds import YamlLoader, check_values

# Set in the child unless the user set them: stable set iteration (FastAPI collects the methods
# of a route in a set) and, for Prefect, no copy of the UI files into its installed package.
_TOO_DEEP = f"nested deeper than {MAX_NESTING} levels"
CHILD_ENV_DEFAULTS = {"PYTHONHASHSEED": "0", "PREFECT_UI_ENABLED": "false"}


def load_spec_file(path: str | Path) -> dict[str, Any]:
    """Read an OpenAPI document from a JSON or YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise LoadError(f"{path}: cannot read the file ({e})") from e
    return check_document(parse_document(text, str(path)), str(path))


def parse_document(text: str, source: str) -> Any:
    """Parse JSON, or YAML when the text is not JSON; errors carry line and column.

    Nesting beyond `MAX_NESTING`, alias bombs and lone surrogates are refused here
    (`generator.load.bounds`), so no later stage sees them.
    """
    if text.lstrip().startswith(("{", "[")):
        doc = _parse_json(text, source)
    else:
        doc = _parse_yaml(text, source)
    check_values(doc, source, text)
    return doc


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise LoadError(f"{source}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from e
    except RecursionError:
        raise LoadError(f"{source}: invalid JSON: {_TOO_DEEP}") from None
    except ValueError as e:  # an integer with more digits than Python converts (4300)
        long_number = re.search(r"\d{4000,}", text)
        where = _line_column(text, long_number.start()) if long_number else ""
        limit = sys.get_int_max_str_digits()
        raise LoadError(f"{source}{where}: invalid JSON: a number of over {limit} digits") from e


def _parse_yaml(text: str, source: str) -> Any:
    loader = YamlLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise LoadError(f"{where}: invalid YAML: {e.problem or e.context}") from e
    except yaml.YAMLError as e:
        raise LoadError(f"{source}: invalid YAML: {e}") from e
    except RecursionError:
        raise LoadError(f"{source}: invalid YAML: {_TOO_DEEP}") from None
    finally:
        loader.dispose()


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f":{line}:{offset - text.rfind(chr(10), 0, offset)}"


def check_document(doc: object, source: str) -> dict[str, Any]:
    """Refuse what is not an OpenAPI 3.x document, with a message that says why."""
    if not isinstance(doc, dict):
        raise LoadError(f"{source}: not an OpenAPI document (the top level is not an object)")
    version = doc.get("openapi")
    if version is None and "swagger" in doc:
        if str(doc["swagger"]) != "2.0":
            raise LoadError(f"{source}: Swagger {doc['swagger']} is not supported (only 2.0)")
        try:
            doc = swagger2.convert(doc)
        except (AttributeError, TypeError, KeyError, ValueError) as e:  # beyond the checks there
            raise LoadError(
                f"{source}: malformed Swagger 2.0 document ({type(e).__name__}: {e})"
            ) from e
        version = "3.0.3"
    if isinstance(version, int | float) and not isinstance(version, bool):
        # YAML reads an unquoted `openapi: 3.0` as a number
        raise LoadError(f"{source}: 'openapi: {version}' is a number; quote it ('{version}.0')")
    if not isinstance(version, str) or not version.startswith("3."):
        raise LoadError(f"{source}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    if not isinstance(doc.get("paths", {}), dict):
        raise LoadError(f"{source}: 'paths' must be an object")
    if "paths" not in doc and "webhooks" not in doc:
        raise LoadError(f"{source}: the document has no 'paths'")
    return doc


def load_app(target: str, *, timeout: float = 300) -> dict[str, Any]:
    """Import `module:attr` in a child process and return its `openapi()` document."""
    if ":" not in target or not all(target.split(":", 1)):
        raise LoadError(f"--app {target!r}: expected 'module.path:attribute'")
    env = {**CHILD_ENV_DEFAULTS, **os.environ}
    with tempfile.TemporaryDirectory(prefix="restref-") as tmp:
        out = Path(tmp) / "openapi.json"
        command = [sys.executable, "-m", "generator.load.app_export", target, str(out)]
        try:
            child = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise LoadError(f"--app {target}: loading took longer than {timeout:.0f} s") from None
        if child.returncode != 0:
            raise LoadError(_child_failure(target, child.returncode, child.stderr))
        doc = parse_document(out.read_text(encoding="utf-8"), f"--app {target}")
    return check_document(doc, f"--app {target}")


def _child_failure(target: str, status: int, stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    reported = [line for line in lines if line.startswith("error: ")]
    if reported:
        return reported[-1].removeprefix("error: ")
    last = lines[-1] if lines else "no output"
    return f"--app {target}: the loader process failed with status {status}: {last}"


def dump_document(doc: dict[str, Any]) -> str:
    """The document as deterministic JSON text (document order kept, UTF-8, one final newline)."""
    try:  # orjson: the layout of `json.dumps(indent=2)`, many times faster
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except (TypeError, orjson.JSONEncodeError):  # integers beyond 64 bits, non-str keys
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
