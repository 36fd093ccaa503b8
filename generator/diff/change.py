"""The result of a comparison: one `Change` per difference a client could notice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["breaking", "warning", "info"]
LEVELS: tuple[Level, ...] = ("breaking", "warning", "info")
"""From the client's point of view: breaks callers, may break some, or harmless."""


@dataclass(frozen=True, order=True)
class Change:
    """One difference between two documents, classified for clients."""

    method: str
    """The operation's method (upper case); empty for a document-wide change."""
    path: str
    """The operation's path."""
    level: Level
    """`breaking`, `warning` or `info` (see `generator.diff.rules`)."""
    kind: str
    """What changed, e.g. `request-property-added-required` (see `generator.diff.rules`)."""
    location: str
    """Where in the operation: `request body application/json`, `query parameter limit`..."""
    field: str = ""
    """The field path inside the schema, e.g. `flows.name.any_` (`[]` for array items)."""
    old: str = ""
    """The old value, as compact JSON text, when the change has one."""
    new: str = ""
    """The new value, likewise."""

    def to_dict(self) -> dict[str, str]:
        """The change as plain JSON data."""
        return {
            "level": self.level,
            "kind": self.kind,
            "method": self.method,
            "path": self.path,
            "location": self.location,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class OperationInfo:
    """What a report says about an operation beyond its changes: its title and page."""

    method: str
    """Its method, upper case."""
    path: str
    """Its path."""
    title: str
    """Its title (summary, else operationId), from the newer document that has it."""
    page: str | None
    """Its page in the new reference, relative to the reference folder (None if removed)."""


@dataclass(frozen=True)
class DiffResult:
    """Every change between two documents, sorted, with the operations they concern."""

    title: str
    """The API's title, from the new document."""
    old_version: str
    """`info.version` of the old document."""
    new_version: str
    """`info.version` of the new document."""
    changes: tuple[Change, ...]
    """Sorted by path, method, level (breaking first), location and field."""
    operations: dict[tuple[str, str], OperationInfo] = field(default_factory=dict)
    """Every operation of either document, by `(METHOD, path)`."""
    warnings: tuple[str, ...] = ()
    """Why the comparison may be incomplete (a limit was reached)."""

    def count(self, level: Level) -> int:
        """How many changes have `level`."""
        return sum(1 for c in self.changes if c.level == level)

    @property
    def breaking(self) -> bool:
        """Whether any change breaks clients."""
        return any(c.level == "breaking" for c in self.changes)

    def by_operation(self) -> dict[tuple[str, str], tuple[Change, ...]]:
        """The changes of each operation, keyed by `(METHOD, path)` as `Operation.key` is."""
        grouped: dict[tuple[str, str], list[Change]] = {}
        for change in self.changes:
            grouped.setdefault((change.method, change.path), []).append(change)
        return {key: tuple(changes) for key, changes in sorted(grouped.items())}
