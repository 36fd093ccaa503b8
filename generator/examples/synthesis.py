"""Deterministic examples: the spec's own when it has one, otherwise built from the schema.

Built examples use fixed values (no clock, no randomness) and respect types, formats, enums,
`const`, ranges, lengths, required fields and `readOnly`/`writeOnly`. The `minimal` mode builds
the smallest such value, for keys a request must carry whatever else it says.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from generator.examples.regex import costly, search, string_matching
from generator.limits import (
    MAX_EXAMPLE_ITEMS,
    MAX_EXAMPLE_SIZE,
    MAX_EXAMPLE_STRING,
    MAX_NAMED_EXAMPLES,
    count_constraint,
    number_constraint,
)
from generator.model.resolver import (
    COMPONENT_PREFIX,
    Node,
    SchemaIndex,
    merge_all_of,
    schema_types,
    split_null,
)
from generator.model.shapes import Mode

MAX_DEPTH = 4
_MAX_NESTING = 24  # schema levels followed at most, whatever the fields say
_NO_EXAMPLE = object()
_RESPONSE_OPTIONAL_DEPTH = 3  # responses show optional fields this many levels deep
_DEFAULTED_OPTIONAL_DEPTH = 2  # requests show optional fields with a default this deep

# `minimal`: required properties only, no array items, numbers of at least 1, `false`.
ExampleMode = Mode | Literal["minimal"]

_FORMATS: dict[str, Any] = {
    "date-time": "2024-06-01T12:00:00Z",
    "date": "2024-06-01",
    "time": "12:00:00",
    "duration": "PT1H",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uri-reference": "/example",
    "iri": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "binary": "<binary>",
    "password": "********",
    "regex": "^example$",
    "json-pointer": "/example",
}
# Pydantic writes a `timedelta` as a number of seconds: one hour is a natural interval.
_NUMBER_FORMATS: dict[str, int] = {"time-delta": 3600}
_STRING_CANDIDATES = ("string", "example", "a", "A", "abc", "abc123", "1", "example-1", "x_1")


def spec_example(media: Node, schema: Node, index: SchemaIndex | None = None) -> tuple[bool, Any]:
    """The example the spec itself gives for a media type or schema, if any."""
    found = spec_examples(media, schema, index)
    return (True, found[0][1]) if found else (False, None)


def spec_examples(
    media: Node, schema: Node, index: SchemaIndex | None = None
) -> tuple[tuple[str, Any], ...]:
    """Every example the spec gives, as (label, value).

    A named example is labelled by its summary, else its key; a single `example` has none.

    Entries of an `examples` map may be `$ref`s (`#/components/examples/...`): they are followed
    with the document's resolver (bounded, cycle-safe). Entries with only an `externalValue`
    have nothing to show and are skipped; at most `MAX_NAMED_EXAMPLES` are kept.
    """
    if "example" in media:
        return (("", media["example"]),)
    examples = media.get("examples")
    found: list[tuple[str, Any]] = []
    if isinstance(examples, dict):
        for key, entry in examples.items():
            node = index.resolve(entry).node if index is not None else entry
            if isinstance(node, dict) and "value" in node:
                summary = node.get("summary")
                label = summary if isinstance(summary, str) and summary.strip() else str(key)
                found.append((" ".join(label.split()), node["value"]))
            if len(found) >= MAX_NAMED_EXAMPLES:
                break
    if len(found) == 1 and isinstance(examples, dict) and not _summary_of(examples, index):
        found = [("", found[0][1])]  # one example named only by its key (`default`): no label
    if found:
        return tuple(found)
    if "example" in schema:
        return (("", schema["example"]),)
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return (("", schema["examples"][0]),)
    return ()


def _summary_of(examples: dict[str, Any], index: SchemaIndex | None) -> bool:
    """Whether the first example with a value has a summary."""
    for entry in examples.values():
        node = index.resolve(entry).node if index is not None else entry
        if isinstance(node, dict) and "value" in node:
            summary = node.get("summary")
            return isinstance(summary, str) and bool(summary.strip())
    return False


def build_example(node: Any, index: SchemaIndex, mode: Mode) -> Any:
    """An example value for `node` that validates against it, wherever the schema allows."""
    value = _example(node, _Run(index, mode), 0, frozenset(), required=True)
    return None if value is _NO_EXAMPLE else value


def parameter_example(name: str, node: Any, index: SchemaIndex) -> Any:
    """A value for a parameter whose spec gives none, one a reader could send as it is.

    The schema's own value (example, const, default, enum) or format comes first; then an
    integer is 1 (a typical id) and a free string is named after the parameter (`abc123` for
    an id), as long as it fits the string's length and pattern; otherwise the built example.
    A parameter without a schema is taken to be a string.
    """
    schema = merge_all_of(index.resolve(node).node, index)
    found, value = _given_value(schema)
    if found:
        return value
    types, _nullable = schema_types(schema)
    kind = types[0] if types else "" if _has_structure(schema) else "string"
    if kind in ("integer", "number"):
        return _number(schema, kind, index.warnings, 1)
    if kind == "string" and not isinstance(schema.get("format"), str):
        words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        text = (
            "abc123" if re.search(r"(^|[^a-z])id$", name.lower()) or name.endswith("Id") else words
        )
        low = count_constraint(schema, "minLength", index.warnings) or 0
        high = count_constraint(schema, "maxLength", index.warnings)
        pattern = schema.get("pattern")
        fits = low <= len(text) and (high is None or len(text) <= high)
        if text and fits and (not isinstance(pattern, str) or _matches(pattern, text)):
            return text
    return build_example(node, index, "request")


def _has_structure(schema: Node) -> bool:
    return any(k in schema for k in ("properties", "items", "oneOf", "anyOf", "allOf", "type"))


def minimal_example(node: Any, index: SchemaIndex, date_times: Iterable[str] = ()) -> Any:
    """The smallest valid value for `node`.

    Required properties only, empty arrays, numbers of at least 1, `false`. Date-times are taken
    from `date_times` in turn, so that a start given before an end comes first; once they run
    out, the fixed example date-time is used.
    """
    value = _example(node, _Run(index, "minimal", iter(date_times)), 0, frozenset(), True)
    return None if value is _NO_EXAMPLE else value


@dataclass(frozen=True)
class _Run:
    """What stays the same through one example: the resolver, the mode, the date-times."""

    index: SchemaIndex
    mode: ExampleMode
    date_times: Iterator[str] = field(default_factory=lambda: iter(()))


def _example(node: Any, run: _Run, depth: int, stack: frozenset[str], required: bool) -> Any:
    """A value for `node`: the one its schema gives, else one built from its options or type."""
    resolved = run.index.resolve(node)
    schema, ref = merge_all_of(resolved.node, run.index), resolved.ref
    if (ref is not None and ref in stack) or depth > _MAX_NESTING:
        # A schema that contains itself: stop here. An optional field is left out; a required
        # one gets the smallest value of its type (no finite valid value may exist).
        return _NO_EXAMPLE if not required else _smallest(schema)
    if ref is not None:
        stack = stack | {ref}
    found, value = _given_value(schema)
    if found:
        return value
    for combinator in ("oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            value = _first_option(options, run, depth, stack, required)
            kept, _nullable = split_null(options, run.index)
            return _discriminate(value, schema, kept[0] if kept else None, run.index)
    value = _by_type(schema, run, depth, stack)
    return _discriminate(
        value, schema, {"$ref": COMPONENT_PREFIX + ref} if ref else None, run.index
    )


def _discriminate(value: Any, schema: Node, member: Any, index: SchemaIndex) -> Any:
    """Set a discriminator property to the value that selects `member`.

    The tag is the `mapping` key naming the member, else (with no mapping) the member's
    component name; a value the member's own property pins (`const`, `enum`) is kept.
    """
    disc = schema.get("discriminator")
    if not isinstance(value, dict) or not isinstance(disc, dict) or member is None:
        return value
    prop = disc.get("propertyName")
    if not isinstance(prop, str) or not prop:
        return value
    resolved = index.resolve(member)
    target = member.get("$ref") if isinstance(member, dict) else None
    mapping = disc.get("mapping")
    tag: Any = None
    if isinstance(mapping, dict):
        for key, to in mapping.items():
            if isinstance(to, str) and to in (target, resolved.ref):
                tag = str(key)
                break
    if tag is None and resolved.ref is not None and not isinstance(mapping, dict):
        tag = resolved.ref
    if tag is None and isinstance(mapping, dict) and mapping and member is not None:
        tag = str(next(iter(mapping)))
    member_node = merge_all_of(resolved.node, index)
    props = member_node.get("properties")
    own = index.resolve(props.get(prop)).node if isinstance(props, dict) else {}
    if tag is None or not _accepts(own, tag):
        return value
    return {**value, prop: tag} if prop in value else {prop: tag, **value}


def _accepts(schema: Node, tag: str) -> bool:
    """Whether a discriminator property's schema allows `tag`."""
    if "const" in schema:
        return bool(schema["const"] == tag)
    enum = schema.get("enum")
    if isinstance(enum, list):
        return tag in enum
    types, _nullable = schema_types(schema)
    return not types or "string" in types


