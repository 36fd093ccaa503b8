"""The site settings the reference pages are written for, in one place.

The plugin adds the Markdown extensions to a user's site when they are missing; `restref build`
and `restref serve` use all of it; this repository's `mkdocs.yml` repeats it, and a test checks
that it does. Only widely supported Material features are used (see the style notes on MkDocs'
and Material's future).
"""

from __future__ import annotations

import copy
from typing import Any

from generator import layout

# What the default templates use: tables, `{ .class }` attributes, admonitions, collapsible
# blocks, fenced code inside tabs, tabs, and heading anchors.
MARKDOWN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "tables": {},
    "attr_list": {},
    "admonition": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "toc": {"permalink": True},
}

THEME_FEATURES: tuple[str, ...] = (
    "navigation.indexes",  # tag pages are the sections' own pages
    "navigation.prune",  # the nav has a link per operation: render only the open part
    "navigation.sections",
    "navigation.top",
    "content.code.copy",
    "content.tabs.link",  # choosing curl or Python in one sample switches them all
    "search.suggest",
    "search.highlight",
)

# Light and dark schemes following the reader's system setting, with a toggle.
PALETTE: tuple[dict[str, Any], ...] = (
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"},
    },
)


def markdown_extensions() -> list[str | dict[str, Any]]:
    """`markdown_extensions` as written in `mkdocs.yml`: a bare name when there are no settings."""
    return [{name: copy.deepcopy(s)} if s else name for name, s in MARKDOWN_EXTENSIONS.items()]


def theme() -> dict[str, Any]:
    """The Material theme with restref's features and palette."""
    return {
        "name": "material",
        "features": list(THEME_FEATURES),
        "palette": copy.deepcopy(list(PALETTE)),
    }


def not_in_nav(out: str) -> str:
    """The gitignore-style pattern for the schema pages, which the navigation leaves out."""
    prefix = f"/{out.strip('/')}" if out.strip("/") else ""
    return f"{prefix}/{layout.SCHEMA_FOLDER}/*.md"
