"""Schemas reduced to what a reader needs: a `Shape` for the type column, `Field` rows for tables.

Nullable unions (`anyOf: [X, {type: null}]`, 3.1 type arrays, 3.0 `nullable`) become one shape
marked nullable; nested objects are expanded to `MAX_DEPTH`, and a component already being
expanded higher up is shown as a link instead of being expanded again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from generator.limits import MAX_FIELD_ROWS
from generator.model.resolver import (
    Node,
    SchemaIndex,
    component_name,
    merge_all_of,
    schema_types,
    split_null,
)

MAX_DEPTH = 3
MAX_PATTERN = 40
_MAX_SHAPE_DEPTH = 12  # schema levels followed to describe a type; deeper, only the name
Mode = Literal["request", "response", "schema"]


@dataclass(frozen=True)
class Shape:
    """The type of a value: JSON types, the component it refers to, items, alternatives."""

    types: tuple[str, ...] = ()
    ref: str | None = None
    format: str | None = None
    items: Shape | None = None
    prefix: tuple[Shape, ...] = ()  # tuple positions (`prefixItems`)
    values: Shape | None = None  # the value type of a map (additionalProperties)
    options: tuple[Shape, ...] = ()  # labelled alternatives of oneOf/anyOf
    combinator: str = ""  # "oneOf" or "anyOf" when options are set
    nullable: bool = False
    enum: tuple[Any, ...] = ()
    unresolved: str | None = None
    discriminator: str | None = None  # the property that tells the alternatives apart
    mapping: tuple[tuple[str, str], ...] = ()  # discriminator value -> component name


@dataclass(frozen=True)
class Field:
    """One row of a field table; `path` is dotted (`flows.name.any_`, `items[].id`)."""

    path: str
    name: str
    depth: int
    shape: Shape
    required: bool
    description: str
    default: str  # the default as JSON text, "" when there is none
    constraints: tuple[str, ...]
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    collapsed: str | None = None  # component whose fields are on its own page, not here


def shape_of(node: Any, index: SchemaIndex, depth: int = 0) -> Shape:
    """The `Shape` of a schema node (references are kept as names, not expanded)."""
    ref = node.get("$ref") if isinstance(node, dict) and len(node) == 1 else None
    if not isinstance(ref, str):
        return _shape_of(node, index, depth)
    key = ("shape", ref)
    if key not in index.derived:
        index.derived[key] = _shape_of(node, index, depth)
    shape: Shape = index.derived[key]
    return shape


def _shape_of(node: Any, index: SchemaIndex, depth: int) -> Shape:
    resolved = index.resolve(node)
    schema, ref = resolved.node, resolved.ref
    if resolved.unresolved:
        return Shape(unresolved=resolved.unresolved)
    if depth > _MAX_SHAPE_DEPTH:
        return Shape(ref=ref)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and "properties" not in schema:
        inner = shape_of(all_of[0], index, depth + 1)
        return _with_nullable(inner, schema_types(schema)[1])
    for combinator in ("oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            kept, nullable = split_null(options, index)
            nullable = nullable or schema_types(schema)[1]
            if len(kept) == 1:
                inner = shape_of(kept[0], index, depth + 1)
                return _with_nullable(inner if ref is None else Shape(ref=ref), nullable)
            return Shape(
                ref=ref,
                options=tuple(shape_of(o, index, depth + 1) for o in kept),
                combinator=combinator,
                nullable=nullable,
                **_discriminator(schema),
            )
    types, nullable = schema_types(schema)
    if "allOf" in schema:
        types = types or ("object",)
    enum = schema.get("enum")
    if "const" in schema:
        enum = [schema["const"]]
    if not types and isinstance(enum, list) and enum:
        types = tuple(dict.fromkeys(_json_type(v) for v in enum if v is not None))
    items = schema.get("items")
    extra = schema.get("additionalProperties")
    return Shape(
        types=types,
        ref=ref,
        format=schema.get("format") if isinstance(schema.get("format"), str) else None,
        items=shape_of(items, index, depth + 1) if isinstance(items, dict) else None,
        prefix=tuple(shape_of(p, index, depth + 1) for p in schema.get("prefixItems") or ())
        if isinstance(schema.get("prefixItems"), list)
        else (),
        values=shape_of(extra, index, depth + 1)
        if isinstance(extra, dict) and not schema.get("properties")
        else None,
        nullable=nullable,
        enum=tuple(v for v in enum if v is not None) if isinstance(enum, list) else (),
    )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _discriminator(schema: Node) -> dict[str, Any]:
    found = schema.get("discriminator")
    if not isinstance(found, dict) or not isinstance(found.get("propertyName"), str):
        return {}
    mapping: dict[str, Any] = found["mapping"] if isinstance(found.get("mapping"), dict) else {}
    pairs = tuple(
        (str(value), component_name(str(ref)) or str(ref)) for value, ref in mapping.items()
    )
    return {"discriminator": found["propertyName"], "mapping": pairs}


def _with_nullable(shape: Shape, nullable: bool) -> Shape:
    if not nullable or shape.nullable:
        return shape
    return Shape(**{**shape.__dict__, "nullable": True})


def constraints_of(schema: Node) -> tuple[str, ...]:
    """Readable constraints: ranges, lengths, patterns (long ones shortened), uniqueness."""
    found = []
    for key, label in (
        ("minimum", "minimum {}"),
        ("exclusiveMinimum", "more than {}"),
        ("maximum", "maximum {}"),
        ("exclusiveMaximum", "less than {}"),
        ("multipleOf", "multiple of {}"),
        ("minLength", "min length {}"),
        ("maxLength", "max length {}"),
        ("minItems", "min items {}"),
        ("maxItems", "max items {}"),
        ("minProperties", "min properties {}"),
        ("maxProperties", "max properties {}"),
    ):
        value = schema.get(key)
        if isinstance(value, bool):  # 3.0 exclusiveMinimum: true modifies `minimum`
            continue
        if isinstance(value, int | float):
            found.append(label.format(_number(value)))
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        shown = pattern if len(pattern) <= MAX_PATTERN else pattern[: MAX_PATTERN - 1] + "…"
        found.append(f"pattern `{shown}`")
    if schema.get("uniqueItems") is True:
        found.append("unique items")
    return tuple(found)


def _number(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def default_of(schema: Node) -> str:
    """The schema's default as JSON text, or "" when it has none."""
    if "default" not in schema:
        return ""
    return json.dumps(schema["default"], ensure_ascii=False, sort_keys=False)


