"""Worked filter examples, chosen from what an operation's filter schemas support.

Each recipe (match by name, tags, an enum such as the state type, a time window, missing
values, `or_`, a cross-entity join, sort with pagination...) is offered only when the schema
has the operators it needs; `build_examples` keeps the first distinct ones, core recipes first.
Values come from a `Vocabulary`, so output is deterministic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from generator.filters.builder import Criterion, ExampleBuilder, code, is_time, pick
from generator.filters.model import (
    Code,
    EntityFilter,
    FieldOperator,
    FilterExample,
    FilterField,
    OperationFilters,
    Prose,
    prose,
)
from generator.filters.values import Vocabulary

__all__ = ["MAX_EXAMPLES", "FilterExample", "Vocabulary", "build_examples"]

MAX_EXAMPLES = 8
_CORE_AND_EXTRAS = 6  # extras (not_any_, ranges...) stop once this many examples exist

Examples = Iterator[FilterExample | None]  # None: a recipe that turned out not to apply


def build_examples(op: OperationFilters, vocab: Vocabulary) -> tuple[FilterExample, ...]:
    """3 to 8 worked examples for `op`, fewer only when its schemas offer less."""
    b = ExampleBuilder(op, vocab)
    chosen: list[FilterExample] = []
    seen: set[str] = set()

    def offer(candidates: Iterable[FilterExample | None], cap: int) -> None:
        for example in candidates:
            if example is None or len(chosen) >= cap:
                continue
            body = json.dumps(example.body)  # key order matters: bodies are shown as built
            if body not in seen:
                seen.add(body)
                chosen.append(example)

    if b.primary is None:
        offer([_paginate(b)], MAX_EXAMPLES)
    else:
        offer(_core(b), MAX_EXAMPLES)
        offer(_extras(b), _CORE_AND_EXTRAS)
    return tuple(chosen)


def _plain_strings(fop: FieldOperator) -> bool:
    return not fop.value.enum and fop.value.format != "uuid" and fop.value.base == "string"


def _has_enum(fop: FieldOperator) -> bool:
    return bool(fop.value.enum)


def _core(b: ExampleBuilder) -> Examples:
    p = b.p
    name_field = pick(p, "any_", _plain_strings, prefer=("name", "key"))
    if name_field:
        yield b.example(f"Match by {name_field.label}", [b.criterion(p, name_field, "any_")])
    tags = pick(p, "all_", prefer=("tags",))
    if tags:
        yield b.example(f"Match all {tags.label}", [b.criterion(p, tags, "all_")])
    enum_field = pick(p, "any_", _has_enum)
    if enum_field:
        yield b.example(f"Filter by {enum_field.label}", [b.criterion(p, enum_field, "any_")])
    window = pick(p, "after_", is_time) or pick(p, "before_")
    if window:
        crit = b.bounds(p, window)
        title = "Time window" if len(crit.ops) > 1 else f"Time bound on {window.label}"
        yield b.example(title, [crit])
    missing = pick(p, "is_null_")
    if missing:
        yield b.example(f"Missing {missing.label}", [b.criterion(p, missing, "is_null_")])
    yield _either(b)
    yield _across(b)
    yield from _keyword(b)
    yield _paginate(b)


def _either(b: ExampleBuilder) -> FilterExample | None:
    """Two criteria of the primary entity joined with `or_`."""
    p = b.p
    if p.combinator is None or "or_" not in p.combinator.values:
        return None
    first = pick(p, "like_", prefer=("name",)) or pick(p, "any_", _plain_strings, ("name",))
    if first is None:
        return None
    seconds = (pick(p, "is_null_", prefer=("tags",)), pick(p, "all_"), pick(p, "any_", _has_enum))
    second = next((f for f in seconds if f is not None and f is not first), None)
    if second is None:
        return None
    crits = [
        b.criterion(p, first, "like_" if first.operator("like_") else "any_"),
        b.criterion(p, second, next(n for n in ("is_null_", "all_", "any_") if second.operator(n))),
    ]
    return b.example(prose("Combine criteria with ", Code("or_")), crits, combinator="or_")


# --- filtering through a related entity ------------------------------------------------------

_Join = Callable[[ExampleBuilder, EntityFilter], list[Criterion]]


def _across(b: ExampleBuilder) -> FilterExample | None:
    """Primary objects selected through a related entity filter, the first join that fits."""
    # Prefer keeping the primary's own enum ("failed runs of flows tagged database").
    joins: tuple[_Join, ...] = (
        _related_tags_own_enum,
        _own_tags_related_enum,
        _related_enum,
        _related_tags,
        _related_name,
    )
    for join in joins:
        for r in b.op.related:
            crits = join(b, r)
            if crits:
                return b.example(f"Filter through related {r.noun}", crits)
    return None


def _related_tags_own_enum(b: ExampleBuilder, r: EntityFilter) -> list[Criterion]:
    own, tags = pick(b.p, "any_", _has_enum), pick(r, "all_", prefer=("tags",))
    return [_one_enum(b, b.p, own), b.criterion(r, tags, "all_")] if own and tags else []


def _own_tags_related_enum(b: ExampleBuilder, r: EntityFilter) -> list[Criterion]:
    tags, enum = pick(b.p, "all_", prefer=("tags",)), pick(r, "any_", _has_enum)
    return [b.criterion(b.p, tags, "all_"), _one_enum(b, r, enum)] if tags and enum else []


def _related_enum(b: ExampleBuilder, r: EntityFilter) -> list[Criterion]:
    enum = pick(r, "any_", _has_enum)
    return [_one_enum(b, r, enum)] if enum else []


def _related_tags(b: ExampleBuilder, r: EntityFilter) -> list[Criterion]:
    tags = pick(r, "all_", prefer=("tags",))
    return [b.criterion(r, tags, "all_")] if tags else []


def _related_name(b: ExampleBuilder, r: EntityFilter) -> list[Criterion]:
    name = pick(r, "any_", _plain_strings, ("name",))
    return [b.criterion(r, name, "any_")] if name else []


def _one_enum(b: ExampleBuilder, e: EntityFilter, f: FilterField) -> Criterion:
    # One value reads better in a join: "flow runs whose state type is `FAILED`".
    value = b.criterion(e, f, "any_").ops["any_"][:1]
    return Criterion(e, f, {"any_": value}, prose(f"whose {f.label} is ", code(value)))


# --- keyword fields, pagination, extras ------------------------------------------------------


def _keyword(b: ExampleBuilder) -> Examples:
    fields = [f for f in b.p.fields if all(o.keyword for o in f.operators)]
    for f in fields[:3]:
        crit = b.keyword(b.p, f)
        if crit is not None:
            yield b.example(prose("Filter by ", Code(f.name)), [crit])


def _paginate(b: ExampleBuilder) -> FilterExample | None:
    """A page of results, sorted when the body has a sort key; for any operation that pages."""
    op, size = b.op, b.vocab.page_size
    offset, page, limit = op.page_param("offset"), op.page_param("page"), op.page_param("limit")
    if limit is None or (offset is None and page is None):
        return None
    extra: dict[str, Any] = {}
    noun = b.primary.noun.capitalize() if b.primary else "Results"
    order: Prose = ()
    if op.sort is not None:
        value = _sort_value(op.sort.values, op.sort.default)
        extra[op.sort.key] = value
        order = prose(" ordered by ", Code(value))
    if page is not None:
        extra.update({page.key: 2, limit.key: size})
        text = prose(noun, order, f", page 2 with {size} per page.")
    else:
        assert offset is not None
        extra.update({limit.key: size, offset.key: 1})
        text = prose(noun, order, f", skipping the first match and returning the next {size}.")
        if b.primary is None and op.sort is None:
            text = prose(f"Skip the first result and return the next {size}.")
    title = "Sort and paginate" if op.sort is not None else "Paginate"
    return b.example(title, [], extra, explanation=text)


def _sort_value(values: tuple[str, ...], default: str | None) -> str:
    # The reverse of the default order is the most telling choice, then any other DESC order.
    if default and default.endswith("ASC"):
        flipped = re.sub(r"ASC$", "DESC", default)
        if flipped in values:
            return flipped
    others = [v for v in values if v != default]
    return next((v for v in others if v.upper().endswith("DESC")), (others or list(values))[0])


_EXTRA_RECIPES = (
    ("like_", "Partial match on {}"),
    ("not_any_", "Exclude {} values"),
    ("startswith_", "Prefix match on {}"),
    ("ge_", "Range of {}"),
    ("eq_", "Match on {}"),
    ("exists_", "Require {}"),
)


def _extras(b: ExampleBuilder) -> Examples:
    p = b.p
    for name, title in _EXTRA_RECIPES:
        f = pick(p, name, prefer=("name", "state"))
        if f is not None:
            yield b.example(title.format(f.label), [b.criterion(p, f, name)])
    named = [f for f in p.fields if (o := f.operator("any_")) and _plain_strings(o)]
    for f in named[1:2]:  # the first one is already "Match by name"
        yield b.example(f"Match by {f.label}", [b.criterion(p, f, "any_")])
    ident = pick(p, "any_", lambda o: o.value.format == "uuid", prefer=("id",))
    if ident is not None:
        yield b.example(f"Look up by {ident.label}", [b.criterion(p, ident, "any_")])
