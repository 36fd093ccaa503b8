"""Worked filter examples, chosen from what an operation's filter schemas support.

Each recipe (match by name, tags, an enum such as the state type, a time window, missing
values, `or_`, a cross-entity join, sort with pagination...) is offered only when the schema
has the operators it needs. Values come from a `Vocabulary`, then from schema `examples`, then
from a generic fallback, so output is deterministic.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.filters import EntityFilter, FieldOperator, FilterField, OperationFilters

MAX_EXAMPLES = 8
_CORE_AND_EXTRAS = 6  # extras (not_any_, ranges...) stop once this many examples exist
_UUID_NAMESPACE = uuid.UUID("6f1c2b0e-8a8d-4c1e-9a53-2f6f0d9b7c11")

_NAMES = MappingProxyType(
    {
        "flows": "nightly-etl",
        "flow_runs": "nightly-etl-2024-05-01",
        "task_runs": "extract-orders",
        "deployments": "nightly-etl-prod",
        "work_pools": "etl-pool",
        "work_queues": "etl-high-priority",
        "work_pool_queues": "etl-high-priority",
        "workers": "etl-worker-1",
        "block_documents": "warehouse-credentials",
        "variables": "warehouse_schema",
        "automations": "notify-on-failure",
        "block_types": "Slack Webhook",
    }
)
_VALUES = MappingProxyType(
    {
        "tags": ("database",),
        "key": ("nightly-report",),
        "work_queue_name": ("etl-high-priority",),
        "flow_version": ("1.0.0",),
        "idempotency_key": ("nightly-etl-2024-05-01",),
        "state.name": ("Failed",),
        "work_pools.type": ("process",),
        "artifacts.type": ("markdown",),
        "block_types.slug": ("slack-webhook",),
        "level": (40,),
        "event.prefix": ("prefect.flow-run.",),
        "event.name": ("prefect.flow-run.Failed",),
        "resource.id_prefix": ("prefect.flow-run.",),
        "text.query": ("error",),
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """Realistic values for examples: entity names, field values, enum preferences, times.

    `values` is looked up by `entity.field`, then `field`, then the last path element.
    """

    names: Mapping[str, str] = field(default_factory=lambda: _NAMES)
    values: Mapping[str, tuple[Any, ...]] = field(default_factory=lambda: _VALUES)
    enum_preference: tuple[str, ...] = ("FAILED", "CRASHED", "ONLINE", "COMPLETED")
    exclude_preference: tuple[str, ...] = ("SCHEDULED", "PENDING", "OFFLINE")
    times: tuple[str, ...] = ("2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z")
    page_size: int = 2


@dataclass(frozen=True)
class FilterExample:
    """A worked example: a title, a one-line explanation and the JSON request body."""

    title: str
    explanation: str
    body: dict[str, Any] = field(hash=False)

    @property
    def json(self) -> str:
        """The body as indented JSON (2 spaces, keys in insertion order)."""
        return json.dumps(self.body, indent=2, ensure_ascii=False)

    @property
    def compact(self) -> str:
        """The body as one-line JSON."""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":"))

    def curl(self, base_url: str, method: str, path: str) -> str:
        """A shell-safe curl command sending this body; path parameters become `<name>`."""
        url = base_url.rstrip("/") + re.sub(r"\{([^}/]+)\}", r"<\1>", path)
        quoted_url = re.sub(r'(["\\$`])', r"\\\1", url)
        payload = self.compact.replace("'", "'\\''")  # close, escaped quote, reopen
        return (
            f'curl -X {method.upper()} "{quoted_url}" \\\n'
            '  -H "Content-Type: application/json" \\\n'
            f"  -d '{payload}'"
        )


@dataclass(frozen=True)
class _Criterion:
    """Operators applied to one field of one entity, with a prose phrase."""

    entity: EntityFilter
    field: FilterField
    ops: dict[str, Any]
    phrase: str  # relative clause after the noun: "whose name is `nightly-etl`"

    def fragment(self) -> dict[str, Any]:
        node: dict[str, Any] = dict(self.ops)
        for key in reversed(self.field.path):
            node = {key: node}
        return node


def _merge(into: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _code(values: Any) -> str:
    items = values if isinstance(values, list) else [values]
    return ", ".join(f"`{json.dumps(v) if not isinstance(v, str) else v}`" for v in items)


class _Builder:
    """Recipes over one operation; each returns an example or None when unsupported."""

    def __init__(self, op: OperationFilters, vocab: Vocabulary) -> None:
        self.op = op
        self.vocab = vocab
        self.primary = op.primary_entity

    @property
    def p(self) -> EntityFilter:
        """The primary entity; recipes run only for operations that have one."""
        assert self.primary is not None
        return self.primary

    # values ------------------------------------------------------------------------------

    def strings(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> list[Any]:
        if fop.value.enum:
            return self.enum_values(fop, self.vocab.enum_preference, 2)
        if fop.value.format == "uuid":
            return [str(uuid.uuid5(_UUID_NAMESPACE, f"{entity.key}.{f.name}"))]
        for key in (f"{entity.key}.{f.name}", f.name, f.path[-1]):
            if key in self.vocab.values:
                return list(self.vocab.values[key][:1])
        if f.path[-1] == "name" and entity.key in self.vocab.names:
            return [self.vocab.names[entity.key]]
        for sample in fop.value.examples:
            first = sample[0] if isinstance(sample, list) and sample else sample
            if isinstance(first, str):
                return [first]
        return [f"{f.path[-1]}-1"]

    def enum_values(self, fop: FieldOperator, preference: tuple[str, ...], n: int) -> list[str]:
        preferred = [v for v in preference if v in fop.value.enum]
        return (preferred or list(fop.value.enum))[:n]

    def number(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> Any:
        for key in (f"{entity.key}.{f.name}", f.name):
            if key in self.vocab.values:
                return self.vocab.values[key][0]
        return fop.value.examples[0] if fop.value.examples else 1

    # criteria ----------------------------------------------------------------------------

    def pick(
        self,
        entity: EntityFilter,
        name: str,
        test: Callable[[FieldOperator], bool] = lambda _: True,
        prefer: tuple[str, ...] = (),
    ) -> FilterField | None:
        usable = [f for f in entity.fields if (o := f.operator(name)) and test(o)]
        ranked = sorted(
            usable, key=lambda f: prefer.index(f.path[-1]) if f.path[-1] in prefer else len(prefer)
        )
        return ranked[0] if ranked else None

    def criterion(self, entity: EntityFilter, f: FilterField, name: str) -> _Criterion:
        fop = f.operator(name)
        assert fop is not None
        label = f.label
        if name in ("any_", "all_", "not_any_", "startswith_"):
            values = self.strings(entity, f, fop)
            if name == "not_any_" and fop.value.enum:
                values = self.enum_values(fop, self.vocab.exclude_preference, 2)
            if name == "startswith_":
                values = [re.split(r"[-_ ]", str(values[0]))[0]]
            listy = f.operator("all_") is not None  # a collection such as tags
            verb = {
                "any_": "include" if listy else "is",
                "all_": "include",
                "not_any_": "is not",
                "startswith_": "starts with",
            }[name]
            joiner = " or " if name != "all_" else " and "
            shown = joiner.join(_code(v) for v in values)
            if name == "any_" and len(values) > 1:
                verb, shown = "include any of" if listy else "is one of", _code(values)
            return _Criterion(entity, f, {name: values}, f"whose {label} {verb} {shown}")
        if name == "like_":
            # A fragment of the value `any_` would use, so both examples tell one story.
            whole = str(self.strings(entity, f, f.operator("any_") or fop)[0])
            words = re.findall(r"[A-Za-z]{2,}", whole)
            text = words[-1] if words else whole
            return _Criterion(entity, f, {name: text}, f"whose {label} contains `{text}`")
        if name in ("is_null_", "exists_"):
            return _Criterion(entity, f, {name: True}, self.flag_phrase(entity, f, fop))
        if name == "eq_" and fop.value.base == "boolean":
            state = label[3:] if label.startswith("is ") else label
            return _Criterion(entity, f, {name: True}, f"that are {state}")
        if name == "eq_":
            value = self.strings(entity, f, fop)[0]
            return _Criterion(entity, f, {name: value}, f"whose {label} is {_code(value)}")
        return self.bounds(entity, f)

    def flag_phrase(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> str:
        # Descriptions such as "If true, only include flows without tags" read best.
        found = re.match(
            r"if `?true`?,? only (?:include|return) (.+?)(?:[;.]|$)", fop.meaning, re.IGNORECASE
        )
        if found and found.group(1).lower().startswith(entity.noun + " "):
            return found.group(1)[len(entity.noun) + 1 :]
        return f"whose {f.label} is not set" if fop.name == "is_null_" else f"that have {f.label}"

    def bounds(self, entity: EntityFilter, f: FilterField) -> _Criterion:
        low_op, high_op = (
            ("after_", "before_")
            if f.operator("after_") or f.operator("before_")
            else ("ge_", "le_")
        )
        ops: dict[str, Any] = {}
        low, high = f.operator(low_op), f.operator(high_op)
        if low_op == "after_":
            if low:
                ops[low_op] = self.vocab.times[0]
            if high:
                ops[high_op] = self.vocab.times[1] if low else self.vocab.times[0]
        else:
            if low:
                ops[low_op] = self.number(entity, f, low)
            if high and (high.value.examples or not low):
                ops[high_op] = high.value.examples[0] if high.value.examples else 10
        words = {
            "after_": "at or after",
            "before_": "at or before",
            "ge_": "at least",
            "le_": "at most",
        }
        if len(ops) == 2:
            a, b = ops.values()
            phrase = f"whose {f.label} is between {_code(a)} and {_code(b)}"
        else:
            ((key, value),) = ops.items()
            phrase = f"whose {f.label} is {words[key]} {_code(value)}"
        return _Criterion(entity, f, ops, phrase)

    def keyword(self, entity: EntityFilter, f: FilterField) -> _Criterion | None:
        times = [o for o in f.operators if o.value.format == "date-time" and not o.value.is_list]
        if len(times) >= 2:
            ops = {times[0].name: self.vocab.times[0], times[1].name: self.vocab.times[1]}
            first, second = self.vocab.times
            return _Criterion(
                entity, f, ops, f"whose `{f.name}` falls between `{first}` and `{second}`"
            )

        def rank(fop: FieldOperator) -> int:
            known = f"{f.name}.{fop.name}" in self.vocab.values
            return 0 if known else 1 if fop.value.examples else 2

        for fop in sorted(f.operators, key=rank):
            if fop.value.base == "string" and not fop.value.enum:
                key = f"{f.name}.{fop.name}"
                sample = self.vocab.values.get(key, ()) or fop.value.examples or (f"{key}-1",)
                value = sample[0] if not isinstance(sample[0], list) else sample[0][0]
                wrapped = [value] if fop.value.is_list else value
                phrase = f"where `{f.name}.{fop.name}` is {_code(value)}"
                return _Criterion(entity, f, {fop.name: wrapped}, phrase)
        return None

    # examples ----------------------------------------------------------------------------

    def example(
        self,
        title: str,
        criteria: list[_Criterion],
        extra: Mapping[str, Any] | None = None,
        *,
        explanation: str = "",
        combinator: str | None = None,
    ) -> FilterExample | None:
        anchors = self.anchors(criteria)
        if combinator and any(a.entity.key == criteria[0].entity.key for a in anchors):
            return None  # `or_` would make the mandatory window optional
        criteria = criteria + anchors
        body: dict[str, Any] = dict(self.op.required_body)
        for entity in self.op.entities:
            if entity.required:
                body.setdefault(entity.key, {})
        for crit in criteria:
            _merge(body.setdefault(crit.entity.key, {}), crit.fragment())
        if combinator and criteria:
            assert criteria[0].entity.combinator is not None
            node = body[criteria[0].entity.key]
            body[criteria[0].entity.key] = {criteria[0].entity.combinator.key: combinator, **node}
        body.update(extra or {})
        return FilterExample(title, explanation or self.explain(criteria, combinator), body)

    def anchors(self, criteria: list[_Criterion]) -> list[_Criterion]:
        """Time windows for entity filters the body requires.

        A filter that must be present signals a bounded query (Prefect's dashboard counts
        reject a missing `start_time.after_`), so every example carries a window there.
        """
        found = []
        for entity in self.op.entities:
            window = self.pick(entity, "after_", lambda o: o.value.format == "date-time")
            if not entity.required or window is None:
                continue
            if not any(c.entity.key == entity.key and c.field is window for c in criteria):
                found.append(self.bounds(entity, window))
        return found

    def explain(self, criteria: list[_Criterion], combinator: str | None = None) -> str:
        mine = [c.phrase for c in criteria if c.entity.key == self.p.key]
        joiner = " or " if combinator == "or_" else " and "
        text = self.p.noun.capitalize()
        if mine:
            text += " " + joiner.join(mine)
        for other in (c for c in criteria if c.entity.key != self.p.key):
            text += (" that are" if mine else "") + f" linked to {other.entity.noun} {other.phrase}"
        return text + "."


def _plain_strings(fop: FieldOperator) -> bool:
    return not fop.value.enum and fop.value.format != "uuid" and fop.value.base == "string"


def _core(b: _Builder) -> Iterator[FilterExample | None]:
    p = b.p
    name_field = b.pick(p, "any_", _plain_strings, prefer=("name", "key"))
    if name_field:
        yield b.example(f"Match by {name_field.label}", [b.criterion(p, name_field, "any_")])
    tags = b.pick(p, "all_", prefer=("tags",))
    if tags:
        yield b.example(f"Match all {tags.label}", [b.criterion(p, tags, "all_")])
    enum_field = b.pick(p, "any_", lambda o: bool(o.value.enum))
    if enum_field:
        yield b.example(f"Filter by {enum_field.label}", [b.criterion(p, enum_field, "any_")])
    window = b.pick(p, "after_", lambda o: o.value.format == "date-time") or b.pick(p, "before_")
    if window:
        crit = b.bounds(p, window)
        title = "Time window" if len(crit.ops) == 2 else f"Time bound on {window.label}"
        yield b.example(title, [crit])
    missing = b.pick(p, "is_null_")
    if missing:
        yield b.example(f"Missing {missing.label}", [b.criterion(p, missing, "is_null_")])
    yield _either(b)
    yield _across(b)
    yield from _keyword(b)
    yield _paginate(b)


def _either(b: _Builder) -> FilterExample | None:
    p = b.p
    if p.combinator is None or "or_" not in p.combinator.values:
        return None
    first = b.pick(p, "like_", prefer=("name",)) or b.pick(p, "any_", _plain_strings, ("name",))
    if first is None:
        return None
    second = next(
        (
            f
            for f in (
                b.pick(p, "is_null_", prefer=("tags",)),
                b.pick(p, "all_"),
                b.pick(p, "any_", lambda o: bool(o.value.enum)),
            )
            if f is not None and f is not first
        ),
        None,
    )
    if second is None:
        return None
    crits = [
        b.criterion(p, first, "like_" if first.operator("like_") else "any_"),
        b.criterion(p, second, next(n for n in ("is_null_", "all_", "any_") if second.operator(n))),
    ]
    return b.example("Combine criteria with `or_`", crits, combinator="or_")


def _across(b: _Builder) -> FilterExample | None:
    p = b.p

    def enum_of(e: EntityFilter) -> FilterField | None:
        return b.pick(e, "any_", lambda o: bool(o.value.enum))

    def tags_of(e: EntityFilter) -> FilterField | None:
        return b.pick(e, "all_", prefer=("tags",))

    def one_enum(e: EntityFilter, f: FilterField) -> _Criterion:
        crit = b.criterion(e, f, "any_")
        value = crit.ops["any_"][:1]
        return _Criterion(e, f, {"any_": value}, f"whose {f.label} is {_code(value)}")

    # Prefer keeping the primary's own enum ("failed runs of flows tagged database").
    for choose in ("r_tags_p_enum", "p_tags_r_enum", "r_enum", "r_tags", "r_name"):
        for r in b.op.related:
            pt, pe, rt, re_ = tags_of(p), enum_of(p), tags_of(r), enum_of(r)
            crits: list[_Criterion] = []
            if choose == "p_tags_r_enum" and pt and re_:
                crits = [b.criterion(p, pt, "all_"), one_enum(r, re_)]
            elif choose == "r_tags_p_enum" and rt and pe:
                crits = [one_enum(p, pe), b.criterion(r, rt, "all_")]
            elif choose == "r_enum" and re_:
                crits = [one_enum(r, re_)]
            elif choose == "r_tags" and rt:
                crits = [b.criterion(r, rt, "all_")]
            elif choose == "r_name" and (rn := b.pick(r, "any_", _plain_strings, ("name",))):
                crits = [b.criterion(r, rn, "any_")]
            if crits:
                return b.example(f"Filter through related {r.noun}", crits)
    return None


def _keyword(b: _Builder) -> Iterator[FilterExample | None]:
    fields = [f for f in b.p.fields if all(o.keyword for o in f.operators)]
    for f in fields[:3]:
        crit = b.keyword(b.p, f)
        if crit is not None:
            yield b.example(f"Filter by `{f.name}`", [crit])


def _paginate(b: _Builder) -> FilterExample | None:
    op, size = b.op, b.vocab.page_size
    offset, page, limit = op.page_param("offset"), op.page_param("page"), op.page_param("limit")
    if limit is None or (offset is None and page is None):
        return None
    extra: dict[str, Any] = {}
    noun = b.primary.noun.capitalize() if b.primary else "Results"
    order = ""
    if op.sort is not None:
        value = _sort_value(op.sort.values, op.sort.default)
        extra[op.sort.key] = value
        order = f" ordered by `{value}`"
    if page is not None:
        extra.update({page.key: 2, limit.key: size})
        text = f"{noun}{order}, page 2 with {size} per page."
    else:
        assert offset is not None
        extra.update({limit.key: size, offset.key: 1})
        text = f"{noun}{order}, skipping the first match and returning the next {size}."
        if b.primary is None and op.sort is None:
            text = f"Skip the first result and return the next {size}."
    title = "Sort and paginate" if op.sort is not None else "Paginate"
    return b.example(title, [], extra, explanation=text)


def _sort_value(values: tuple[str, ...], default: str | None) -> str:
    # The reverse of the default order is the most telling choice, then any other DESC order.
    if default:
        flipped = re.sub(r"ASC$", "DESC", default) if default.endswith("ASC") else None
        if flipped in values:
            return flipped
    others = [v for v in values if v != default]
    return next((v for v in others if v.upper().endswith("DESC")), (others or list(values))[0])


def _extras(b: _Builder) -> Iterator[FilterExample | None]:
    p = b.p
    recipes = (
        ("like_", "Partial match on {}"),
        ("not_any_", "Exclude {} values"),
        ("startswith_", "Prefix match on {}"),
        ("ge_", "Range of {}"),
        ("eq_", "Match on {}"),
        ("exists_", "Require {}"),
    )
    for name, title in recipes:
        f = b.pick(p, name, prefer=("name", "state"))
        if f is not None:
            yield b.example(title.format(f.label), [b.criterion(p, f, name)])
    named = [f for f in p.fields if (o := f.operator("any_")) and _plain_strings(o)]
    for f in named[1:2]:  # the first one is already "Match by name"
        yield b.example(f"Match by {f.label}", [b.criterion(p, f, "any_")])
    ident = b.pick(p, "any_", lambda o: o.value.format == "uuid", prefer=("id",))
    if ident is not None:
        yield b.example(f"Look up by {ident.label}", [b.criterion(p, ident, "any_")])


def build_examples(op: OperationFilters, vocab: Vocabulary) -> tuple[FilterExample, ...]:
    """3 to 8 worked examples for `op`, fewer only when its schemas offer less."""
    builder = _Builder(op, vocab)
    chosen: list[FilterExample] = []
    seen: set[str] = set()

    def offer(candidates: Iterator[FilterExample | None], cap: int) -> None:
        for example in candidates:
            if example is None or len(chosen) >= cap or example.compact in seen:
                continue
            seen.add(example.compact)
            chosen.append(example)

    if builder.primary is None:
        offer(iter([_paginate(builder)]), MAX_EXAMPLES)
        return tuple(chosen)
    offer(_core(builder), MAX_EXAMPLES)
    offer(_extras(builder), max(_CORE_AND_EXTRAS, 3))
    return tuple(chosen)
