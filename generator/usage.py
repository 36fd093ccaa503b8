"""Which operations use which component schemas, directly or through other schemas."""

from __future__ import annotations

from typing import Any

from generator.schemas import SchemaIndex, component_name

OperationKey = tuple[str, str]


def schema_usage(
    index: SchemaIndex, raw_ops: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]
) -> dict[str, tuple[OperationKey, ...]]:
    """Component name -> operation keys (document order) whose inputs or outputs reach it."""
    graph = {name: _refs(node, index) for name, node in index.components.items()}
    used: dict[str, list[OperationKey]] = {}
    for method, path, op, params in raw_ops:
        pending = list(_refs(op, index) | _refs(params, index))
        reached: set[str] = set()
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            pending.extend(graph.get(name, ()))
        for name in reached:
            used.setdefault(name, []).append((method, path))
    order = {key: n for n, (key) in enumerate((m, p) for m, p, _o, _q in raw_ops)}
    return {name: tuple(sorted(keys, key=order.__getitem__)) for name, keys in used.items()}


def _refs(node: Any, index: SchemaIndex, depth: int = 0) -> set[str]:
    """Component schema names referenced anywhere inside `node`."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                name = component_name(ref)
                if name is not None:
                    found.add(name)
                elif depth < 4:  # parameters, bodies and responses kept under components
                    found |= _refs(index.lookup(ref).node, index, depth + 1)
            stack.extend(v for k, v in item.items() if k != "$ref")
        elif isinstance(item, list):
            stack.extend(item)
    return found
