"""One schema node seen as a client sees it, with FastAPI's spelling variants folded away.

`$ref`s are followed (`SchemaIndex`), `allOf` parts merged, `anyOf`/`oneOf` with a `null`
member, 3.1 type arrays with `"null"`, 3.0 `nullable` and `null` enum members all become one
`nullable` flag; component names are dropped (a renamed `Body_*` or a `-Input` twin is the same
shape). Descriptions, titles and examples are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from generator.model.resolver import SchemaIndex, merge_all_of, schema_types, split_null

CONSTRAINT_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
_MAX_UNWRAP = 8  # nested single-member anyOf/oneOf folded at most


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Shape:
    """The parts of a schema node a comparison looks at."""

    ref: str | None  # the component it came from: only to stop at cycles, never compared
    types: frozenset[str]  # empty: any type
    nullable: bool
    format: str | None
    enum: frozenset[str] | None  # values as canonical JSON text
    default: Any
    constraints: dict[str, Any]
    pattern: str | None
    properties: dict[str, Any]
    required: frozenset[str]
    items: Any
    additional: Any  # True/False/a schema node; MISSING when absent
    variants: tuple[Any, ...]  # the non-null members of anyOf/oneOf
    deprecated: bool


def canonical(value: Any) -> str:
    """Compact JSON with sorted keys: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def shape(node: Any, index: SchemaIndex) -> Shape:
    """The `Shape` of a schema node of the document `index` resolves."""
    resolved = index.resolve(node)
    ref = resolved.ref
    current = merge_all_of(resolved.node, index)
    nullable = False
    variants: list[Any] = []
    for _ in range(_MAX_UNWRAP):
        members = current.get("anyOf", current.get("oneOf"))
        if not isinstance(members, list):
            break
        kept, had_null = split_null(members, index)
        nullable = nullable or had_null
        own = {k: v for k, v in current.items() if k not in ("anyOf", "oneOf")}
        if len(kept) != 1:
            variants = kept
            current = own
            break
        inner = index.resolve(kept[0])
        ref = ref or inner.ref
        current = {**merge_all_of(inner.node, index), **_meaningful(own)}
    types, type_nullable = schema_types(current)
    enum = current.get("enum")
    if "const" in current:
        enum = [current["const"]]
    values: frozenset[str] | None = None
    if isinstance(enum, list):
        nullable = nullable or None in enum
        values = frozenset(canonical(v) for v in enum if v is not None)
    properties = current.get("properties")
    required = current.get("required")
    return Shape(
        ref=ref,
        types=frozenset(types),
        nullable=nullable or type_nullable,
        format=_text(current.get("format")),
        enum=values,
        default=current.get("default", MISSING),
        constraints={k: current[k] for k in CONSTRAINT_KEYS if k in current},
        pattern=_text(current.get("pattern")),
        properties=properties if isinstance(properties, dict) else {},
        required=frozenset(r for r in required if isinstance(r, str))
        if isinstance(required, list)
        else frozenset(),
        items=current.get("items"),
        additional=current.get("additionalProperties", MISSING),
        variants=tuple(variants),
        deprecated=current.get("deprecated") is True,
    )


def _meaningful(own: dict[str, Any]) -> dict[str, Any]:
    """Keys beside an `anyOf` that describe the value (FastAPI puts `default` there)."""
    return {k: v for k, v in own.items() if k not in ("title", "description", "examples")}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def accepts(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """Whether a value of any type in `narrow` is also one of `wide` (empty: any type)."""
    if not wide:
        return True
    if not narrow:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def signature(s: Shape) -> str:
    """What tells the variants of a union apart: their types (or `any`)."""
    return ",".join(sorted(s.types)) or "any"


_APPLIES_TO = {
    "minimum": {"number", "integer"},
    "maximum": {"number", "integer"},
    "exclusiveMinimum": {"number", "integer"},
    "exclusiveMaximum": {"number", "integer"},
    "multipleOf": {"number", "integer"},
    "minLength": {"string"},
    "maxLength": {"string"},
    "minItems": {"array"},
    "maxItems": {"array"},
    "uniqueItems": {"array"},
    "minProperties": {"object"},
    "maxProperties": {"object"},
}


def applies(key: str, types: frozenset[str]) -> bool:
    """Whether constraint `key` restricts a value of one of `types` (empty: any type)."""
    return not types or bool(_APPLIES_TO.get(key, types) & types)


def same_default(a: Shape, b: Shape) -> bool:
    """Equal defaults; date-times equal as instants (`+00:00` and `Z` are one default)."""
    if canonical(a.default) == canonical(b.default):
        return True
    if a.format == b.format == "date-time" and isinstance(a.default, str):
        try:
            return datetime.fromisoformat(a.default) == datetime.fromisoformat(b.default)
        except (TypeError, ValueError):
            return False
    return False
