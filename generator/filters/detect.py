"""Filter query language: what the JSON filter bodies of an API accept, and how to use them.

`analyse` reads the model of a document (`generator.model.api.Api`: its operations, their JSON
request bodies and its one resolver) and recognises, from schema structure alone, the filter
style used by Prefect-like APIs:

- a *criterion* is an object whose properties are operators named `word_` (`any_`, `like_`,
  `before_`...), optionally next to an `and_`/`or_` combinator enum;
- a criterion may instead use plain keyword leaves (`since`, `prefix`...) when it is closed
  (`additionalProperties: false`); such keyword filters count only in groups of two or more;
- an *entity filter* is an object whose properties are criteria, possibly nested in groups
  (`state.type`), and a request body holds entity filters under keys such as `flows`;
- sort keys are string enums of `*_ASC`/`*_DESC` values and `limit`/`offset`/`page` integers
  paginate.

Nothing depends on path or schema names, so any API written in this style is understood. An
API is said to have such a language only when its structure proves it (`proves_language`): one
object with a `name_` key or a paged body is not a query language. The
model is in `generator.filters.model`, the API-wide view in `generator.filters.language` and the
worked examples in `generator.filters.recipes`; their public names are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal

from generator.filters.check import fits
from generator.filters.language import (
    FilterObjectUse,
    OperatorInfo,
    OperatorSite,
    QueryLanguage,
    build_language,
    proves_language,
)
from generator.filters.model import (
    KNOWN_MEANINGS,
    Code,
    Combinator,
    EntityFilter,
    FieldOperator,
    FilterExample,
    FilterField,
    IntParam,
    OperationFilters,
    Prose,
    SortOption,
    ValueType,
)
from generator.filters.recipes import build_examples
from generator.filters.schema import deref, is_object, properties, single_type, str_or_none, unwrap
from generator.filters.values import Vocabulary, required_values
from generator.limits import MAX_FIELD_ROWS
from generator.model.api import Api, Operation
from generator.model.resolver import Node, SchemaIndex

__all__ = [
    "Code",
    "Combinator",
    "EntityFilter",
    "FieldOperator",
    "FilterExample",
    "FilterField",
    "FilterMode",
    "FilterObjectUse",
    "IntParam",
    "OperationFilters",
    "OperatorInfo",
    "OperatorSite",
    "Prose",
    "QueryLanguage",
    "SortOption",
    "ValueType",
    "Vocabulary",
    "analyse",
    "proves_language",
]

# `auto`: a language only where the structure proves one; `on`: whatever looks like one.
FilterMode = Literal["auto", "on", "off"]

OPERATOR_NAME = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]_$")
_SORT_VALUE = re.compile(r"(^|_)(ASC|DESC)$", re.IGNORECASE)
_COMBINATOR_VALUES = frozenset({"and_", "or_"})
_PAGINATION_KEYS = ("limit", "offset", "page")
_MAX_DEPTH = 6  # entity -> group -> criterion is 3 levels; the rest is headroom


def analyse(
    api: Api, vocabulary: Vocabulary | None = None, mode: FilterMode = "auto"
) -> QueryLanguage:
    """Recognise the filter query language of the API modelled by `api`.

    Pure: nothing is modified. `vocabulary` supplies the realistic values used in worked
    examples; the default speaks about flows, tags and states. With `mode` `off`, or `auto`
    and too little evidence, the language has no operations.
    """
    if mode == "off":
        return build_language(())
    vocab = vocabulary or Vocabulary()
    found = tuple(
        op for op in (_operation(api.index, o, vocab) for o in api.operations) if op is not None
    )
    if mode == "auto" and not proves_language(found):
        return build_language(())
    if not any(op.entities for op in found):
        return build_language(())  # bodies that only page are not a filter language
    return build_language(found)


# --- one operation ---------------------------------------------------------------------------


def _operation(index: SchemaIndex, op: Operation, vocab: Vocabulary) -> OperationFilters | None:
    """The filtering model of one operation, or None when its body neither filters nor pages."""
    if op.request_body is None or not op.request_body.is_json:
        return None
    body, _ = unwrap(index, op.request_body.schema)
    if not is_object(body):
        return None
    required_keys = set(body.get("required", []))
    entities: list[EntityFilter] = []
    sort: SortOption | None = None
    pagination: list[IntParam] = []
    required: dict[str, Any] = {}
    for key, prop in properties(body).items():
        entity = _entity_filter(index, key, prop, key in required_keys)
        if entity is not None:
            entities.append(entity)
        elif sort is None and (found := _sort_option(index, key, prop)) is not None:
            sort = found
        elif (param := _int_param(index, key, prop)) is not None:
            pagination.append(param)
        elif key in required_keys:
            required[key] = prop
    # Without filter objects, a body still queries when it pages (limit with offset or page).
    keys = {p.key for p in pagination}
    if not entities and not ("limit" in keys and keys & {"offset", "page"}):
        return None
    model = OperationFilters(
        operation=op,
        primary=_primary(op.path, tuple(entities)),
        entities=tuple(entities),
        sort=sort,
        pagination=tuple(pagination),
        required_body=required_values(index, required, vocab),
    )
    schema = op.request_body.schema
    examples = tuple(e for e in build_examples(model, vocab) if fits(index, schema, e.body))
    return replace(model, examples=examples)


def _primary(path: str, entities: tuple[EntityFilter, ...]) -> str | None:
    """The entity an operation is about: the only one, one named in the path, or the first."""
    if not entities:
        return None
    if len(entities) == 1:
        return entities[0].key
    keys = {e.key for e in entities}
    for segment in path.strip("/").split("/"):
        if segment in keys:
            return segment
    return entities[0].key


def _sort_option(index: SchemaIndex, key: str, prop: Any) -> SortOption | None:
    node, name = unwrap(index, prop)
    values = node.get("enum")
    if single_type(node) != "string" or not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, str) and _SORT_VALUE.search(v) for v in values):
        return None
    return SortOption(key, tuple(values), str_or_none(node.get("default")), name)


def _int_param(index: SchemaIndex, key: str, prop: Any) -> IntParam | None:
    node, _ = unwrap(index, prop)
    if key not in _PAGINATION_KEYS or single_type(node) != "integer":
        return None

    def number(name: str) -> int | None:
        value = node.get(name)
        return int(value) if isinstance(value, int | float) else None

    description = str_or_none(node.get("description")) or ""
    return IntParam(key, number("default"), number("minimum"), number("maximum"), description)


# --- entity filters and their criteria -------------------------------------------------------


def _entity_filter(index: SchemaIndex, key: str, prop: Any, required: bool) -> EntityFilter | None:
    """The entity filter under body key `key`, if `prop` is an object of criteria."""
    node, name = unwrap(index, prop)
    if not is_object(node) or _criterion_kind(index, node) == "operator":
        return None
    budget = [MAX_FIELD_ROWS]  # properties visited at most, whatever the nesting multiplies
    fields = tuple(_fields(index, node, (), frozenset({name} if name else ()), 0, budget))
    operator_style = any(not op.keyword for f in fields for op in f.operators)
    keyword_fields = sum(1 for f in fields if all(op.keyword for op in f.operators))
    closed = node.get("additionalProperties") is False
    if not operator_style and not (closed and keyword_fields > 1):
        return None
    description = str_or_none(deref(index, prop)[0].get("description"))
    return EntityFilter(
        key=key,
        schema_name=name,
        description=description or str_or_none(node.get("description")) or "",
        fields=fields,
        combinator=_combinator(index, node),
        required=required,
    )


def _fields(
    index: SchemaIndex,
    node: Node,
    prefix: tuple[str, ...],
    seen: frozenset[str],
    depth: int,
    budget: list[int],
) -> Iterator[FilterField]:
    """Criteria reachable from `node`, flattened to dotted paths; groups are walked into."""
    if depth > _MAX_DEPTH:
        return
    for key, prop in _criteria(index, node).items():
        budget[0] -= 1
        if budget[0] < 0:
            return
        child, name = unwrap(index, prop)
        if name is not None and name in seen:
            continue  # cyclic schema: stop rather than recurse forever
        kind = _criterion_kind(index, child)
        if kind is not None:
            description = str_or_none(deref(index, prop)[0].get("description"))
            yield FilterField(
                path=(*prefix, key),
                description=description or str_or_none(child.get("description")) or "",
                operators=_operators(index, child, keyword=kind == "keyword"),
                combinator=_combinator(index, child),
                schema_name=name,
            )
        elif is_object(child):
            inner = seen | {name} if name else seen
            yield from _fields(index, child, (*prefix, key), inner, depth + 1, budget)


def _criterion_kind(index: SchemaIndex, node: Node) -> str | None:
    """`operator` for `op_`-style criteria, `keyword` for closed all-leaf objects, else None."""
    if not is_object(node):
        return None
    keys = list(_criteria(index, node))
    if keys and all(OPERATOR_NAME.match(k) for k in keys):
        return "operator"
    closed = node.get("additionalProperties") is False
    if closed and all(_is_leaf(index, p) for p in properties(node).values()):
        return "keyword"
    return None


def _is_leaf(index: SchemaIndex, node: Any) -> bool:
    resolved, _ = unwrap(index, node)
    if single_type(resolved) == "array":
        resolved, _ = unwrap(index, resolved.get("items", {}))
    return not is_object(resolved)


def _operators(index: SchemaIndex, node: Node, keyword: bool) -> tuple[FieldOperator, ...]:
    ops = []
    required = node.get("required")
    required = set(required) if isinstance(required, list) else set()
    for key, prop in _criteria(index, node).items():
        description = str_or_none(deref(index, prop)[0].get("description"))
        meaning = description or KNOWN_MEANINGS.get(key, key.rstrip("_").replace("_", " "))
        meaning = " ".join(meaning.split())  # one line, so it fits a table cell
        value = _value_type(index, prop)
        ops.append(FieldOperator(key, meaning, value, keyword, required=key in required))
    return tuple(ops)


def _value_type(index: SchemaIndex, node: Any) -> ValueType:
    resolved, _ = unwrap(index, node)
    is_list = single_type(resolved) == "array"
    if is_list:
        item, item_name = unwrap(index, resolved.get("items", {}))
    else:
        # A scalar is named only by a direct `$ref`, not through a nullable `anyOf`.
        item, item_name = resolved, deref(index, node)[1]
    enum = item.get("enum")
    examples = resolved.get("examples")
    base = single_type(item)
    if is_object(item) or isinstance(item.get("additionalProperties"), dict):
        base = "object"
    if is_list and "prefixItems" in item:
        base = "tuple"
    return ValueType(
        base=base or "any",
        is_list=is_list,
        format=str_or_none(item.get("format")),
        enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
        enum_name=item_name if isinstance(enum, list) else None,
        examples=tuple(examples) if isinstance(examples, list) else (),
    )


def _criteria(index: SchemaIndex, node: Node) -> dict[str, Any]:
    """The properties of `node` without its combinator: the criteria or operators it holds."""
    combinator = _combinator(index, node)
    props = properties(node)
    return {k: v for k, v in props.items() if combinator is None or k != combinator.key}


def _combinator(index: SchemaIndex, node: Node) -> Combinator | None:
    """The first property whose enum offers `and_` and `or_`: it joins the sibling criteria."""
    for key, prop in properties(node).items():
        resolved, _ = unwrap(index, prop)
        values = resolved.get("enum")
        if isinstance(values, list) and set(values) >= _COMBINATOR_VALUES:
            default = str_or_none(resolved.get("default"))
            return Combinator(key, tuple(str(v) for v in values), default)
    return None
