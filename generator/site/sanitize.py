"""The last line of defence: generated pages' HTML passed through an allow-list sanitiser.

Spec text is escaped when it is put into Markdown (`generator.render.escape`), but Markdown has many
ways to produce markup. After MkDocs has rendered a generated page, the plugin runs its HTML
through Ammonia (`nh3`): only the elements and attributes our templates and Material's Markdown
extensions produce survive, and link targets are limited to web and relative URLs.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "label", "li",
    "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "wbr",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "input": {"type", "checked", "name"},  # Material's content tabs are radio buttons
    "label": {"for"},
    "div": {"data-tabs"},
    "details": {"open"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str, *, trusted_html: bool = False) -> str:
    """`html` with anything outside the allow-list removed (trusted HTML keeps more tags)."""
    tags = TAGS | ({"font", "u", "center", "small", "big"} if trusted_html else set())
    return nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
