"""The one HTML allow-list, and the sanitiser (Ammonia, via `nh3`) that applies it.

Two uses share it. At generation time, raw HTML in a spec's description is cleaned with the
narrower description list: safe formatting stays and renders, anything else is removed. After
Markdown has been rendered, a whole page is cleaned with the page list, which adds what our
templates and Material's extensions produce (ids, classes, content tabs); the MkDocs plugin and
the `restref` Markdown extension run that second pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import nh3

# Formatting a description may carry. No `id`/`class` (they could clobber or mimic the page's
# own elements), no forms, no headings above h3 (they would compete with the page's sections).
DESCRIPTION_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "u", "ul", "wbr",
})  # fmt: skip
DESCRIPTION_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}

# What a table cell keeps: text-level formatting only. Blocks (`<p>`, lists, tables) in a cell
# would break the row's layout, so `flatten_cell` turns their boundaries into `<br>` first.
CELL_TAGS = frozenset({
    "a", "abbr", "b", "br", "code", "del", "em", "i", "kbd", "s", "small", "span", "strong",
    "sub", "sup", "u", "wbr",
})  # fmt: skip
_CELL_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")  # a Markdown paragraph break
_CELL_PARAGRAPH = re.compile(r"\s*</?p(?:\s[^>]*)?>\s*", re.I)
_CELL_BREAK = re.compile(
    r"\s*(?:</?(?:div|dl|dt|dd|ol|ul|tr|table|h[1-6]|blockquote|pre|details|summary)"
    r"(?:\s[^>]*)?>|</li>|<hr\s*/?>)\s*",
    re.I,
)
_CELL_ITEM = re.compile(r"<li(?:\s[^>]*)?>\s*", re.I)
_BREAKS = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.I)
_EDGE_BREAKS = re.compile(r"^(?:\s*<br\s*/?>)+\s*|\s*(?:<br\s*/?>\s*)+$", re.I)

# A rendered page: the description list plus what Markdown and Material's extensions emit.
PAGE_TAGS = DESCRIPTION_TAGS | {"div", "h1", "h2", "input", "label"}
PAGE_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title"},
    "a": {"href", "name"},
    "abbr": {"title"},
    "img": {"src", "alt"},
    "input": {"type", "checked", "name"},  # Material's content tabs are radio buttons
    "label": {"for"},
    "div": {"data-tabs"},
    "details": {"open"},
    "th": {"align"},
    "td": {"align"},
}
TRUSTED_EXTRA_TAGS = frozenset({"font", "center", "big"})
URL_SCHEMES = {"http", "https", "mailto"}


def clean_description(html: str) -> str:
    """Raw HTML from a description with everything outside the description list removed."""
    return _clean(html, DESCRIPTION_TAGS, DESCRIPTION_ATTRIBUTES)


def flatten_cell(html: str) -> str:
    """Cleaned description HTML as one cell's inline HTML: blocks become line breaks.

    Paragraphs, list items and the like end with `<br>` (a list item starts with a bullet), at
    most two in a row and none at either end; then only `CELL_TAGS` are kept, their text stays.
    """
    html = _CELL_BLANK_LINE.sub("<br><br>", html)
    html = _CELL_BREAK.sub("<br>", _CELL_PARAGRAPH.sub("<br><br>", html))
    html = _CELL_ITEM.sub("\u2022 ", html)
    html = _clean(html, CELL_TAGS, DESCRIPTION_ATTRIBUTES)
    return _EDGE_BREAKS.sub("", _BREAKS.sub("<br><br>", html))


def clean_page(html: str, *, trusted_html: bool = False) -> str:
    """A rendered page with anything outside the page list removed (trusted keeps a few more)."""
    tags = PAGE_TAGS | (TRUSTED_EXTRA_TAGS if trusted_html else frozenset())
    return _clean(html, tags, PAGE_ATTRIBUTES)


def _clean(html: str, tags: Iterable[str], attributes: Mapping[str, Iterable[str]]) -> str:
    """`html` through Ammonia with one allow-list: web and mail links only, no comments."""
    return nh3.clean(
        html,
        tags=set(tags),
        attributes={tag: set(names) for tag, names in attributes.items()},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
