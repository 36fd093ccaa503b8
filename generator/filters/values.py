"""Values placed in filter bodies: realistic ones for criteria, minimal ones for required keys.

Criterion values come from a `Vocabulary`, then from schema `examples`, then from a generic
fallback, so output is deterministic. Required keys get the smallest valid values of the one
example synthesiser (`generator.examples.synthesis`), with the vocabulary's times.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from generator.examples.synthesis import minimal_example
from generator.filters.model import EntityFilter, FieldOperator, FilterField
from generator.model.resolver import SchemaIndex

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

    def strings(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> list[Any]:
        """Values for a list-of-strings operator (`any_`, `all_`...) on `entity.f`."""
        if fop.value.enum:
            return enum_values(fop, self.enum_preference, 2)
        if fop.value.format == "uuid":
            return [str(uuid.uuid5(_UUID_NAMESPACE, f"{entity.key}.{f.name}"))]
        for key in (f"{entity.key}.{f.name}", f.name, f.path[-1]):
            if key in self.values:
                return list(self.values[key][:1])
        if f.path[-1] == "name" and entity.key in self.names:
            return [self.names[entity.key]]
        for sample in fop.value.examples:
            first = sample[0] if isinstance(sample, list) and sample else sample
            if isinstance(first, str):
                return [first]
        return [f"{f.path[-1]}-1"]

    def number(self, entity: EntityFilter, f: FilterField, fop: FieldOperator) -> Any:
        """A value for a numeric bound (`ge_`) on `entity.f`."""
        for key in (f"{entity.key}.{f.name}", f.name):
            if key in self.values:
                return self.values[key][0]
        return fop.value.examples[0] if fop.value.examples else 1


def enum_values(fop: FieldOperator, preference: tuple[str, ...], n: int) -> list[str]:
    """Up to `n` enum values of `fop`, the preferred ones first if it has any."""
    preferred = [v for v in preference if v in fop.value.enum]
    return (preferred or list(fop.value.enum))[:n]


# --- required, non-filter body keys ----------------------------------------------------------


def required_values(
    index: SchemaIndex, props: Mapping[str, Any], vocab: Vocabulary
) -> dict[str, Any]:
    """Small valid values for the required body keys `props` that are not filters.

    Date-times come from the vocabulary in order, so a window's start precedes its end.
    """
    wanted = {"type": "object", "properties": dict(props), "required": list(props)}
    value = minimal_example(wanted, index, vocab.times)
    return value if isinstance(value, dict) else {}