def fields_of(node: Any, index: SchemaIndex, mode: Mode) -> tuple[Field, ...]:
    """The field rows of an object schema, nested objects expanded up to `MAX_DEPTH`."""
    ref = node.get("$ref") if isinstance(node, dict) and len(node) == 1 else None
    if not isinstance(ref, str):
        return _fields_of(node, index, mode)
    key = ("fields", ref, mode)
    if key not in index.derived:
        index.derived[key] = _fields_of(node, index, mode)
    rows: tuple[Field, ...] = index.derived[key]
    return rows


def _fields_of(node: Any, index: SchemaIndex, mode: Mode) -> tuple[Field, ...]:
    root, ref, _suffix = _object_part(node, index)
    rows: list[Field] = []
    _collect(root, index, mode, "", 0, frozenset([ref] if ref else []), rows)
    return tuple(rows)


def _object_part(node: Any, index: SchemaIndex) -> tuple[Node, str | None, str]:
    """The object a field leads to (through nullable unions and arrays), its name and suffix."""
    resolved = index.resolve(node)
    schema, ref, suffix = resolved.node, resolved.ref, ""
    for _ in range(4):
        options = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(options, list):
            kept, _nullable = split_null(options, index)
            if len(kept) != 1:
                break
            resolved = index.resolve(kept[0])
        elif isinstance(schema.get("allOf"), list) and len(schema["allOf"]) == 1:
            resolved = index.resolve(schema["allOf"][0])
        elif isinstance(schema.get("items"), dict) and schema_types(schema)[0] == ("array",):
            resolved = index.resolve(schema["items"])
            suffix += "[]"
        else:
            break
        schema, ref = resolved.node, resolved.ref or ref
    return merge_all_of(schema, index), ref, suffix


def _collect(
    schema: Node,
    index: SchemaIndex,
    mode: Mode,
    prefix: str,
    depth: int,
    stack: frozenset[str],
    rows: list[Field],
) -> None:
    schema = merge_all_of(schema, index)
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = set(schema.get("required") or [])
    for name, sub in properties.items():
        prop = index.resolve(sub).node
        read_only, write_only = prop.get("readOnly") is True, prop.get("writeOnly") is True
        if (mode == "request" and read_only) or (mode == "response" and write_only):
            continue
        target, target_ref, suffix = _object_part(sub, index)
        expandable = isinstance(target.get("properties"), dict) and bool(target["properties"])
        too_deep = (
            depth + 1 > MAX_DEPTH
            or (target_ref is not None and target_ref in stack)
            or len(rows) >= MAX_FIELD_ROWS
        )
        path = f"{prefix}{name}"
        rows.append(
            Field(
                path=path,
                name=str(name),
                depth=depth,
                shape=shape_of(sub, index),
                required=name in required,
                description=str(prop.get("description") or "").strip(),
                default=default_of(prop),
                constraints=constraints_of(prop),
                deprecated=prop.get("deprecated") is True,
                read_only=read_only,
                write_only=write_only,
                collapsed=target_ref if expandable and too_deep else None,
            )
        )
        if expandable and not too_deep:
            inner_stack = stack | {target_ref} if target_ref else stack
            _collect(target, index, mode, f"{path}{suffix}.", depth + 1, inner_stack, rows)
    _extra_keys(schema, index, prefix, depth, rows)


def _extra_keys(
    schema: Node, index: SchemaIndex, prefix: str, depth: int, rows: list[Field]
) -> None:
    """Rows for keys beyond the named properties: `additionalProperties`, `patternProperties`."""
    extra: list[tuple[str, Any, str]] = []
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            extra.append((f"/{pattern}/", sub, "Keys matching this pattern."))
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict) or additional is True:
        extra.append(("*", additional if isinstance(additional, dict) else {}, "Any other key."))
    for name, sub, text in extra:
        prop = index.resolve(sub).node
        rows.append(
            Field(
                path=f"{prefix}{name}",
                name=name,
                depth=depth,
                shape=shape_of(sub, index),
                required=False,
                description=" ".join(filter(None, [text, str(prop.get("description") or "")])),
                default="",
                constraints=constraints_of(prop),
            )
        )
