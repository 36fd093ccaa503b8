r"""Every transformation of spec text into Markdown: the one escaping layer.

Spec text is untrusted, and the generated Markdown must be safe on its own: built by restref's
plugin, by a plain `mkdocs.yml`, or by another engine. One function per place text can land:

| function | place |
| --- | --- |
| `markdown_text` | descriptions (prose) |
| `table_cell` | one table cell |
| `table_row` | a table row of cells made by the others (the cell boundary, by construction) |
| `inline_code`, `code_cell`, `path_code` | names, paths, values as code |
| `fenced_code`, `json_text` | code blocks and JSON examples |
| `heading_text` | headings (safe as H1 text and as `<title>` after `striptags`) |
| `theme_title`, `nav_title` | titles a theme prints unescaped (`site_name`, nav) |
| `link_target` | a link destination |

Everywhere: line breaks other than `\n` are folded, control characters become visible, and the
syntax of other build-time engines is neutralised: template tags of mkdocs-macros (`{{`, `{%`,
`{#`) and `pymdownx.snippets` lines (`--8<--`), inside code too.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from typing import Any

from generator.render.prose import (
    TEMPLATE_OPENER,
    code_html,
    code_text,
    defuse_code,
    normalise,
    prose,
    strip_markup,
)

__all__ = [
    "code_cell",
    "fenced_code",
    "filters",
    "first_sentence",
    "heading_text",
    "inline_code",
    "json_text",
    "link_target",
    "markdown_text",
    "nav_title",
    "path_code",
    "table_cell",
    "table_row",
    "theme_title",
]

_SINGLE_LINE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)  # descriptions repeat across pages
def markdown_text(text: str, *, trusted_html: bool = False, link_base: str | None = None) -> str:
    """A spec description made safe to place in a page as Markdown (safe HTML kept).

    `link_base` resolves links to the spec author's site (see `prose.resolve_links`).
    """
    return prose(text, trusted_html=trusted_html, link_base=link_base)


@functools.lru_cache(maxsize=65536)
def table_cell(text: str, *, trusted_html: bool = False, link_base: str | None = None) -> str:
    """Markdown for one table cell: one line, pipes escaped, paragraphs joined with <br>.

    Block HTML (`<p>`, lists) is flattened to inline HTML and line breaks.
    """
    safe = prose(text, trusted_html=trusted_html, one_line=True, link_base=link_base)
    safe = re.sub(r"\n\s*\n", "<br><br>", safe)
    safe = safe.replace("\n", " ")
    # Backslashes before a pipe are doubled first, so `a\|b` cannot end the cell.
    return re.sub(r"(\\*)\|", lambda m: m.group(1) * 2 + "\\|", safe)


# A pipe that no backslash escapes (a run of backslashes before it has even length).
_BARE_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_LINE_BREAK = re.compile(r"[ \t]*\n\s*")


def table_row(*cells: str) -> str:
    r"""One Markdown table row from cells that are Markdown already (escaped spec text, links).

    Whatever a cell holds, it stays one cell: line breaks are folded and every pipe not yet
    escaped is escaped, so a label such as `A | B` cannot split the row. Applied to cells
    `table_cell` made, it changes nothing (their pipes are escaped already).
    """
    return "| " + " | ".join(cell_markup(cell) for cell in cells) + " |"


def cell_markup(markdown: str) -> str:
    """Markdown made safe as one table cell: one line, no bare pipe."""
    return _BARE_PIPE.sub(lambda m: m.group(1) + "\\|", _LINE_BREAK.sub(" ", markdown))


def heading_text(text: str, *, trusted_html: bool = False) -> str:
    """One line for a heading, safe as heading text and as the page's `<title>`.

    A heading is text: HTML elements are removed (a name that is nothing but markup is shown as
    written, with look-alike brackets). MkDocs copies a heading's HTML, entities
    included, into `page.title`, and Material prints `page.title | striptags`, which decodes
    them once: an escaped `&lt;/title&gt;` would close the title element. So the angle brackets
    left (`<T>`) become look-alikes (U+2039, U+203A), in code spans too; the rest is made safe
    as Markdown.
    """
    line = _SINGLE_LINE.sub(" ", _as_text(first_sentence(text, 120))).strip()
    line = line.replace("<", "\u2039").replace(">", "\u203a")
    safe = markdown_text(line, trusted_html=trusted_html).replace('"', "&quot;")
    return safe.lstrip("#= ").strip()


def first_sentence(text: str, limit: int = 160) -> str:
    """The first paragraph of a description on one line, for summaries in tables."""
    line = normalise(text).strip().split("\n\n", 1)[0].replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@functools.lru_cache(maxsize=65536)
def inline_code(text: str) -> str:
    """`text` as inline code, on one line, shown exactly.

    A code span whose backtick fence is longer than any run inside; when the text holds a
    template opener, `<code>` with entities instead (a copy gives the original text).
    """
    text = _one_line(text)
    if TEMPLATE_OPENER.search(text):
        return code_html(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _one_line(text: str) -> str:
    return _SINGLE_LINE.sub(lambda m: " " if "\n" in m[0] else m[0], normalise(text))


def code_cell(text: str) -> str:
    r"""Inline code for a table cell.

    Python-Markdown's tables would show a `\|` inside a code span as is, so a pipe makes it
    `<code>` with entities.
    """
    if "|" in text:
        return code_html(_one_line(text))
    return inline_code(text)


@functools.lru_cache(maxsize=65536)  # the same paths recur on many pages
def path_code(path: str) -> str:
    """A field path as code that may wrap after its dots, and only there (`<wbr>`)."""
    return code_html(path).replace(".", ".<wbr>")


def fenced_code(text: str, language: str = "") -> str:
    r"""A fenced code block that nothing inside can end.

    The fence is longer than any backtick run in the text; line breaks other than `\n` (which
    Jinja's `indent` would split on, but Markdown would not) are written as `\uXXXX`; template
    openers and snippet lines get a zero-width space, the only change code can take without
    entities.
    """
    text = defuse_code(code_text(text))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


# JSON strings may hold what a raw JSON text must not show: escapes keep the value, and a
# copy of the example still parses to the same document.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]|\\{(?=[{%#])")


def json_text(value: Any) -> str:
    r"""`value` as indented JSON, with breaks, controls and template openers as `\u` escapes."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)[0]):04x}", text)


