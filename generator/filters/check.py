"""A small, conservative check that a worked example fits its request-body schema.

The recipes build examples from what the schemas offer, but not every object that looks like a
filter is one: a criterion whose keys are required, a closed object, an enum. An example that
the server would reject is worse than none, so `fits` checks the parts of JSON Schema that
such examples can get wrong (types, `required`, closed objects, `enum`/`const`, the branches of
`anyOf`/`oneOf`/`allOf`) and the detector drops examples that do not fit. Keywords it does not
know are taken as satisfied; the test suite validates every example with `jsonschema`.
"""

from __future__ import annotations

from typing import Any

from generator.model.resolver import SchemaIndex

_MAX_DEPTH = 32  # examples are a few levels deep; schemas may be cyclic
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
}


def fits(index: SchemaIndex, schema: Any, value: Any, depth: int = 0) -> bool:
    """Whether `value` satisfies `schema` as far as this check reads it."""
    if depth > _MAX_DEPTH or schema is True:
        return True
    if not isinstance(schema, dict):
        return False  # `false`, or a schema that is not one: nothing fits
    node = index.resolve(schema).node
    if value is None and node.get("nullable") is True:
        return True  # OpenAPI 3.0
    return (
        _type_fits(node.get("type"), value)
        and _values_fit(node, value)
        and _branches_fit(index, node, value, depth)
        and _children_fit(index, node, value, depth)
    )


def _values_fit(node: dict[str, Any], value: Any) -> bool:
    enum = node.get("enum")
    if isinstance(enum, list) and value not in enum:
        return False
    return "const" not in node or value == node["const"]


def _branches_fit(index: SchemaIndex, node: dict[str, Any], value: Any, depth: int) -> bool:
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if (
            isinstance(branches, list)
            and branches
            and not any(fits(index, b, value, depth + 1) for b in branches)
        ):
            return False
    branches = node.get("allOf")
    return not isinstance(branches, list) or all(fits(index, b, value, depth + 1) for b in branches)


def _children_fit(index: SchemaIndex, node: dict[str, Any], value: Any, depth: int) -> bool:
    if isinstance(value, dict):
        return _object_fits(index, node, value, depth)
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return all(fits(index, node["items"], item, depth + 1) for item in value)
    return True


def _type_fits(declared: Any, value: Any) -> bool:
    types = declared if isinstance(declared, list) else [declared] if declared else []
    if not types:
        return True
    if value is None:
        return "null" in types
    for name in types:
        wanted = _TYPES.get(name)
        if wanted is None:
            continue
        if isinstance(value, bool) and name in ("integer", "number"):
            continue  # JSON booleans are not numbers
        if isinstance(value, wanted) and not (name == "integer" and isinstance(value, float)):
            return True
    return False


def _object_fits(
    index: SchemaIndex, node: dict[str, Any], value: dict[str, Any], depth: int
) -> bool:
    required = node.get("required")
    if isinstance(required, list) and any(k not in value for k in required if isinstance(k, str)):
        return False
    props = node.get("properties")
    props = props if isinstance(props, dict) else {}
    extra = node.get("additionalProperties")
    for key, item in value.items():
        schema = props.get(key, extra)
        if schema is False or (
            isinstance(schema, dict) and not fits(index, schema, item, depth + 1)
        ):
            return False
    return True
