"""Building blocks of worked examples: criteria with a prose phrase, assembled into bodies.

An `ExampleBuilder` works over one operation. It turns (entity, field, operator) choices into
`Criterion`s, each with a JSON fragment and a relative clause ("whose name is `nightly-etl`"),
and assembles them into a `FilterExample` whose explanation reads as one sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.filters.model import (
    Code,
    EntityFilter,
    FieldOperator,
    FilterExample,
    FilterField,
    OperationFilters,
    Prose,
    join,
    prose,
)
from generator.filters.values import Vocabulary, enum_values

# Verbs of the list operators; `any_` on a collection (a field that also has `all_`) "includes".
_LIST_VERBS = {"any_": "is", "all_": "include", "not_any_": "is not", "startswith_": "starts with"}
_BOUND_WORDS = {
    "after_": "at or after",
    "before_": "at or before",
    "ge_": "at least",
    "le_": "at most",
}
_FLAG_DESCRIPTION = re.compile(
    r"if `?true`?,? only (?:include|return) (.+?)(?:[;.]|$)", re.IGNORECASE
)


@dataclass(frozen=True)
class Criterion:
    """Operators applied to one field of one entity, with a prose phrase."""

    entity: EntityFilter
    field: FilterField
    ops: dict[str, Any]
    phrase: Prose  # relative clause after the noun: whose name is `nightly-etl`

    def fragment(self) -> dict[str, Any]:
        """The operators nested under the field's path: `{"state": {"type": {...}}}`."""
        node: dict[str, Any] = dict(self.ops)
        for key in reversed(self.field.path):
            node = {key: node}
        return node


def code(values: Any) -> Prose:
    """One value, or each of a list, quoted and joined with commas."""
    items = values if isinstance(values, list) else [values]
    return join(", ", ((Code(v if isinstance(v, str) else json.dumps(v)),) for v in items))


def pick(
    entity: EntityFilter,
    name: str,
    test: Callable[[FieldOperator], bool] = lambda _: True,
    prefer: tuple[str, ...] = (),
) -> FilterField | None:
    """The first field of `entity` whose operator `name` passes `test`, `prefer`red names first."""
    usable = [f for f in entity.fields if (o := f.operator(name)) and test(o)]
    ranked = sorted(
        usable, key=lambda f: prefer.index(f.path[-1]) if f.path[-1] in prefer else len(prefer)
    )
    return ranked[0] if ranked else None


def is_time(fop: FieldOperator) -> bool:
    """Whether `fop` takes a date-time (windows prefer those)."""
    return fop.value.format == "date-time"


