"""A stable text dump of the model, for golden files (empty values are left out)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any


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
            if item is None or item is False or item == "" or item == ():
                continue
            _dump(item, indent + 1, lines, f.name)
    elif isinstance(value, tuple) and value and not all(isinstance(v, str) for v in value):
        lines.append(f"{head}[{len(value)}]")
        for item in value:
            _dump(item, indent + 1, lines, "-")
    else:
        lines.append(f"{head}{json.dumps(value, ensure_ascii=False, default=str)}")
