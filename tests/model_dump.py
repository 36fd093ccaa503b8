"""A stable text dump of the model, for golden files (empty values are left out).

Operations, tags and schemas are written out in full once, where the `Api` lists them; anywhere
else (a tag's operations, an operation's tags, a schema's "used by") they are written as a
reference: `-> GET /items/{id}`, `-> tag items`, `-> schema Item`. The dump reads public
attributes only (dataclass fields not starting with `_`), so it follows the model as it grows.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

# Api fields that own their objects; everything found elsewhere is a reference to them.
_OWNERS = ("operations", "webhooks", "tags", "schemas")


def dump(api: Any) -> str:
    owned = {id(item) for name in _OWNERS for item in getattr(api, name, ())}
    lines: list[str] = []
    _Dumper(owned, lines).value(api, 0, "", home=True)
    return "\n".join(lines) + "\n"


def reference(value: Any) -> str | None:
    """How an operation, tag or schema is named when it is not at home (None: not one)."""
    kind = type(value).__name__
    if kind == "Operation":
        return f"-> {value.method} {value.path}"
    if kind == "Tag":
        return f"-> tag {value.name}"
    if kind == "SchemaDef":
        return f"-> schema {value.name}"
    return None


@dataclasses.dataclass
class _Dumper:
    owned: set[int]
    lines: list[str]

    def value(self, value: Any, indent: int, label: str, home: bool = False) -> None:
        head = "  " * indent + (f"{label}: " if label else "")
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            ref = None if home else reference(value)
            if ref is None and not home and id(value) in self.owned:
                ref = f"-> {type(value).__name__}"
            if ref is not None:
                self.lines.append(head + ref)
                return
            self.lines.append(head + type(value).__name__)
            is_api = type(value).__name__ == "Api"
            for f in dataclasses.fields(value):
                item = getattr(value, f.name)
                if f.name.startswith("_") or _empty(item) or _working_data(f, item):
                    continue
                self.value(item, indent + 1, f.name, home=is_api and f.name in _OWNERS)
        elif _is_sequence_of_items(value):
            self.lines.append(f"{head}[{len(value)}]")
            for item in value:
                self.value(item, indent + 1, "-", home=home)
        else:
            self.lines.append(head + json.dumps(value, ensure_ascii=False, default=str))


def _working_data(f: dataclasses.Field[Any], value: Any) -> bool:
    """Fields hidden from `repr` that are not model references: the resolver, raw schema nodes."""
    if f.repr:
        return False
    items = value if isinstance(value, tuple) else (value,)
    return not all(reference(item) is not None for item in items)


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | tuple) and not value)


def _is_sequence_of_items(value: Any) -> bool:
    """Tuples other than tuples of strings, and lists of model objects, get one line per item.

    Other lists are data (examples, enums) and stay one line of JSON.
    """
    if isinstance(value, tuple):
        return bool(value) and not all(isinstance(v, str) for v in value)
    return isinstance(value, list) and any(dataclasses.is_dataclass(v) for v in value)
