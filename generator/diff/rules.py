"""Every kind of change and its level, from the client's point of view and per direction.

A schema change is judged by which side sends the data. A client *sends* a request (and its
parameters): the server accepting less (narrower type, new constraint, enum value removed,
new required field) breaks it, accepting more is harmless. A client *receives* a response:
the server sending more kinds of value (wider type, new enum value, null) may break it, sending
less is harmless, and a field it may rely on disappearing breaks it.

Description, summary, title and example edits are not changes: they cannot break a client and
the rendered pages already show the new text. operationId renames are warnings (generated
clients name methods after them).
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.diff.change import Level

# Schema-level kinds: (level when the client sends the value, level when it receives it).
SCHEMA_RULES: Mapping[str, tuple[Level, Level]] = {
    "property-added": ("info", "info"),
    "property-added-required": ("breaking", "info"),
    "property-removed": ("warning", "warning"),
    "property-removed-required": ("warning", "breaking"),
    # `-rejected`: the object is closed (`additionalProperties: false`), so a client still
    # sending the field gets an error instead of having it ignored.
    "property-removed-rejected": ("breaking", "warning"),
    "property-removed-required-rejected": ("breaking", "breaking"),
    "property-became-required": ("breaking", "info"),
    "property-became-optional": ("info", "breaking"),
    "property-deprecated": ("info", "info"),
    "type-widened": ("info", "breaking"),
    "type-narrowed": ("breaking", "info"),
    "type-changed": ("breaking", "breaking"),
    "format-added": ("breaking", "info"),
    "format-removed": ("info", "warning"),
    "format-changed": ("breaking", "warning"),
    "became-nullable": ("info", "breaking"),
    "became-not-nullable": ("breaking", "info"),
    "enum-value-added": ("info", "warning"),
    "enum-value-removed": ("breaking", "info"),
    "enum-added": ("breaking", "info"),
    "enum-removed": ("info", "warning"),
    "constraint-tightened": ("breaking", "info"),
    "constraint-loosened": ("info", "warning"),
    "pattern-added": ("breaking", "info"),
    "pattern-removed": ("info", "warning"),
    "pattern-changed": ("breaking", "warning"),
    "default-added": ("info", "info"),
    "default-removed": ("warning", "info"),
    "default-changed": ("warning", "info"),
    "additional-properties-closed": ("breaking", "info"),
    "additional-properties-opened": ("info", "warning"),
    "variant-added": ("info", "warning"),
    "variant-removed": ("breaking", "info"),
}

# Kinds of whole operations, parameters, bodies, responses, security and filters.
OPERATION_RULES: Mapping[str, Level] = {
    "operation-added": "info",
    "operation-removed": "breaking",
    "deprecated-operation-removed": "warning",
    "operation-deprecated": "warning",
    "operation-undeprecated": "info",
    "operation-id-changed": "warning",
    "parameter-added": "info",
    "parameter-added-required": "breaking",
    "parameter-removed": "warning",
    "parameter-became-required": "breaking",
    "parameter-became-optional": "info",
    "parameter-deprecated": "warning",
    "request-body-added": "info",
    "request-body-added-required": "breaking",
    "request-body-removed": "warning",
    "request-body-became-required": "breaking",
    "request-body-became-optional": "info",
    "request-media-type-added": "info",
    "request-media-type-removed": "breaking",
    "response-status-added": "info",
    "response-success-status-removed": "breaking",
    "response-status-removed": "warning",
    "response-media-type-added": "info",
    "response-header-added": "info",
    "response-header-removed": "warning",
    "response-header-removed-required": "breaking",
    "response-media-type-removed": "breaking",
    "security-added": "breaking",
    "security-removed": "info",
    "security-alternative-added": "info",
    "security-alternative-removed": "breaking",
    "filter-field-added": "info",
    "filter-field-removed": "breaking",
    "filter-operator-added": "info",
    "filter-operator-removed": "breaking",
}

# Where a schema sits decides the direction: prefix of the final kind -> index in SCHEMA_RULES.
SCHEMA_PLACES: Mapping[str, int] = {"request": 0, "parameter": 0, "response": 1}


def level_of(kind: str) -> Level:
    """The level of a final kind (`response-type-widened`, `operation-removed`...)."""
    if kind in OPERATION_RULES:
        return OPERATION_RULES[kind]
    place, _, schema_kind = kind.partition("-")
    return SCHEMA_RULES[schema_kind][SCHEMA_PLACES[place]]


def all_kinds() -> tuple[str, ...]:
    """Every final kind, sorted: the catalogue the documentation lists."""
    kinds = set(OPERATION_RULES)
    kinds |= {f"{place}-{kind}" for place in SCHEMA_PLACES for kind in SCHEMA_RULES}
    return tuple(sorted(kinds))
