"""Child process of [generator.load.load_app][]: import an app, write its OpenAPI document.

Run as `python -m generator.load.app_export module:attr OUTFILE`. Every failure is one
`error: ...` line on stderr and exit status 2, so the parent can pass it on unchanged.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from typing import Any


class ExportError(Exception):
    """A failure to import, call or export the app, already worded for the user."""


def openapi_from_target(target: str) -> dict[str, Any]:
    """Import `module:attr`, call it if it is a factory, and return a copy of `.openapi()`."""
    module_name, _, attr_path = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        hint = "" if e.name != module_name.split(".")[0] else "; is it installed in this Python?"
        raise ExportError(f"--app {target}: module {e.name!r} not found{hint}") from e
    except Exception as e:
        raise ExportError(f"--app {target}: importing {module_name} raised {_describe(e)}") from e
    obj: Any = module
    for name in attr_path.split("."):
        try:
            obj = getattr(obj, name)
        except AttributeError:
            raise ExportError(
                f"--app {target}: module {module_name} has no attribute {attr_path!r}"
            ) from None
    app = obj if hasattr(obj, "openapi") else _call_factory(target, obj)
    openapi = getattr(app, "openapi", None)
    if not callable(openapi):
        raise ExportError(
            f"--app {target}: {type(app).__name__} object has no openapi() method; "
            "point at a FastAPI app or a function returning one"
        )
    try:
        doc = openapi()
    except Exception as e:
        raise ExportError(f"--app {target}: openapi() raised {_describe(e)}") from e
    if not isinstance(doc, dict):
        raise ExportError(f"--app {target}: openapi() returned {type(doc).__name__}, not a dict")
    return doc


def _call_factory(target: str, factory: Any) -> Any:
    if not callable(factory):
        raise ExportError(f"--app {target}: {type(factory).__name__} object has no openapi()")
    try:
        required = [
            p.name
            for p in inspect.signature(factory).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        required = []
    if required:
        raise ExportError(
            f"--app {target}: the factory needs arguments ({', '.join(required)}); "
            "point at a zero-argument factory or at an app object"
        )
    try:
        return factory()
    except Exception as e:
        raise ExportError(f"--app {target}: the factory raised {_describe(e)}") from e


def _describe(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def main(argv: list[str]) -> int:
    """Write the OpenAPI document of `argv[0]` to the file `argv[1]`; the exit status."""
    target, out = argv
    try:
        doc = openapi_from_target(target)
        # ASCII escapes: a lone surrogate still gets across, for the parent to name it.
        text = json.dumps(doc)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (TypeError, ValueError, RecursionError) as e:
        print(
            f"error: --app {target}: the document is not JSON-serialisable ({e})", file=sys.stderr
        )
        return 2
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
