"""Validate examples against OpenAPI schemas with `jsonschema` (Draft 2020-12).

OpenAPI 3.0 schemas differ from JSON Schema in a few keywords, so a 3.0 document is first
rewritten: `nullable: true` becomes a `null` alternative and boolean `exclusiveMinimum`/
`exclusiveMaximum` become numbers. `readOnly` fields are not required in requests, nor
`writeOnly` fields in responses, as OpenAPI specifies.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

Mode = Literal["request", "response"]
BASE = "urn:restref:test-document"


def _convert(node: Any, mode: Mode, is_30: bool) -> Any:
    if isinstance(node, list):
        return [_convert(v, mode, is_30) for v in node]
    if not isinstance(node, dict):
        return node
    new = {k: _convert(v, mode, is_30) for k, v in node.items()}
    properties = new.get("properties")
    if isinstance(properties, dict) and isinstance(new.get("required"), list):
        hidden = "readOnly" if mode == "request" else "writeOnly"
        new["required"] = [
            r
            for r in new["required"]
            if not (isinstance(properties.get(r), dict) and properties[r].get(hidden))
        ]
    if is_30:
        for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if new.get(key) is True and bound in new:
                new[key] = new.pop(bound)
            elif new.get(key) is False:
                del new[key]
        if new.pop("nullable", False) is True:
            return {"anyOf": [new, {"type": "null"}]}
    return new


class DocumentValidators:
    """Validators for schemas inside one document, addressed by JSON pointer."""

    def __init__(self, doc: dict[str, Any]) -> None:
        is_30 = str(doc.get("openapi", "")).startswith("3.0")
        self._registries = {
            mode: Registry().with_resource(
                BASE,
                Resource.from_contents(
                    _convert(copy.deepcopy(doc), mode, is_30), default_specification=DRAFT202012
                ),
            )
            for mode in ("request", "response")
        }

    def errors(self, pointer: str, instance: Any, mode: Mode) -> list[str]:
        validator = Draft202012Validator(
            {"$ref": f"{BASE}#{pointer}"}, registry=self._registries[mode]
        )
        return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(instance)]


def escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
