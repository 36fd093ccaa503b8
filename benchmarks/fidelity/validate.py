"""Validate example values against OpenAPI schemas with `jsonschema`.

OpenAPI 3.1 schemas are JSON Schema 2020-12. OpenAPI 3.0 and Swagger 2.0 schemas are read as
draft 4 (boolean `exclusiveMinimum`), leniently: `nullable`/`x-nullable` admit null, `type:
file` admits anything, and read-only (in requests) or write-only (in responses) properties are
not required. Local `$ref`s are inlined; a cycle is cut to `{}`.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from spec import Doc

VALUES = {"example", "examples", "default", "enum", "const", "properties"}


class Validator:
    """Example validation for one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.draft: Any = (
            jsonschema.Draft202012Validator if doc.version == "3.1" else jsonschema.Draft4Validator
        )
        self._memo: dict[tuple[str, bool], Any] = {}
        self._open: set[tuple[str, bool]] = set()

    def problem(self, schema: Any, value: Any, request: bool) -> str | None:
        """The first validation error of `value`, or None when it is valid."""
        if not isinstance(schema, dict):
            return None
        converted = self._convert(schema, request, 0)
        try:
            validator = self.draft(converted)
            if validator.is_valid(value):  # stops at the first matching anyOf branch
                return None
            error = jsonschema.exceptions.best_match(validator.iter_errors(value))
        except (
            jsonschema.exceptions.SchemaError, jsonschema.exceptions.UnknownType,
            RecursionError, ValueError, TypeError, KeyError, AttributeError,
        ) as exc:  # fmt: skip
            return f"schema unusable: {type(exc).__name__}"
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        return f"{where}: {error.message[:120]}"

    def _convert(self, node: Any, request: bool, depth: int) -> Any:
        if isinstance(node, list):
            return [self._convert(n, request, depth + 1) for n in node]
        if not isinstance(node, dict) or depth > 60:
            return node if not isinstance(node, dict) else {}
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self._ref(ref, request, depth)
        out = {
            k: v if k in VALUES or k.startswith("x-") else self._convert(v, request, depth + 1)
            for k, v in node.items()
        }
        if isinstance(node.get("properties"), dict):  # property names are not schemas
            out["properties"] = {
                k: self._convert(v, request, depth + 1) for k, v in node["properties"].items()
            }
        if self.doc.version != "3.1":
            out = self._lenient_30(out)
        hidden = "readOnly" if request else "writeOnly"
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(node.get("required"), list):
            out["required"] = [
                r
                for r in node["required"]
                if not (isinstance(props.get(r), dict) and self.doc.deref(props[r]).get(hidden))
            ]
        return out

    @staticmethod
    def _lenient_30(out: dict[str, Any]) -> dict[str, Any]:
        if out.get("type") == "file":
            return {}
        if out.get("nullable") is True or out.get("x-nullable") is True:
            return {"anyOf": [{"type": "null"}, out]}
        return out

    def _ref(self, ref: str, request: bool, depth: int) -> Any:
        key = (ref, request)
        if key in self._memo:
            return self._memo[key]
        if key in self._open:
            return {}
        self._open.add(key)
        target = self.doc.pointer(ref)
        result = self._convert(target, request, depth + 1) if isinstance(target, dict) else {}
        self._open.discard(key)
        self._memo[key] = result
        return result
