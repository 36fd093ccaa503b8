"""Two OpenAPI documents -> a `DiffResult`: the operations, then the filters, sorted."""

from __future__ import annotations

from typing import Any

from generator.diff.change import LEVELS, Change, DiffResult, OperationInfo
from generator.diff.filtering import filter_changes, without_explained
from generator.diff.operations import OperationDiff, raw_operations
from generator.diff.rules import level_of
from generator.diff.schema import Budget, SchemaWalk
from generator.limits import MAX_DIFF_NODES
from generator.model.api import Api, build_api


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> DiffResult:
    """Every change from `old` to `new` a client could notice, classified. Pure."""
    old_api, new_api = build_api(old), build_api(new)
    walk = SchemaWalk(old_api.index, new_api.index, Budget())
    before = raw_operations(old, old_api.index)
    after = raw_operations(new, new_api.index)
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            changes.append(_whole(key, "operation-added"))
        elif key not in after:
            deprecated = before[key].node.get("deprecated") is True
            kind = "deprecated-operation-removed" if deprecated else "operation-removed"
            changes.append(_whole(key, kind))
        else:
            OperationDiff(walk, before[key], after[key], changes).run()
    explained = filter_changes(old_api, new_api)
    changes = without_explained(changes, explained) + explained
    warnings = []
    if walk.budget.exhausted:
        warnings.append(
            f"stopped comparing schemas after {MAX_DIFF_NODES} nodes; changes may be missing"
        )
    return DiffResult(
        title=new_api.title,
        old_version=old_api.version,
        new_version=new_api.version,
        changes=tuple(sorted(set(changes), key=sort_key)),
        operations=_operations(old_api, new_api),
        warnings=tuple(warnings),
    )


def sort_key(change: Change) -> tuple[Any, ...]:
    """Path, method, level (breaking first), location, field, kind, values."""
    return (
        change.path,
        change.method,
        LEVELS.index(change.level),
        change.location,
        change.field,
        change.kind,
        change.old,
        change.new,
    )


def _whole(key: tuple[str, str], kind: str) -> Change:
    return Change(key[0], key[1], level_of(kind), kind, "operation")


def _operations(old: Api, new: Api) -> dict[tuple[str, str], OperationInfo]:
    """Title and page of every operation; a removed one keeps its old title and has no page."""
    found = {op.key: OperationInfo(op.method, op.path, op.title, None) for op in old.operations}
    found |= {op.key: OperationInfo(op.method, op.path, op.title, op.page) for op in new.operations}
    return dict(sorted(found.items()))
