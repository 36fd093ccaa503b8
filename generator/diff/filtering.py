"""Filter fields and operators added or removed, from the filters stage's model of each side.

`generator.filters.analyse` recognises the query language of each document; an operation
filtering in both is compared by its (entity, field, operator) triples. A filter change names
the same field path as the structural change it explains (`flows.name.any_`), and replaces it.
"""

from __future__ import annotations

from generator import filters
from generator.diff.change import Change
from generator.diff.rules import level_of
from generator.model.api import Api

_Triples = set[tuple[str, str, str]]
_REPLACED = frozenset(
    f"request-{kind}"
    for kind in (
        "property-added",
        "property-added-required",
        "property-removed",
        "property-removed-required",
        "property-removed-rejected",
        "property-removed-required-rejected",
    )
)


def filter_changes(old: Api, new: Api) -> list[Change]:
    """The filter fields and operators each operation gained or lost."""
    before = _triples(old)
    after = _triples(new)
    changes = []
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        fields_a = {(e, f) for e, f, _ in a}
        fields_b = {(e, f) for e, f, _ in b}
        for entity, name in sorted(fields_a ^ fields_b):
            kind = "filter-field-added" if (entity, name) in fields_b else "filter-field-removed"
            changes.append(_change(new, key, kind, f"{entity}.{name}"))
        for entity, name, op in sorted(a ^ b):
            if (entity, name) in fields_a and (entity, name) in fields_b:
                kind = (
                    "filter-operator-added"
                    if (entity, name, op) in b
                    else "filter-operator-removed"
                )
                changes.append(_change(new, key, kind, f"{entity}.{name}.{op}"))
    return changes


def without_explained(changes: list[Change], explained: list[Change]) -> list[Change]:
    """`changes` less the structural property additions/removals a filter change explains."""
    paths = {(c.method, c.path, c.field) for c in explained}

    def covered(c: Change) -> bool:
        if c.kind not in _REPLACED:
            return False
        parts = c.field.split(".")
        return any(
            (c.method, c.path, ".".join(parts[:n])) in paths for n in range(1, len(parts) + 1)
        )

    return [c for c in changes if not covered(c)]


def _triples(api: Api) -> dict[tuple[str, str], _Triples]:
    language = filters.analyse(api)
    found: dict[tuple[str, str], _Triples] = {}
    for op in language.operations:
        found[(op.method, op.path)] = {
            (entity.key, f.name, operator.name)
            for entity in op.entities
            for f in entity.fields
            for operator in f.operators
        }
    return found


def _change(api: Api, key: tuple[str, str], kind: str, field: str) -> Change:
    op = api.operation(*key)
    body = op.request_body if op is not None else None
    location = f"request body {body.media_type}" if body is not None else "request body"
    return Change(key[0], key[1], level_of(kind), kind, location, field)
