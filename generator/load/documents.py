"""Turn the user's input into an OpenAPI document (a plain dict).

This is the only module that touches user code. An app target is imported in a child process,
so the server's import side effects stay out of MkDocs and `mkdocs serve` always sees fresh code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
import yaml

from generator.errors import LoadError
from generator.load import swagger2

try:  # the C loader is several times faster on large documents
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

# Set in the child unless the user set them: stable set iteration (FastAPI collects the methods
# of a route in a set) and, for Prefect, no copy of the UI files into its installed package.
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
    """Parse JSON, or YAML when the text is not JSON; errors carry line and column."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise LoadError(f"{source}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from e
    try:
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise LoadError(f"{where}: invalid YAML: {e.problem or e.context}") from e
    except yaml.YAMLError as e:
        raise LoadError(f"{source}: invalid YAML: {e}") from e


def check_document(doc: object, source: str) -> dict[str, Any]:
    """Refuse what is not an OpenAPI 3.x document, with a message that says why."""
    if not isinstance(doc, dict):
        raise LoadError(f"{source}: not an OpenAPI document (the top level is not an object)")
    version = doc.get("openapi")
    if version is None and "swagger" in doc:
        if str(doc["swagger"]) != "2.0":
            raise LoadError(f"{source}: Swagger {doc['swagger']} is not supported (only 2.0)")
        doc = swagger2.convert(doc)
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
        doc = json.loads(out.read_text(encoding="utf-8"))
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