def _given_value(schema: Node) -> tuple[bool, Any]:
    """(True, value) when the schema names its value: an example, `const`, a default, an enum."""
    found, value = spec_example({}, schema)
    if found:
        return True, value
    if "const" in schema:
        return True, schema["const"]
    if schema.get("default") is not None:
        return True, schema["default"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return True, next((v for v in enum if v is not None), enum[0])
    return False, None


def _first_option(
    options: list[Any], run: _Run, depth: int, stack: frozenset[str], required: bool
) -> Any:
    """A value for the first non-null option of a `oneOf`/`anyOf` (None if that is all)."""
    kept, nullable = split_null(options, run.index)
    if not kept:
        return None
    value = _example(kept[0], run, depth + 1, stack, required and not nullable)
    return None if value is _NO_EXAMPLE and nullable and required else value


def _by_type(schema: Node, run: _Run, depth: int, stack: frozenset[str]) -> Any:
    """A value built from the schema's (first) type."""
    types, _nullable = schema_types(schema)
    kind = types[0] if types else "object" if "properties" in schema else ""
    if kind == "object":
        return _object(schema, run, depth, stack)
    if kind == "array":
        return _array(schema, run, depth, stack)
    if kind == "string":
        return _string_for(schema, run)
    if kind in ("integer", "number"):
        return _number(schema, kind, run.index.warnings, 1 if run.mode == "minimal" else None)
    if kind == "boolean":
        return run.mode != "minimal"
    # `null`, or no type at all: a placeholder (an empty object for the whole body)
    return None if kind == "null" else {} if depth == 0 else "value"


def _string_for(schema: Node, run: _Run) -> str:
    """A string; minimal examples take their date-times from the run, in turn."""
    if run.mode == "minimal" and schema.get("format") == "date-time":
        return next(run.date_times, _FORMATS["date-time"])
    return _string(schema, run.index.warnings)


def _smallest(schema: Node) -> Any:
    types, _nullable = schema_types(schema)
    kind = types[0] if types else ""
    return {"object": {}, "array": [], "string": "", "integer": 0, "number": 0}.get(kind)


def _object(schema: Node, run: _Run, depth: int, stack: frozenset[str]) -> Any:
    index, mode = run.index, run.mode
    properties = schema.get("properties")
    result: dict[str, Any] = {}
    if not isinstance(properties, dict):
        return result
    required = set(schema.get("required") or [])
    size = 1
    for name, sub in properties.items():
        prop = index.resolve(sub).node
        if (mode in ("request", "minimal") and prop.get("readOnly")) or (
            mode == "response" and prop.get("writeOnly")
        ):
            continue
        if name not in required and not _include_optional(prop, index, mode, depth):
            continue
        if depth >= MAX_DEPTH and name not in required:
            continue
        if size > MAX_EXAMPLE_SIZE:
            index.warnings.append(
                f"an example object passed the limit of {MAX_EXAMPLE_SIZE:,} in size; "
                f"fields from {name!r} on are left out"
            )
            break
        value = _example(sub, run, depth + 1, stack, required=name in required)
        if value is not _NO_EXAMPLE:
            result[name] = value
            size += len(str(name)) + example_size(value)
    return result


def _include_optional(prop: Node, index: SchemaIndex, mode: ExampleMode, depth: int) -> bool:
    """Responses show every field near the top; requests only the ones a caller usually sets."""
    if mode == "minimal":
        return False
    if mode != "request":
        return depth < _RESPONSE_OPTIONAL_DEPTH
    return _caller_sets(prop, index, depth)


def _caller_sets(prop: Node, index: SchemaIndex, depth: int) -> bool:
    """Whether a request example shows this optional field: one a caller usually sets."""
    if "example" in prop or "examples" in prop:
        return True
    if prop.get("default") is not None:
        return depth < _DEFAULTED_OPTIONAL_DEPTH
    if prop.get("default", 0) is None or prop.get("deprecated"):
        return False
    options = prop.get("anyOf") or prop.get("oneOf")
    if isinstance(options, list) and split_null(options, index)[1]:
        return False
    types, nullable = schema_types(prop)
    return depth == 0 and not nullable and types in (("string",), ("boolean",))


def _array(schema: Node, run: _Run, depth: int, stack: frozenset[str]) -> Any:
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and prefix:  # a tuple: one value per position
        values = [_example(p, run, depth + 1, stack, required=True) for p in prefix]
        return [None if v is _NO_EXAMPLE else v for v in values]
    items = schema.get("items")
    warn = run.index.warnings
    least = 0 if run.mode == "minimal" else 1
    count = max(least, count_constraint(schema, "minItems", warn) or 0)
    if count > MAX_EXAMPLE_ITEMS:
        warn.append(f"minItems {count} is over the limit of {MAX_EXAMPLE_ITEMS:,} example items")
        count = MAX_EXAMPLE_ITEMS
    high = count_constraint(schema, "maxItems", warn)
    if high is not None and high < count:
        count = high
    if not isinstance(items, dict) or count == 0:
        return []
    value = _example(items, run, depth + 1, stack, required=False)
    if value is _NO_EXAMPLE:
        return []
    size = example_size(value)
    if count * size > MAX_EXAMPLE_SIZE:
        warn.append(f"an example array passed the limit of {MAX_EXAMPLE_SIZE:,} in size; shortened")
        count = max(1, MAX_EXAMPLE_SIZE // size)
    if count > 1 and schema.get("uniqueItems"):
        return [value] if not isinstance(value, str) else [f"{value}{n}" for n in range(count)]
    return [value] * count


def _string(schema: Node, warn: list[str]) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return str(_FORMATS[fmt])
    pattern = schema.get("pattern")
    low = count_constraint(schema, "minLength", warn) or 0
    high = count_constraint(schema, "maxLength", warn)
    if low > MAX_EXAMPLE_STRING:
        warn.append(
            f"minLength {low} is over the limit of {MAX_EXAMPLE_STRING:,} example characters"
        )
        low = 0
    for candidate in _STRING_CANDIDATES:
        text = candidate.ljust(low, "x") if len(candidate) < low else candidate
        if high is not None and len(text) > high:
            text = text[:high]
        if not isinstance(pattern, str) or _matches(pattern, text):
            return text
    built = string_matching(pattern, warn) if isinstance(pattern, str) else None
    return built if built is not None else "string"


def _matches(pattern: str, text: str) -> bool:
    """Whether `text` matches; an invalid pattern matches anything, a check too costly nothing."""
    if costly(pattern, len(text)):
        return False
    return search(pattern, text) is not False


def _number(schema: Node, kind: str, warn: list[str], at_least: int | None = None) -> int | float:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _NUMBER_FORMATS and _within(schema, _NUMBER_FORMATS[fmt]):
        return _NUMBER_FORMATS[fmt]
    low = number_constraint(schema, "minimum", warn)
    exclusive = number_constraint(schema, "exclusiveMinimum", warn)
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        low = exclusive + 1
    elif exclusive is True and isinstance(low, int | float):
        low = low + 1
    value: float = low if isinstance(low, int | float) else 0
    if at_least is not None:
        value = max(value, at_least)
    high = number_constraint(schema, "maximum", warn)
    if isinstance(high, int | float) and value > high:
        value = high
    step = number_constraint(schema, "multipleOf", warn)
    if isinstance(step, int | float) and step > 0 and value % step:
        value = (value // step + 1) * step
    if isinstance(value, float) and not math.isfinite(value):  # e.g. 1e308 rounded up to a step
        warn.append(f"no finite example number for minimum {low!r}, multipleOf {step!r}")
        value = 0
    whole = kind == "integer" or (at_least is not None and float(value).is_integer())
    return int(value) if whole else float(value)


def _within(schema: Node, value: float) -> bool:
    low, high = schema.get("minimum"), schema.get("maximum")
    return not (isinstance(low, int | float) and value < low) and not (
        isinstance(high, int | float) and value > high
    )


def example_size(value: Any) -> int:
    """The size of an example: the length of its compact JSON text.

    Each array and object checks its own size as it is built, so no value measured here is
    much larger than `MAX_EXAMPLE_SIZE`; serialising it in C is many times faster than a walk.
    """
    if not isinstance(value, dict | list):
        return len(value) + 2 if isinstance(value, str) else 8  # the common case, at once
    try:
        return len(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):  # integers beyond 64 bits, non-str keys
        return len(json.dumps(value, separators=(",", ":"), default=str))
