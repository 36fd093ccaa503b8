"""Filter query language: what the JSON filter bodies of an API accept, and how to use them.

`analyse` reads a raw OpenAPI document and recognises, from schema structure alone, the filter
style used by Prefect-like APIs:

- a *criterion* is an object whose properties are operators named `word_` (`any_`, `like_`,
  `before_`...), optionally next to an `and_`/`or_` combinator enum;
- a criterion may instead use plain keyword leaves (`since`, `prefix`...) when it is closed
  (`additionalProperties: false`); such keyword filters count only in groups of two or more;
- an *entity filter* is an object whose properties are criteria, possibly nested in groups
  (`state.type`), and a request body holds entity filters under keys such as `flows`;
- sort keys are string enums of `*_ASC`/`*_DESC` values and `limit`/`offset`/`page` integers
  paginate.

Nothing depends on path or schema names, so any API written in this style is understood.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from generator.filter_examples import FilterExample, Vocabulary, build_examples

__all__ = [
    "Combinator",
    "EntityFilter",
    "FieldOperator",
    "FilterExample",
    "FilterField",
    "FilterObjectUse",
    "IntParam",
    "OperationFilters",
    "OperatorInfo",
    "OperatorSite",
    "QueryLanguage",
    "SortOption",
    "TableRow",
    "ValueType",
    "Vocabulary",
    "analyse",
    "md_cell",
]

Node = dict[str, Any]

OPERATOR_NAME = re.compile(r"^[a-z][a-z0-9_]*[a-z0-9]_$")
_SORT_VALUE = re.compile(r"(^|_)(ASC|DESC)$", re.IGNORECASE)
_COMBINATOR_VALUES = frozenset({"and_", "or_"})
_PAGINATION_KEYS = ("limit", "offset", "page")
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
_BASE_URI = "urn:restref:filters"
_MAX_DEPTH = 6  # entity -> group -> criterion is 3 levels; the rest is headroom
_MAX_REF_CHAIN = 32
_LAST_RESORT_TIME = "2024-05-03T00:00:00Z"  # once the vocabulary's fixed times run out

# Generic meanings of the conventional operators; other operators fall back to descriptions.
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


def md_cell(text: str) -> str:
    """Make `text` safe inside a Markdown table cell: one line, `|` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


@dataclass(frozen=True)
class ValueType:
    """The JSON value an operator takes: scalar or list, base type, format and enum values."""

    base: str  # string, integer, number, boolean, object or any
    is_list: bool = False
    format: str | None = None
    enum: tuple[str, ...] = ()
    enum_name: str | None = None
    examples: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        """Human-readable type, e.g. `list of StateType: FAILED, ...` or `date-time`."""
        if self.enum:
            name = f"`{self.enum_name}`" if self.enum_name else "enum"
            values = ", ".join(f"`{value}`" for value in self.enum)
            text = f"{name}: {values}"
        else:
            text = self.format if self.format in ("date-time", "uuid", "date") else self.base
        return f"list of {text}" if self.is_list else text


@dataclass(frozen=True)
class FieldOperator:
    """One operator of one filter field, e.g. `any_` on `flows.name`."""

    name: str
    meaning: str  # the field-specific description, or the generic meaning
    value: ValueType
    keyword: bool = False  # a plain keyword leaf (`since`) rather than an `op_` operator


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
        stem = re.sub(r"Filter$", "", self.schema_name or "") or self.key
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
class TableRow:
    """One Markdown-safe row of the field x operator table of an operation."""

    entity: str
    field: str
    operator: str
    meaning: str
    value: str


