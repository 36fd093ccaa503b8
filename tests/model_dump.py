"""A stable text dump of the model, for golden files (empty values are left out).

Fields declared with `repr=False` point at other model objects (an operation's tags, the
operations using a schema) or at working data (the resolver, raw schema nodes): references are
written as the name of what they point at, working data is left out.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from generator.model.api import Operation, Tag


def dump(value: Any, indent: int = 0) -> str:
    lines: list[str] = []
    _dump(value, indent, lines)
    return "\n".join(lines) + "\n"


def _dump(value: Any, indent: int, lines: list[str], label: str = "") -> None:
    pad = "  " * indent
    head = f"{pad}{label}: " if label else pad
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        lines.append(f"{head}{type(value).__name__}")
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if not f.repr:
                item = _reference(item)
            if item is None or item is False or item == "" or item == ():
                continue
            _dump(item, indent + 1, lines, f.name)
    elif isinstance(value, tuple) and value and not all(isinstance(v, str) for v in value):
        lines.append(f"{head}[{len(value)}]")
        for item in value:
            _dump(item, indent + 1, lines, "-")
    else:
        lines.append(f"{head}{json.dumps(value, ensure_ascii=False, default=str)}")


def _reference(value: Any) -> Any:
    """How a reference is written: a tag by name, an operation by method and path."""
    if isinstance(value, tuple):
        return tuple(_reference(v) for v in value if _reference(v) is not None)
    if isinstance(value, Tag):
        return value.name
    if isinstance(value, Operation):
        return (value.method, value.path)
    return None
