"""Schemas reduced to what a reader needs: a `Shape` for the type column, `Field` rows for tables.

Nullable unions (`anyOf: [X, {type: null}]`, 3.1 type arrays, 3.0 `nullable`) become one shape
marked nullable; nested objects are expanded to `MAX_DEPTH`, and a component already being
expanded higher up is shown as a link instead of being expanded again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.limits import MAX_FIELD_ROWS
from generator.model.resolver import (
    Node,
    SchemaIndex,
    component_name,
    look_through,
    merge_all_of,
    schema_types,
    split_null,
)

MAX_DEPTH = 3
MAX_PATTERN = 40
MIN_SHARED_ROWS = 5  # a component's rows repeated in one table are shown once from this size
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
    title: str | None = None  # an inline alternative's own title, to name it by
    tag: str | None = None  # an alternative's discriminator value
    closed: bool = False  # `additionalProperties: false`: keys not listed are rejected
    has_fields: bool = False  # an inline alternative with properties (rows of its own)
    dynamic: str | None = None  # a `$dynamicRef` left as it is written


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
    # An alternative's row of a discriminated union: (the property, the value selecting it).
    selected_by: tuple[str, str] | None = None
    same_as: str | None = None  # the path above in the same table whose rows this one shares


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
    seen = look_through(node, index)
    schema, ref = seen.node, seen.ref
    if seen.unresolved:
        return Shape(unresolved=seen.unresolved)
    if depth > _MAX_SHAPE_DEPTH:
        return Shape(ref=ref)
    if isinstance(schema.get("$dynamicRef"), str):
        return Shape(dynamic=schema["$dynamicRef"], nullable=seen.nullable)
    for combinator in ("oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            kept, nullable = split_null(options, index)
            if not kept and nullable:  # `anyOf: [{type: null}]`: only null
                return Shape(types=("null",), ref=ref)
            if kept:  # two or more: a single member was looked through
                found = _discriminator(schema) or _implicit_discriminator(kept, index)
                named_by = found.get("discriminator"), found.get("mapping", ())
                return Shape(
                    ref=ref,
                    options=tuple(_option(o, index, depth, *named_by) for o in kept),
                    combinator=combinator,
                    nullable=nullable or seen.nullable,
                    **found,
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
        nullable=nullable or seen.nullable,
        enum=tuple(v for v in enum if v is not None) if isinstance(enum, list) else (),
        closed=extra is False,
    )


def _option(
    node: Any,
    index: SchemaIndex,
    depth: int,
    discriminator: str | None,
    mapping: tuple[tuple[str, str], ...],
) -> Shape:
    """An alternative of a union, with what names it: its title and discriminator value."""
    shape = shape_of(node, index, depth + 1)
    schema = merge_all_of(look_through(node, index).node, index)
    title = schema.get("title") if not shape.ref else None
    return Shape(
        **{
            **shape.__dict__,
            "title": title if isinstance(title, str) and title.strip() else None,
            "tag": _tag_of(schema, shape.ref, discriminator, mapping),
            "has_fields": not shape.ref and bool(schema.get("properties")),
        }
    )


def _tag_of(
    schema: Node, ref: str | None, discriminator: str | None, mapping: tuple[tuple[str, str], ...]
) -> str | None:
    """The discriminator value that selects an alternative.

    From the mapping, else its own `const` or single-value `enum`, else (as OpenAPI implies)
    its component name.
    """
    if discriminator is None:
        return None
    for value, name in mapping:
        if ref is not None and name == ref:
            return value
    properties = schema.get("properties")
    prop = properties.get(discriminator) if isinstance(properties, dict) else None
    if isinstance(prop, dict):
        if "const" in prop:
            return str(prop["const"])
        if isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            return str(prop["enum"][0])
    return ref


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


def _implicit_discriminator(options: list[Any], index: SchemaIndex) -> dict[str, Any]:
    """A property that every alternative fixes to a value of its own (`type: "card"`).

    Without a declared discriminator, such a property still tells the alternatives apart, and
    its values name them better than "option 1".
    """
    shared: dict[str, list[str]] | None = None
    for option in options:
        schema = merge_all_of(look_through(option, index).node, index)
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return {}
        fixed = {}
        for name, node in properties.items():
            prop = look_through(node, index).node
            if "const" in prop:
                fixed[str(name)] = str(prop["const"])
            elif isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
                fixed[str(name)] = str(prop["enum"][0])
        if shared is None:
            shared = {name: [value] for name, value in fixed.items()}
        else:
            shared = {n: [*values, fixed[n]] for n, values in shared.items() if n in fixed}
    for name, values in (shared or {}).items():
        if len(values) > 1 and len(set(values)) == len(values):
            return {"discriminator": name, "mapping": ()}
    return {}


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


@dataclass
class _Table:
    """One field table being built: its rows, and where each component was expanded first."""

    index: SchemaIndex
    mode: Mode
    rows: list[Field] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # component -> the path it is under


def _fields_of(node: Any, index: SchemaIndex, mode: Mode) -> tuple[Field, ...]:
    root, ref, _suffix = _object_part(node, index)
    table = _Table(index, mode)
    stack = frozenset([ref] if ref else [])
    if mode == "schema":  # bodies and responses show a union's members as alternatives
        _members(table, root, "", 0, stack)
    _collect(table, root, "", 0, stack)
    return tuple(table.rows)


def _object_part(node: Any, index: SchemaIndex) -> tuple[Node, str | None, str]:
    """The object a field leads to (through wrappers and arrays), its name and suffix."""
    seen = look_through(node, index)
    schema, ref, suffix = seen.node, seen.ref, ""
    for _ in range(4):
        if not (isinstance(schema.get("items"), dict) and schema_types(schema)[0] == ("array",)):
            break
        seen = look_through(schema["items"], index)
        schema, ref, suffix = seen.node, seen.ref or ref, suffix + "[]"
    return merge_all_of(schema, index), ref, suffix


def _collect(table: _Table, schema: Node, prefix: str, depth: int, stack: frozenset[str]) -> None:
    index, rows = table.index, table.rows
    schema = merge_all_of(schema, index)
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = set(schema.get("required") or [])
    for name, sub in properties.items():
        prop = look_through(sub, index).node
        # Who sees a field is read where it is declared, not inside its `Optional[...]`:
        # Pydantic marks a `SecretStr` member write-only, yet servers return it masked.
        declared = index.resolve(sub).node
        read_only = declared.get("readOnly") is True
        write_only = declared.get("writeOnly") is True
        if (table.mode == "request" and read_only) or (table.mode == "response" and write_only):
            continue
        target, target_ref, suffix = _object_part(sub, index)
        expandable = isinstance(target.get("properties"), dict) and bool(target["properties"])
        too_deep = (
            depth + 1 > MAX_DEPTH
            or (target_ref is not None and target_ref in stack)
            or len(rows) >= MAX_FIELD_ROWS
        )
        path = f"{prefix}{name}"
        # A component expanded once in this table is not expanded again: its rows are above.
        same_as = table.shown.get(target_ref) if target_ref and not too_deep else None
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
                same_as=same_as if expandable else None,
            )
        )
        if too_deep or (same_as is not None and expandable):
            continue
        inner_stack = stack | {target_ref} if target_ref else stack
        first = len(rows)
        _members(table, target, f"{path}{suffix}", depth + 1, inner_stack)
        if expandable:
            _collect(table, target, f"{path}{suffix}.", depth + 1, inner_stack)
        if target_ref and len(rows) - first >= MIN_SHARED_ROWS:
            table.shown.setdefault(target_ref, f"{path}{suffix}")
    _extra_keys(table, schema, prefix, depth)


def _members(table: _Table, schema: Node, path: str, depth: int, stack: frozenset[str]) -> None:
    """Rows for the inline object members of a union: `pet (Cat)`, then `pet (Cat).meow`.

    Members that are components are named (and linked) by the type label and have pages of
    their own; scalar members say all there is in the type label.
    """
    index = table.index
    shape = shape_of(schema, index)
    options = schema.get("oneOf") if isinstance(schema.get("oneOf"), list) else None
    options = options or schema.get("anyOf")
    if not shape.options or not isinstance(options, list):
        return
    kept, _nullable = split_null(options, index)
    for number, (node, option) in enumerate(zip(kept, shape.options, strict=False), start=1):
        member = merge_all_of(look_through(node, index).node, index)
        if option.ref or not isinstance(member.get("properties"), dict):
            continue
        if len(table.rows) >= MAX_FIELD_ROWS:
            return
        label = option_name(option, number)
        here = f"{path} ({label})" if path else f"({label})"
        table.rows.append(
            Field(
                path=here,
                name=label,
                depth=depth,
                shape=option,
                required=False,
                description=str(member.get("description") or "").strip(),
                default="",
                constraints=constraints_of(member),
                selected_by=(shape.discriminator, option.tag)
                if shape.discriminator and option.tag
                else None,
            )
        )
        _collect(table, member, f"{here}.", depth, stack)


def option_name(option: Shape, number: int) -> str:
    """What names an alternative: its title, its discriminator value, else its position."""
    return option.title or option.tag or option.ref or f"option {number}"


def _extra_keys(table: _Table, schema: Node, prefix: str, depth: int) -> None:
    """Rows for keys beyond the named properties: `additionalProperties`, `patternProperties`."""
    index = table.index
    extra: list[tuple[str, Any, str]] = []
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, sub in patterns.items():
            extra.append((f"/{pattern}/", sub, "Keys matching this pattern."))
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict) or additional is True:
        extra.append(("*", additional if isinstance(additional, dict) else {}, "Any other key."))
    for name, sub, text in extra:
        prop = look_through(sub, index).node
        table.rows.append(
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