@dataclass(frozen=True)
class OperationFilters:
    """Everything an operation's JSON body accepts for filtering, with worked examples."""

    method: str  # upper case
    path: str
    operation_id: str | None
    primary: str | None  # body key of the entity it returns or acts on; None: pagination only
    entities: tuple[EntityFilter, ...]
    sort: SortOption | None
    pagination: tuple[IntParam, ...]
    required_body: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    examples: tuple[FilterExample, ...] = ()

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

    def rows(self, entity: EntityFilter) -> tuple[TableRow, ...]:
        """Markdown-safe table rows (field x operator) of one entity filter."""
        return tuple(
            TableRow(
                entity=md_cell(entity.key),
                field=md_cell(f.name),
                operator=md_cell(op.name),
                meaning=md_cell(op.meaning),
                value=md_cell(op.value.label),
            )
            for f in entity.fields
            for op in f.operators
        )


@dataclass(frozen=True)
class OperatorSite:
    """Where an operator is accepted: an entity filter's field and the operations using it."""

    filter_name: str  # schema name of the entity filter, or its body key
    field: str
    operations: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class OperatorInfo:
    """An operator of the API with its generic meaning, value types and availability."""

    name: str
    meaning: str
    value_types: tuple[str, ...]
    sites: tuple[OperatorSite, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        """`FlowFilter.name`-style labels of every field accepting the operator."""
        return tuple(f"{site.filter_name}.{site.field}" for site in self.sites)


@dataclass(frozen=True)
class QueryLanguage:
    """The filter language of a whole API: operations, operators and combinator values."""

    operations: tuple[OperationFilters, ...]
    operators: tuple[OperatorInfo, ...]
    keyword_operators: tuple[OperatorInfo, ...]
    combinator: Combinator | None

    def for_operation(self, method: str, path: str) -> OperationFilters | None:
        """The filtering model of operation (`method`, `path`), or None if it takes no filters."""
        wanted = (method.upper(), path)
        return next((op for op in self.operations if (op.method, op.path) == wanted), None)

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
    def nested_field(self) -> str | None:
        """The dotted name of a criterion nested in a group (`state.type`), if any."""
        return next(
            (
                f.name
                for op in self.operations
                for e in op.entities
                for f in e.fields
                if len(f.path) > 1
            ),
            None,
        )

    @property
    def cross_entity_example(self) -> tuple[OperationFilters, FilterExample] | None:
        """The first example whose body filters two entities at once."""
        return next(((op, ex) for op, ex in self.examples if len(_entity_keys(op, ex)) >= 2), None)

    @property
    def or_example(self) -> tuple[OperationFilters, FilterExample] | None:
        """The first example that joins criteria with the `or_` combinator."""
        for op, ex in self.examples:
            for entity in op.entities:
                node = ex.body.get(entity.key)
                comb = entity.combinator
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
        uses: dict[str, tuple[dict[str, None], dict[tuple[str, str], None]]] = {}
        for op in self.operations:
            for entity in op.entities:
                keys, ops = uses.setdefault(entity.schema_name or entity.key, ({}, {}))
                keys[entity.key] = None
                ops[(op.method, op.path)] = None
        return tuple(
            FilterObjectUse(name, tuple(keys), tuple(ops))
            for name, (keys, ops) in sorted(uses.items())
        )


@dataclass(frozen=True)
class FilterObjectUse:
    """An entity filter schema, the body keys it is found under and the operations using it."""

    name: str
    keys: tuple[str, ...]
    operations: tuple[tuple[str, str], ...]


def _entity_keys(op: OperationFilters, example: FilterExample) -> list[str]:
    return [e.key for e in op.entities if example.body.get(e.key)]


# --- schema access ---------------------------------------------------------------------------


class _Schemas:
    """Local `$ref` resolution over one document; sibling keys of a `$ref` win."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        resource: Resource[Any] = Resource.opaque(document)
        self._resolver = Registry().with_resource(_BASE_URI, resource).resolver(_BASE_URI)

    def deref(self, node: Any) -> tuple[Node, str | None]:
        """The node behind `node`'s `$ref` chain and the component name it came from."""
        if not isinstance(node, dict):
            return {}, None
        name: str | None = None
        current: Node = node
        for _ in range(_MAX_REF_CHAIN):
            ref = current.get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#"):
                return current, name
            try:
                target = self._resolver.lookup(ref).contents
            except Unresolvable:
                return {}, name
            name = ref.rsplit("/", 1)[-1]
            siblings = {k: v for k, v in current.items() if k != "$ref"}
            current = {**target, **siblings} if isinstance(target, dict) else {}
        return {}, name

    def unwrap(self, node: Any) -> tuple[Node, str | None]:
        """Dereference, then pick the object (or only) branch of a nullable `anyOf`/`oneOf`."""
        resolved, name = self.deref(node)
        branches = resolved.get("anyOf") or resolved.get("oneOf")
        if not isinstance(branches, list):
            return resolved, name
        candidates = [self.deref(b) for b in branches if b != {"type": "null"}]
        objects = [c for c in candidates if _is_object(c[0])]
        chosen = objects[:1] or (candidates if len(candidates) == 1 else [])
        if not chosen:
            return resolved, name
        inner, inner_name = chosen[0]
        extra = {k: v for k, v in resolved.items() if k not in ("anyOf", "oneOf")}
        return {**inner, **extra}, inner_name or name


def _is_object(node: Node) -> bool:
    return isinstance(node.get("properties"), dict) and bool(node["properties"])


def _properties(node: Node) -> dict[str, Any]:
    props = node.get("properties")
    return props if isinstance(props, dict) else {}


# --- structure recognition -------------------------------------------------------------------


def _combinator(schemas: _Schemas, node: Node) -> Combinator | None:
    for key, prop in _properties(node).items():
        resolved, _ = schemas.unwrap(prop)
        values = resolved.get("enum")
        if isinstance(values, list) and set(values) >= _COMBINATOR_VALUES:
            default = resolved.get("default")
            return Combinator(key, tuple(str(v) for v in values), _str_or_none(default))
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _value_type(schemas: _Schemas, node: Any) -> ValueType:
    resolved, _ = schemas.unwrap(node)
    is_list = resolved.get("type") == "array"
    item, item_name = schemas.unwrap(resolved.get("items", {})) if is_list else (resolved, None)
    if not is_list:
        _, item_name = schemas.deref(node)
    enum = item.get("enum")
    examples = resolved.get("examples")
    base = item.get("type")
    if _is_object(item) or isinstance(item.get("additionalProperties"), dict):
        base = "object"
    if is_list and "prefixItems" in item:
        base = "tuple"
    return ValueType(
        base=base if isinstance(base, str) else "any",
        is_list=is_list,
        format=_str_or_none(item.get("format")),
        enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
        enum_name=item_name if isinstance(enum, list) else None,
        examples=tuple(examples) if isinstance(examples, list) else (),
    )


def _is_leaf(schemas: _Schemas, node: Any) -> bool:
    resolved, _ = schemas.unwrap(node)
    if resolved.get("type") == "array":
        resolved, _ = schemas.unwrap(resolved.get("items", {}))
    return not _is_object(resolved)


def _criterion_kind(schemas: _Schemas, node: Node) -> str | None:
    """`operator` for `op_`-style criteria, `keyword` for closed all-leaf objects, else None."""
    if not _is_object(node):
        return None
    combinator = _combinator(schemas, node)
    keys = [k for k in _properties(node) if combinator is None or k != combinator.key]
    if keys and all(OPERATOR_NAME.match(k) for k in keys):
        return "operator"
    closed = node.get("additionalProperties") is False
    if closed and all(_is_leaf(schemas, p) for p in _properties(node).values()):
        return "keyword"
    return None


def _operators(schemas: _Schemas, node: Node, keyword: bool) -> tuple[FieldOperator, ...]:
    combinator = _combinator(schemas, node)
    ops = []
    for key, prop in _properties(node).items():
        if combinator is not None and key == combinator.key:
            continue
        resolved, _ = schemas.deref(prop)
        description = _str_or_none(resolved.get("description"))
        meaning = description or KNOWN_MEANINGS.get(key, key.rstrip("_").replace("_", " "))
        meaning = " ".join(meaning.split())  # one line, so it fits a table cell
        ops.append(FieldOperator(key, meaning, _value_type(schemas, prop), keyword))
    return tuple(ops)


def _fields(
    schemas: _Schemas, node: Node, prefix: tuple[str, ...], seen: frozenset[str], depth: int
) -> Iterator[FilterField]:
    """Criteria reachable from `node`, flattened to dotted paths; groups are walked into."""
    if depth > _MAX_DEPTH:
        return
    combinator = _combinator(schemas, node)
    for key, prop in _properties(node).items():
        if combinator is not None and key == combinator.key:
            continue
        child, name = schemas.unwrap(prop)
        if name is not None and name in seen:
            continue  # cyclic schema: stop rather than recurse forever
        description = _str_or_none(schemas.deref(prop)[0].get("description")) or ""
        kind = _criterion_kind(schemas, child)
        if kind is not None:
            yield FilterField(
                path=(*prefix, key),
                description=description or _str_or_none(child.get("description")) or "",
                operators=_operators(schemas, child, keyword=kind == "keyword"),
                combinator=_combinator(schemas, child),
                schema_name=name,
            )
        elif _is_object(child):
            inner = seen | {name} if name else seen
            yield from _fields(schemas, child, (*prefix, key), inner, depth + 1)


def _entity_filter(schemas: _Schemas, key: str, prop: Any, required: bool) -> EntityFilter | None:
    node, name = schemas.unwrap(prop)
    if not _is_object(node) or _criterion_kind(schemas, node) == "operator":
        return None
    fields = tuple(_fields(schemas, node, (), frozenset({name} if name else ()), 0))
    operator_style = any(not op.keyword for f in fields for op in f.operators)
    keyword_fields = sum(1 for f in fields if all(op.keyword for op in f.operators))
    closed = node.get("additionalProperties") is False
    if not operator_style and not (closed and keyword_fields >= 2):
        return None
    description = _str_or_none(schemas.deref(prop)[0].get("description"))
    return EntityFilter(
        key=key,
        schema_name=name,
        description=description or _str_or_none(node.get("description")) or "",
        fields=fields,
        combinator=_combinator(schemas, node),
        required=required,
    )


def _sort_option(schemas: _Schemas, key: str, prop: Any) -> SortOption | None:
    node, name = schemas.unwrap(prop)
    values = node.get("enum")
    if node.get("type") != "string" or not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, str) and _SORT_VALUE.search(v) for v in values):
        return None
    return SortOption(key, tuple(values), _str_or_none(node.get("default")), name)


