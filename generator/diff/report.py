"""A `DiffResult` as a Markdown changelog page, as JSON, or as GitHub Actions annotations.

Spec text (versions, paths, field names, values) reaches Markdown only through
`generator.render.escape`. Every report lists changes in the result's order, which is sorted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from generator.diff.change import LEVELS, Change, DiffResult, Level
from generator.render.escape import code_cell, heading_text, inline_code, link_target, table_cell

_HEADINGS: dict[Level, str] = {
    "breaking": "Breaking changes",
    "warning": "Warnings",
    "info": "Other changes",
}
_GITHUB: dict[Level, str] = {"breaking": "error", "warning": "warning", "info": "notice"}
_MAX_VALUE = 200  # characters of an old or new value shown (long enum lists are cut)


def summary(result: DiffResult) -> dict[str, int]:
    """Counts: operations added, removed and changed; changes by level."""
    kinds = {(c.method, c.path): c.kind for c in result.changes if c.location == "operation"}
    added = sum(1 for k in kinds.values() if k == "operation-added")
    removed = sum(1 for k in kinds.values() if k.endswith("operation-removed"))
    changed = {
        (c.method, c.path)
        for c in result.changes
        if not c.kind.endswith(("operation-added", "operation-removed"))
    }
    counts = {"operations_added": added, "operations_removed": removed}
    counts["operations_changed"] = len(changed)
    counts |= {level: result.count(level) for level in LEVELS}
    return counts


def describe(change: Change) -> str:
    """The kind of a change in words: `response-type-widened` -> `response type widened`."""
    return change.kind.replace("-", " ")


def to_json(result: DiffResult) -> str:
    """The result as indented JSON text, ending with a newline."""
    data: dict[str, Any] = {
        "title": result.title,
        "old": result.old_version,
        "new": result.new_version,
        "summary": summary(result),
        "changes": [c.to_dict() for c in result.changes],
        "warnings": list(result.warnings),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_github(result: DiffResult) -> str:
    """One GitHub Actions workflow command per change (`::error title=...::...`)."""
    lines = []
    for c in result.changes:
        title = _github_property(f"{c.level}: {c.method} {c.path}")
        lines.append(f"::{_GITHUB[c.level]} title={title}::{_github_data(_sentence(c))}")
    lines += [f"::warning::{_github_data(w)}" for w in result.warnings]
    return "".join(f"{line}\n" for line in lines)


def to_markdown(result: DiffResult, link_base: str = "", title: str | None = None) -> str:
    """A changelog page: counts, then each level's changes grouped by endpoint.

    `link_base` is prepended to each operation's page path (such as `../reference/`); a
    removed operation has no page, and no link.
    """
    heading = title or f"{result.title}: changes from {result.old_version} to {result.new_version}"
    counts = summary(result)
    out = [f"# {heading_text(heading)}", ""]
    out.append(
        f"{_count(counts['operations_added'], 'operation')} added, "
        f"{counts['operations_removed']} removed and {counts['operations_changed']} changed: "
        f"{_count(counts['breaking'], 'breaking change')}, {_count(counts['warning'], 'warning')}, "
        f"{_count(counts['info'], 'other change')}."
    )
    out += [f"\n!!! warning\n    {table_cell(w)}" for w in result.warnings]
    for level in LEVELS:
        changes = [c for c in result.changes if c.level == level]
        if not changes:
            continue
        out += ["", f"## {_HEADINGS[level]}"]
        for key, group in _by_endpoint(changes):
            out += ["", f"### {_endpoint(result, key, link_base)}", ""]
            out += ["| Change | Where | Field | Was | Now |", "| --- | --- | --- | --- | --- |"]
            out += [_row(c) for c in group]
    return "\n".join(out) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _by_endpoint(changes: Iterable[Change]) -> list[tuple[tuple[str, str], list[Change]]]:
    grouped: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        grouped.setdefault((c.method, c.path), []).append(c)
    return list(grouped.items())


def _endpoint(result: DiffResult, key: tuple[str, str], link_base: str) -> str:
    text = inline_code(f"{key[0]} {key[1]}")
    info = result.operations.get(key)
    if info is None or info.page is None:
        return text
    return f"[{text}]({link_target(link_base + info.page)})"


def _row(c: Change) -> str:
    cells = [
        table_cell(describe(c)),
        table_cell(c.location),
        _code(c.field),
        _code(c.old),
        _code(c.new),
    ]
    return "| " + " | ".join(cells) + " |"


def _code(text: str) -> str:
    return code_cell(_cut(text)) if text else ""


def _cut(text: str) -> str:
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _sentence(c: Change) -> str:
    where = " ".join(part for part in (c.location, c.field) if part)
    values = f" ({_cut(c.old) or '-'} -> {_cut(c.new) or '-'})" if c.old or c.new else ""
    return f"{describe(c)}: {where}{values}"


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")
