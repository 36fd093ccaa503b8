"""Which operations and schemas refer to each component schema.

An operation uses the schemas it names and the schemas those name in turn: two steps, so
FastAPI's generated `Body_...` wrappers still lead from an endpoint to the filters and models
inside them. Following references all the way would list every operation on every schema of a
connected API, which grows quadratically with its size and tells a reader little.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator.model.resolver import SchemaIndex, component_name

RawOperation = tuple[str, str, dict[str, Any], list[dict[str, Any]]]
# Levels of parameter, body and response components followed to reach the schemas they name.
_MAX_COMPONENT_DEPTH = 4


def operations_using(index: SchemaIndex, raw_ops: Iterable[RawOperation]) -> dict[str, list[int]]:
    """Component name -> positions in `raw_ops` (ascending) of the operations that use it."""
    children: dict[str, set[str]] = {}
    used: dict[str, list[int]] = {}
    for position, (_method, _path, op, params) in enumerate(raw_ops):
        named = direct_refs(op, index) | direct_refs(params, index)
        reached = set(named)
        for name in named:
            if name not in children:
                node = index.components.get(name)
                children[name] = direct_refs(node, index, follow_components=False)
            reached |= children[name]
        for name in sorted(reached):
            used.setdefault(name, []).append(position)
    return used


def schemas_using(index: SchemaIndex) -> dict[str, tuple[str, ...]]:
    """Component name -> names of the component schemas (document order) that refer to it."""
    used: dict[str, list[str]] = {}
    for parent, node in index.components.items():
        for name in sorted(direct_refs(node, index, follow_components=False)):
            if name != parent:
                used.setdefault(name, []).append(str(parent))
    return {name: tuple(parents) for name, parents in used.items()}


def direct_refs(node: Any, index: SchemaIndex, *, follow_components: bool = True) -> set[str]:
    """Component schema names referenced inside `node`, without entering those schemas.

    References to other components (parameters, request bodies, responses) are followed, a few
    levels deep, since they belong to the operation that uses them.
    """
    found: set[str] = set()
    stack: list[tuple[Any, int]] = [(node, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                name = component_name(ref)
                if name is not None:
                    found.add(name)
                elif follow_components and depth < _MAX_COMPONENT_DEPTH:
                    stack.append((index.lookup(ref).node, depth + 1))
            stack.extend((v, depth) for k, v in item.items() if k != "$ref")
        elif isinstance(item, list):
            stack.extend((v, depth) for v in item)
    return found