def _int_param(schemas: _Schemas, key: str, prop: Any) -> IntParam | None:
    node, _ = schemas.unwrap(prop)
    if key not in _PAGINATION_KEYS or node.get("type") != "integer":
        return None

    def _int(name: str) -> int | None:
        value = node.get(name)
        return int(value) if isinstance(value, int | float) else None

    description = _str_or_none(node.get("description")) or ""
    return IntParam(key, _int("default"), _int("minimum"), _int("maximum"), description)


def _request_schema(operation: Mapping[str, Any]) -> Any:
    body = operation.get("requestBody")
    content = body.get("content", {}) if isinstance(body, dict) else {}
    media = content.get("application/json") if isinstance(content, dict) else None
    return media.get("schema") if isinstance(media, dict) else None


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


def _operation(
    schemas: _Schemas, method: str, path: str, operation: Mapping[str, Any], vocab: Vocabulary
) -> OperationFilters | None:
    body, _ = schemas.unwrap(_request_schema(operation))
    if not _is_object(body):
        return None
    required_keys = set(body.get("required", []))
    entities: list[EntityFilter] = []
    sort: SortOption | None = None
    pagination: list[IntParam] = []
    required: dict[str, Any] = {}
    for key, prop in _properties(body).items():
        entity = _entity_filter(schemas, key, prop, key in required_keys)
        if entity is not None:
            entities.append(entity)
        elif sort is None and (found := _sort_option(schemas, key, prop)) is not None:
            sort = found
        elif (param := _int_param(schemas, key, prop)) is not None:
            pagination.append(param)
        elif key in required_keys:
            required[key] = prop
    # Without filter objects, a body still queries when it pages (limit with offset or page).
    keys = {p.key for p in pagination}
    if not entities and not ("limit" in keys and keys & {"offset", "page"}):
        return None
    entity_tuple = tuple(entities)
    model = OperationFilters(
        method=method.upper(),
        path=path,
        operation_id=_str_or_none(operation.get("operationId")),
        primary=_primary(path, entity_tuple),
        entities=entity_tuple,
        sort=sort,
        pagination=tuple(pagination),
        required_body=_fill_required(schemas, required, vocab),
    )
    return replace(model, examples=build_examples(model, vocab))


