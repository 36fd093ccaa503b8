"""The filter language of a whole API: every filtering operation plus the indexes the guide shows.

`build_language` groups what `generator.filters` found per operation into API-wide views:
operators with the fields that accept them, filter objects with their uses, and the examples
the guide quotes. `proves_language` tells a language from a few bodies that look like one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.filters.model import (
    KNOWN_MEANINGS,
    Combinator,
    FilterExample,
    OperationFilters,
    ValueType,
)
from generator.model.api import Operation


@dataclass(frozen=True)
class OperatorSite:
    """Where an operator is accepted: an entity filter's field and the operations using it."""

    filter_name: str  # schema name of the entity filter, or its body key
    field: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class OperatorInfo:
    """An operator of the API with its generic meaning, value types and availability."""

    name: str
    meaning: str
    value_types: tuple[ValueType, ...]  # distinct, in order of first use
    sites: tuple[OperatorSite, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        """`FlowFilter.name`-style labels of every field accepting the operator."""
        return tuple(f"{site.filter_name}.{site.field}" for site in self.sites)


@dataclass(frozen=True)
class FilterObjectUse:
    """An entity filter schema, the body keys it is found under and the operations using it."""

    name: str
    keys: tuple[str, ...]
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class QueryLanguage:
    """The filter language of a whole API: operations, operators and combinator values."""

    operations: tuple[OperationFilters, ...]
    operators: tuple[OperatorInfo, ...]
    keyword_operators: tuple[OperatorInfo, ...]
    combinator: Combinator | None
    by_operation: Mapping[Operation, OperationFilters] = field(
        default_factory=dict, compare=False, repr=False
    )

    def for_operation(self, operation: Operation) -> OperationFilters | None:
        """The filtering model of `operation`, or None if it takes no filters."""
        return self.by_operation.get(operation)

    @property
    def examples(self) -> tuple[tuple[OperationFilters, FilterExample], ...]:
        """Every worked example with its operation, in document order."""
        return tuple((op, example) for op in self.operations for example in op.examples)

    @property
    def body_keys(self) -> tuple[str, ...]:
        """Every body key that holds an entity filter, in document order."""
        keys = {e.key: None for op in self.operations for e in op.entities}
        return tuple(keys)

    @property
    def operator_names(self) -> tuple[str, ...]:
        """The names of the `op_`-style operators, conventional ones first."""
        return tuple(info.name for info in self.operators)

    @property
    def underscore_operators(self) -> bool:
        """Whether every operator is named `word_`, as the guide says they are."""
        return bool(self.operators) and all(name.endswith("_") for name in self.operator_names)

    @property
    def sort_values(self) -> tuple[str, ...]:
        """Two sort values to quote, one of each direction where a sort key offers both."""
        sorts = [op.sort.values for op in self.operations if op.sort is not None]
        for values in sorts:
            up = next((v for v in values if v.upper().endswith("ASC")), None)
            down = next((v for v in values if v.upper().endswith("DESC")), None)
            if up and down:
                return (up, down)
        return sorts[0][:2] if sorts else ()

    @property
    def pagination_keys(self) -> tuple[str, ...]:
        """The pagination keys offered by any operation, in `limit`, `offset`, `page` order."""
        keys = {p.key for op in self.operations for p in op.pagination}
        return tuple(k for k in ("limit", "offset", "page") if k in keys)

    @property
    def crosses_entities(self) -> bool:
        """Whether some operation's body holds filter objects for more than one kind."""
        return any(len(op.entities) > 1 for op in self.operations)

    @property
    def nested_field(self) -> str | None:
        """The dotted name of a criterion nested in a group (`state.type`), if any."""
        fields = (f for op in self.operations for e in op.entities for f in e.fields)
        return next((f.name for f in fields if len(f.path) > 1), None)

    @property
    def cross_entity_example(self) -> tuple[OperationFilters, FilterExample] | None:
        """The first example whose body filters two entities at once."""
        return next(((op, ex) for op, ex in self.examples if _filtered_entities(op, ex) > 1), None)

    @property
    def or_example(self) -> tuple[OperationFilters, FilterExample] | None:
        """The first example that sets a combinator to something other than its default."""
        for op, ex in self.examples:
            for entity in op.entities:
                node, comb = ex.body.get(entity.key), entity.combinator
                if (
                    comb
                    and isinstance(node, dict)
                    and node.get(comb.key) not in (None, comb.default)
                ):
                    return op, ex
        return None

    @property
    def filter_objects(self) -> tuple[FilterObjectUse, ...]:
        """Each entity filter schema with the body keys it appears under and its operations."""
        uses: dict[str, tuple[dict[str, None], dict[Operation, None]]] = {}
        for op in self.operations:
            for entity in op.entities:
                keys, ops = uses.setdefault(entity.schema_name or entity.key, ({}, {}))
                keys[entity.key] = None
                ops[op.operation] = None
        return tuple(
            FilterObjectUse(name, tuple(keys), tuple(ops))
            for name, (keys, ops) in sorted(uses.items())
        )


def build_language(operations: tuple[OperationFilters, ...]) -> QueryLanguage:
    """The API-wide language of `operations`; the first combinator found speaks for all."""
    combinators = [e.combinator for op in operations for e in op.entities if e.combinator]
    return QueryLanguage(
        operations=operations,
        operators=_operator_index(operations, keyword=False),
        keyword_operators=_operator_index(operations, keyword=True),
        combinator=combinators[0] if combinators else None,
        by_operation={op.operation: op for op in operations},
    )


def proves_language(operations: tuple[OperationFilters, ...]) -> bool:
    """Whether the filter bodies found make a query language rather than a lookalike.

    It takes an operator named alike in several criterion objects (`any_` in `FlowFilterName`
    and in `FlowFilterTags`), and either a combinator (`and_`/`or_`) or more than one kind of
    entity filter. A criterion counts only when every operator in it is optional: an object
    that cannot be sent without its `type_` and `id_` is a record (Python names often end
    with `_`), not a criterion. One schema reused under several keys counts once.
    """
    entities = {(e.schema_name or e.key): e for op in operations for e in op.entities}
    criteria: dict[str, set[str]] = {}  # operator name -> the criterion objects offering it
    for kind, e in entities.items():
        for f in e.fields:
            operators = [o for o in f.operators if not o.keyword]
            if operators and not any(o.required for o in f.operators):
                for o in operators:
                    criteria.setdefault(o.name, set()).add(f.schema_name or f"{kind}.{f.name}")
    shared = any(len(objects) > 1 for objects in criteria.values())
    combinator = any(
        e.combinator is not None or any(f.combinator is not None for f in e.fields)
        for e in entities.values()
    )
    return shared and (combinator or len(entities) > 1)


def _filtered_entities(op: OperationFilters, example: FilterExample) -> int:
    return sum(1 for e in op.entities if example.body.get(e.key))


def _operator_index(
    operations: tuple[OperationFilters, ...], keyword: bool
) -> tuple[OperatorInfo, ...]:
    """Group every operator by name with the fields and operations that accept it."""
    sites: dict[str, dict[tuple[str, str], dict[Operation, None]]] = {}
    types: dict[str, list[ValueType]] = {}
    meanings: dict[str, str] = {}
    for op in operations:
        for entity in op.entities:
            for f in entity.fields:
                for fop in f.operators:
                    if fop.keyword != keyword:
                        continue
                    where = (entity.schema_name or entity.key, f.name)
                    used = sites.setdefault(fop.name, {}).setdefault(where, {})
                    used[op.operation] = None
                    known = types.setdefault(fop.name, [])
                    if fop.value not in known:  # by value: examples may be unhashable lists
                        known.append(fop.value)
                    meanings.setdefault(fop.name, fop.meaning)
    return tuple(
        OperatorInfo(
            name=name,
            meaning=KNOWN_MEANINGS.get(name, meanings[name]),
            value_types=tuple(types[name]),
            sites=tuple(
                OperatorSite(filter_name, field_name, tuple(ops))
                for (filter_name, field_name), ops in sorted(by_site.items())
            ),
        )
        for name, by_site in sorted(sites.items(), key=_operator_order)
    )


def _operator_order(item: tuple[str, Any]) -> tuple[int, str]:
    # Conventional operators first, in the order people usually learn them.
    names = list(KNOWN_MEANINGS)
    name = item[0]
    return (names.index(name) if name in names else len(names), name)