def theme_title(text: str) -> str:
    """A title that stays text wherever a theme puts it (`site_name`, nav, `<title>`).

    Themes insert titles unescaped, and Material's `striptags` even decodes entities first, so
    escaping alone is not enough: angle brackets and quotes become look-alike characters.
    """
    text = re.sub(r"\s*\n\s*", " ", normalise(html.unescape(text)))
    for raw, shown in (
        ("&", "&amp;"),
        ("<", "\u2039"),
        (">", "\u203a"),
        ('"', "\u201d"),
        ("'", "\u2019"),
    ):
        text = text.replace(raw, shown)
    return text


def nav_title(text: str) -> str:
    """A navigation entry: one line of text (HTML elements removed, see `heading_text`).

    Safe as `theme_title`.
    """
    return theme_title(" ".join(_as_text(normalise(text)).split()) or "Untitled")


def _as_text(text: str) -> str:
    """`text` without HTML elements; as written when that would leave nothing to read."""
    stripped = strip_markup(text)
    return stripped if stripped.strip() else text


_SAFE_SCHEME = re.compile(r"^(?:https?|mailto):", re.I)
_ANY_SCHEME = re.compile(r"^[^/?#]*:")


def link_target(url: str) -> str:
    """A link destination for Markdown: web, mail and relative URLs only, else `#`.

    Whitespace and control characters are removed first, as browsers do before reading a
    scheme; what could end the destination (spaces, parentheses, angle brackets) is
    percent-encoded.
    """
    url = re.sub(r"[\s\x00-\x1f\x7f]", "", html.unescape(url))
    if _ANY_SCHEME.match(url) and not _SAFE_SCHEME.match(url):
        return "#"
    return re.sub(r"[()<>\"'`\\]", lambda m: f"%{ord(m.group(0)):02X}", url)


def filters(trusted_html: bool, link_base: str | None = None) -> dict[str, Callable[..., str]]:
    """The Jinja filters of this module, by the names templates use.

    `link_base` is the document's `externalDocs` URL, for links to the spec author's site.
    """
    return {
        "md": lambda text: markdown_text(str(text), trusted_html=trusted_html, link_base=link_base),
        "cell": lambda text: table_cell(str(text), trusted_html=trusted_html, link_base=link_base),
        "summary_line": lambda text: table_cell(
            first_sentence(str(text)), trusted_html=trusted_html, link_base=link_base
        ),
        "title": lambda text: heading_text(str(text), trusted_html=trusted_html),
        "code": lambda text: inline_code(str(text)),
        "code_cell": lambda text: code_cell(str(text)),
        "fence": lambda text, language="": fenced_code(str(text), language),
        "json": json_text,
        "href": lambda url: link_target(str(url)),
        "nav_title": lambda text: nav_title(str(text)),
    }
