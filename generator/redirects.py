"""Links that never die: a ledger of pages that moved or went, and a redirect page for each.

When an operation's page moves (a new tag, a new slug) or the operation goes, its old page is
recorded in the manifest's `redirects` (old page -> the page that replaces it: the new page, or
for a removed operation its tag's page, or the reference's index). Each entry becomes a small
HTML page at the old page's URL that sends the browser on (`<meta http-equiv="refresh">`), so
published links keep working on any engine that copies static files. The ledger is carried
from run to run; an entry goes when its old page exists again.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

from generator.layout import INDEX, Page, is_plain_path
from generator.model.api import Api

_MAX_HOPS = 64  # a ledger edited by hand could hold a cycle


def ledger(
    previous: Mapping[str, Any] | None,
    api: Api,
    pages: Iterable[str],
    kept: Iterable[str] = (),
) -> dict[str, str]:
    """Old page -> current page, for every page of an earlier run that is no longer generated.

    `previous` is the manifest of the folder's earlier run (or None); `pages` are the paths of
    the Markdown pages generated now; `kept` are old pages the user edited, which stay where
    they are (so they get no redirect).
    """
    current = set(pages) | set(kept)
    before = previous or {}
    moves: dict[str, str] = {
        old: new
        for old, new in _pairs(before.get("redirects"))
        if is_plain_path(old) and is_plain_path(new) and old.endswith(".md")
    }
    now = {(op.method, op.path): op.page for op in api.operations}
    for entry in before.get("operations") or ():
        if not isinstance(entry, dict):
            continue
        old = entry.get("page")
        if not isinstance(old, str) or not is_plain_path(old) or old in current:
            continue
        moved = now.get((str(entry.get("method")), str(entry.get("path"))))
        moves[old] = moved or _nearest_index(old, current)
    settled = {old: _follow(old, moves, current) for old in moves if old not in current}
    return dict(sorted(settled.items()))


def _pairs(value: Any) -> Iterable[tuple[str, str]]:
    if not isinstance(value, dict):
        return ()
    return ((k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str))


def _nearest_index(page: str, current: set[str]) -> str:
    """The index page of the folder that held `page`, if it is still generated, else the top."""
    folder = posixpath.dirname(page)
    candidate = f"{folder}/{INDEX}" if folder else INDEX
    return candidate if candidate in current else INDEX


def _follow(page: str, moves: Mapping[str, str], current: set[str]) -> str:
    """Where a chain of moves from `page` ends: a current page (the index if it never does)."""
    seen = {page}
    for _ in range(_MAX_HOPS):
        page = moves.get(page, page)
        if page in current:
            return page
        if page in seen:
            break
        seen.add(page)
    return INDEX


def redirect_pages(moves: Mapping[str, str]) -> list[Page]:
    """One HTML page per moved page, at the URL MkDocs gave the old page (`old/page/`)."""
    return [
        Page(f"{_url(old)}index.html", _redirect_html(_url(old), _url(new)))
        for old, new in moves.items()
    ]


def _url(page: str) -> str:
    """The directory URL MkDocs gives a page: `flows/get-flow.md` -> `flows/get-flow/`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def _redirect_html(source: str, target: str) -> str:
    """A page that sends the browser from `source` to `target` (both site-relative URLs)."""
    href = html.escape(posixpath.relpath(target or ".", source or ".") + "/", quote=True)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Moved</title>\n"
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        '<meta name="robots" content="noindex">\n'
        f'</head>\n<body>\n<p>This page has moved: <a href="{href}">{href}</a>.</p>\n'
        "</body>\n</html>\n"
    )