# --- values for required, non-filter body keys -----------------------------------------------


def _fill_required(
    schemas: _Schemas, props: Mapping[str, Any], vocab: Vocabulary
) -> dict[str, Any]:
    times = iter(vocab.times)
    return {key: _minimal(schemas, prop, key, times, 0) for key, prop in props.items()}


def _minimal(schemas: _Schemas, prop: Any, key: str, times: Iterator[str], depth: int) -> Any:
    """A small valid value for a required key: defaults, first enum values, fixed times."""
    node, _ = schemas.unwrap(prop)
    if "default" in node:
        return node["default"]
    if isinstance(node.get("enum"), list) and node["enum"]:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "string" and node.get("format") == "date-time":
        return next(times, _LAST_RESORT_TIME)
    if kind in ("integer", "number"):
        if node.get("format") == "time-delta":
            return 3600  # one hour: a natural bucket size for time series
        minimum = node.get("minimum")
        return max(int(minimum), 1) if isinstance(minimum, int | float) else 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if _is_object(node) and depth < _MAX_DEPTH:
        required = [k for k in node.get("required", []) if k in _properties(node)]
        return {k: _minimal(schemas, node["properties"][k], k, times, depth + 1) for k in required}
    examples = node.get("examples")
    return examples[0] if isinstance(examples, list) and examples else key


