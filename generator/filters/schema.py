"""Schema access for the filters stage, on top of the shared `SchemaIndex`.

Filter bodies wrap nearly every value in a nullable `anyOf`; `unwrap` looks through `$ref`s and
that wrapper so detection sees the object or value underneath.
"""

from __future__ import annotations

from typing import Any

from generator.model.resolver import Node, SchemaIndex, schema_types, split_null


def deref(index: SchemaIndex, node: Any) -> tuple[Node, str | None]:
    """The node behind `node`'s `$ref` chain and the component name it came from."""
    if not isinstance(node, dict):
        return {}, None  # boolean schemas carry nothing the filters stage reads
    resolved = index.resolve(node)
    return resolved.node, resolved.ref


def unwrap(index: SchemaIndex, node: Any) -> tuple[Node, str | None]:
    """Dereference, then pick the object (or only) branch of a nullable `anyOf`/`oneOf`."""
    resolved, name = deref(index, node)
    branches = resolved.get("anyOf") or resolved.get("oneOf")
    if not isinstance(branches, list):
        return resolved, name
    kept, _ = split_null(branches, index)
    candidates = [deref(index, branch) for branch in kept]
    objects = [c for c in candidates if is_object(c[0])]
    chosen = objects[:1] or (candidates if len(candidates) == 1 else [])
    if not chosen:
        return resolved, name
    inner, inner_name = chosen[0]
    extra = {k: v for k, v in resolved.items() if k not in ("anyOf", "oneOf")}
    return {**inner, **extra}, inner_name or name


def is_object(node: Node) -> bool:
    """Whether `node` declares at least one property (an empty object cannot filter)."""
    return isinstance(node.get("properties"), dict) and bool(node["properties"])


def properties(node: Node) -> dict[str, Any]:
    """The `properties` of `node`, or an empty dict."""
    props = node.get("properties")
    return props if isinstance(props, dict) else {}


def single_type(node: Node) -> str | None:
    """The one non-null JSON type `node` declares (`["string", "null"]` -> `string`), if any."""
    types, _ = schema_types(node)
    return types[0] if len(types) == 1 else None


def str_or_none(value: Any) -> str | None:
    """`value` if it is a string (descriptions, defaults), else None."""
    return value if isinstance(value, str) else None
