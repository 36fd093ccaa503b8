"""The filtering model of one operation: entity filters, their fields and operators, examples.

Frozen dataclasses only, and no presentation: `generator.filters` builds them from the model
of the document, and `generator.render.filtering` turns them into Markdown and commands. The
API-wide view (`QueryLanguage`) lives in `generator.filters.language`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.model.api import Operation

# Generic meanings of the conventional operators, in the order people usually learn them;
# other operators fall back to their descriptions.
KNOWN_MEANINGS: Mapping[str, str] = {
    "any_": "matches when the value is one of the listed values",
    "not_any_": "matches when the value is none of the listed values",
    "all_": "matches when the collection contains every listed value",
    "like_": "case-insensitive partial match on a text fragment",
    "startswith_": "case-insensitive match on any of the listed prefixes",
    "is_null_": "`true` keeps only objects where the value is missing or empty; "
    "`false` keeps only objects where it is set",
    "exists_": "`true` keeps only objects where the value exists; `false` only those where not",
    "eq_": "matches when the value equals the given value",
    "before_": "matches values at or before the given time",
    "after_": "matches values at or after the given time",
    "ge_": "matches values greater than or equal to the given value",
    "le_": "matches values less than or equal to the given value",
}


@dataclass(frozen=True)
class ValueType:
    """The JSON value an operator takes: scalar or list, base type, format and enum values."""

    base: str  # string, integer, number, boolean, object, tuple or any
    is_list: bool = False
    format: str | None = None
    enum: tuple[str, ...] = ()
    enum_name: str | None = None
    examples: tuple[Any, ...] = ()


@dataclass(frozen=True)
class FieldOperator:
    """One operator of one filter field, e.g. `any_` on `flows.name`."""

    name: str
    meaning: str  # the field-specific description, or the generic meaning; one line
    value: ValueType
    keyword: bool = False  # a plain keyword leaf (`since`) rather than an `op_` operator
    required: bool = False  # the criterion cannot be given without it: a record, not a filter


@dataclass(frozen=True)
class Combinator:
    """The property that joins sibling criteria (`operator`), its values and default."""

    key: str
    values: tuple[str, ...]
    default: str | None


@dataclass(frozen=True)
class FilterField:
    """A filterable attribute of an entity (`name`, `state.type`) and its operators."""

    path: tuple[str, ...]
    description: str
    operators: tuple[FieldOperator, ...]
    combinator: Combinator | None = None
    schema_name: str | None = None

    @property
    def name(self) -> str:
        """Dotted path inside the entity filter, e.g. `state.type`."""
        return ".".join(self.path)

    @property
    def label(self) -> str:
        """The path as words, for prose: `state type`."""
        return " ".join(self.path).replace("_", " ")

    def operator(self, name: str) -> FieldOperator | None:
        """The operator called `name`, if this field accepts it."""
        return next((op for op in self.operators if op.name == name), None)


@dataclass(frozen=True)
class EntityFilter:
    """The filter object found under one body key, e.g. `flows` -> `FlowFilter`."""

    key: str
    schema_name: str | None
    description: str
    fields: tuple[FilterField, ...]
    combinator: Combinator | None = None
    required: bool = False

    @property
    def noun(self) -> str:
        """What the filter selects, plural, for prose: `flow runs`."""
        if self.key.endswith("s"):
            return self.key.replace("_", " ")
        stem = re.sub(r"(Filter|Where|Query)$", "", self.schema_name or "") or self.key
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", stem).lower()
        return words if words.endswith("s") else f"{words}s"

    def field(self, name: str) -> FilterField | None:
        """The field with dotted path `name`, if any."""
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class SortOption:
    """A sort key of a body and the values it accepts."""

    key: str
    values: tuple[str, ...]
    default: str | None
    schema_name: str | None = None


@dataclass(frozen=True)
class IntParam:
    """An integer body key used for pagination (`limit`, `offset`, `page`)."""

    key: str
    default: int | None
    minimum: int | None
    maximum: int | None
    description: str = ""


@dataclass(frozen=True)
class Code:
    """A name or value quoted in prose; the renderer shows it as inline code."""

    text: str


Prose = tuple[str | Code, ...]  # text with quoted names and values, rendered by `render`


def prose(*parts: str | Code | Prose) -> Prose:
    """`parts` flattened into one `Prose`, without empty strings."""
    flat: list[str | Code] = []
    for part in parts:
        flat += part if isinstance(part, tuple) else [part]
    return tuple(p for p in flat if p != "")


def join(separator: str, items: Iterable[Prose]) -> Prose:
    """`items` with `separator` between them, like `str.join`."""
    joined: list[str | Code | Prose] = []
    for item in items:
        joined += [separator, item] if joined else [item]
    return prose(*joined)


@dataclass(frozen=True)
class FilterExample:
    """A worked example: a title, a one-sentence explanation and the JSON request body."""

    title: Prose
    explanation: Prose
    body: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class OperationFilters:
    """Everything an operation's JSON body accepts for filtering, with worked examples."""

    operation: Operation = field(compare=False, repr=False)
    primary: str | None  # body key of the entity it returns or acts on; None: pagination only
    entities: tuple[EntityFilter, ...]
    sort: SortOption | None
    pagination: tuple[IntParam, ...]
    required_body: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    examples: tuple[FilterExample, ...] = ()

    @property
    def method(self) -> str:
        """The operation's HTTP method, upper case."""
        return self.operation.method

    @property
    def path(self) -> str:
        """The operation's path."""
        return self.operation.path

    def entity(self, key: str) -> EntityFilter | None:
        """The entity filter under body key `key`, if any."""
        return next((e for e in self.entities if e.key == key), None)

    def page_param(self, key: str) -> IntParam | None:
        """The pagination parameter `limit`, `offset` or `page`, if the body has it."""
        return next((p for p in self.pagination if p.key == key), None)

    @property
    def primary_entity(self) -> EntityFilter | None:
        """The entity filter of the objects the operation returns or acts on."""
        return self.entity(self.primary) if self.primary is not None else None

    @property
    def related(self) -> tuple[EntityFilter, ...]:
        """The other entity filters: they restrict the primary objects through joins."""
        return tuple(e for e in self.entities if e.key != self.primary)