# --- whole document --------------------------------------------------------------------------


def _iter_operations(doc: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield method, path, operation


def _operator_index(
    operations: tuple[OperationFilters, ...], keyword: bool
) -> tuple[OperatorInfo, ...]:
    """Group every operator by name with the fields and operations that accept it."""
    sites: dict[str, dict[tuple[str, str], list[tuple[str, str]]]] = {}
    types: dict[str, dict[str, None]] = {}
    meanings: dict[str, str] = {}
    for op in operations:
        for entity in op.entities:
            for f in entity.fields:
                for fop in f.operators:
                    if fop.keyword != keyword:
                        continue
                    where = (entity.schema_name or entity.key, f.name)
                    used = sites.setdefault(fop.name, {}).setdefault(where, [])
                    if (op.method, op.path) not in used:
                        used.append((op.method, op.path))
                    types.setdefault(fop.name, {})[fop.value.label] = None
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


def analyse(doc: Mapping[str, Any], vocabulary: Vocabulary | None = None) -> QueryLanguage:
    """Recognise the filter query language of OpenAPI document `doc`.

    Pure: `doc` is not modified. `vocabulary` supplies the realistic values used in worked
    examples; the default speaks about flows, tags and states.
    """
    vocab = vocabulary or Vocabulary()
    schemas = _Schemas(doc)
    found = (_operation(schemas, m, p, o, vocab) for m, p, o in _iter_operations(doc))
    operations = tuple(op for op in found if op is not None)
    combinators = [e.combinator for op in operations for e in op.entities if e.combinator]
    return QueryLanguage(
        operations=operations,
        operators=_operator_index(operations, keyword=False),
        keyword_operators=_operator_index(operations, keyword=True),
        combinator=combinators[0] if combinators else None,
    )