class ExampleBuilder:
    """Criteria and examples over one operation; recipes in `filter_examples` drive it."""

    def __init__(self, op: OperationFilters, vocab: Vocabulary) -> None:
        self.op = op
        self.vocab = vocab
        self.primary = op.primary_entity

    @property
    def p(self) -> EntityFilter:
        """The primary entity; recipes run only for operations that have one."""
        assert self.primary is not None
        return self.primary

    # criteria ----------------------------------------------------------------------------

    def criterion(self, entity: EntityFilter, f: FilterField, name: str) -> Criterion:
        """Operator `name` of field `f` with a fitting value and phrase."""
        fop = f.operator(name)
        assert fop is not None
        if name in _LIST_VERBS:
            return self._listed(entity, f, fop)
        if name == "like_":
            # A fragment of the value `any_` would use, so both examples tell one story.
            whole = str(self.vocab.strings(entity, f, f.operator("any_") or fop)[0])
            words = re.findall(r"[A-Za-z]{2,}", whole)
            text = words[-1] if words else whole
            phrase = prose(f"whose {f.label} contains ", Code(text))
            return Criterion(entity, f, {name: text}, phrase)
        if name in ("is_null_", "exists_"):
            return Criterion(entity, f, {name: True}, self._flag_phrase(entity, f, fop))
        if name == "eq_" and fop.value.base == "boolean":
            state = f.label.removeprefix("is ")
            return Criterion(entity, f, {name: True}, prose(f"that are {state}"))
        if name == "eq_":
            value = self.vocab.strings(entity, f, fop)[0]
            phrase = prose(f"whose {f.label} is ", code(value))
            return Criterion(entity, f, {name: value}, phrase)
        return self.bounds(entity, f)

    def _listed(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> Criterion:
        name = fop.name
        values = self.vocab.strings(entity, f, fop)
        if name == "not_any_" and fop.value.enum:
            values = enum_values(fop, self.vocab.exclude_preference, 2)
        if name == "startswith_":
            values = [re.split(r"[-_ ]", str(values[0]))[0]]
        listy = f.operator("all_") is not None  # a collection such as tags
        verb = "include" if listy and name == "any_" else _LIST_VERBS[name]
        shown = join(" and " if name == "all_" else " or ", (code(v) for v in values))
        if name == "any_" and len(values) > 1:
            verb, shown = "include any of" if listy else "is one of", code(values)
        return Criterion(entity, f, {name: values}, prose(f"whose {f.label} {verb} ", shown))

    def _flag_phrase(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> Prose:
        # Descriptions such as "If true, only include flows without tags" read best.
        found = _FLAG_DESCRIPTION.match(fop.meaning)
        if found and found.group(1).lower().startswith(entity.noun + " "):
            return prose(found.group(1)[len(entity.noun) + 1 :])
        if fop.name == "is_null_":
            return prose(f"whose {f.label} is not set")
        return prose(f"that have {f.label}")

    def bounds(self, entity: EntityFilter, f: FilterField) -> Criterion:
        """A time window (`after_`/`before_`) or numeric range (`ge_`/`le_`) on `f`."""
        is_window = f.operator("after_") is not None or f.operator("before_") is not None
        low_op, high_op = ("after_", "before_") if is_window else ("ge_", "le_")
        low, high = f.operator(low_op), f.operator(high_op)
        ops: dict[str, Any] = {}
        if is_window:
            if low:
                ops[low_op] = self.vocab.times[0]
            if high:
                ops[high_op] = self.vocab.times[1] if low else self.vocab.times[0]
        else:
            if low:
                ops[low_op] = self.vocab.number(entity, f, low)
            if high and (high.value.examples or not low):
                ops[high_op] = high.value.examples[0] if high.value.examples else 10
        if low_op in ops and high_op in ops:
            a, b = ops.values()
            phrase = prose(f"whose {f.label} is between ", code(a), " and ", code(b))
        else:
            ((key, value),) = ops.items()
            phrase = prose(f"whose {f.label} is {_BOUND_WORDS[key]} ", code(value))
        return Criterion(entity, f, ops, phrase)

    def keyword(self, entity: EntityFilter, f: FilterField) -> Criterion | None:
        """A criterion on a keyword-style field: its time window, else one string keyword."""
        times = [o for o in f.operators if is_time(o) and not o.value.is_list]
        if len(times) > 1:  # a window takes two time operators
            first, second = self.vocab.times
            ops = {times[0].name: first, times[1].name: second}
            phrase = prose(
                "whose ", Code(f.name), " falls between ", Code(first), " and ", Code(second)
            )
            return Criterion(entity, f, ops, phrase)

        def rank(fop: FieldOperator) -> int:  # vocabulary values, then schema examples
            known = f"{f.name}.{fop.name}" in self.vocab.values
            return 0 if known else 1 if fop.value.examples else 2

        for fop in sorted(f.operators, key=rank):
            if fop.value.base == "string" and not fop.value.enum:
                key = f"{f.name}.{fop.name}"
                sample = self.vocab.values.get(key, ()) or fop.value.examples or (f"{key}-1",)
                value = sample[0] if not isinstance(sample[0], list) else sample[0][0]
                wrapped = [value] if fop.value.is_list else value
                phrase = prose("where ", Code(key), " is ", code(value))
                return Criterion(entity, f, {fop.name: wrapped}, phrase)
        return None

    # examples ----------------------------------------------------------------------------

    def example(
        self,
        title: Prose | str,
        criteria: list[Criterion],
        extra: Mapping[str, Any] | None = None,
        *,
        explanation: Prose = (),
        combinator: str | None = None,
    ) -> FilterExample | None:
        """The example body for `criteria` plus `extra` keys; None if it cannot be valid."""
        anchors = self._anchors(criteria)
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
            first = criteria[0].entity
            assert first.combinator is not None
            body[first.key] = {first.combinator.key: combinator, **body[first.key]}
        body.update(extra or {})
        explained = explanation or self._explain(criteria, combinator)
        return FilterExample(prose(title), explained, body)

    def _anchors(self, criteria: list[Criterion]) -> list[Criterion]:
        """Time windows for entity filters the body requires.

        A filter that must be present signals a bounded query (Prefect's dashboard counts
        reject a missing `start_time.after_`), so every example carries a window there.
        """
        found = []
        for entity in self.op.entities:
            window = pick(entity, "after_", is_time)
            if not entity.required or window is None:
                continue
            if not any(c.entity.key == entity.key and c.field is window for c in criteria):
                found.append(self.bounds(entity, window))
        return found

    def _explain(self, criteria: list[Criterion], combinator: str | None) -> Prose:
        mine = [c.phrase for c in criteria if c.entity.key == self.p.key]
        joiner = " or " if combinator == "or_" else " and "
        parts: list[str | Prose] = [self.p.noun.capitalize()]
        if mine:
            parts += [" ", join(joiner, mine)]
        for other in (c for c in criteria if c.entity.key != self.p.key):
            that = " that are" if mine else ""
            parts += [f"{that} linked to {other.entity.noun} ", other.phrase]
        return prose(*parts, ".")


def _merge(into: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Deep-merge `extra` into `into`, so two criteria on one group share its object."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
