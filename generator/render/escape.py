"""Escaping for text from a spec that is placed into Markdown pages.

Spec text is untrusted. Descriptions stay Markdown, but raw HTML is shown as text (unless the
user trusts the spec), script-like link targets are neutralised, and table cells survive pipes
and newlines. Code spans and fenced blocks are left alone: Markdown already shows them as text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# What Markdown itself treats as code: closed fences only, and code spans that do not start at
# an escaped backtick nor run across a blank line.
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+|mailto:[^\s<>]+)>")
# Browsers ignore whitespace and control characters inside a URL scheme.
_SCHEME = "|".join(
    "".join(f"{c}[\\s\\x00-\\x1f]*" for c in name)
    for name in ("javascript", "vbscript", "data", "file")
)
# A script-like link target gets a `#` in front, which makes it a harmless fragment link; this
# works whatever follows (nested parentheses, a title, a newline), inline or as a definition.
_UNSAFE_TARGET = re.compile(
    rf"(\]\(\s*<?\s*`*\s*|^[ \t>*+\-0-9.]*\[[^\]\n]+\]:\s*<?\s*)(?=(?:{_SCHEME}):)", re.I | re.M
)


@functools.lru_cache(maxsize=65536)  # descriptions repeat across pages
def markdown_text(text: str, *, trusted_html: bool = False) -> str:
    """A spec description made safe to place in a page as Markdown."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    # Before code is set apart: a link target written as a code span still becomes an href.
    text = _UNSAFE_TARGET.sub(r"\1#", text)
    return _outside_code(text, lambda part: _escape_part(part, trusted_html))


@functools.lru_cache(maxsize=65536)
def table_cell(text: str, *, trusted_html: bool = False) -> str:
    """Markdown for one table cell: one line, pipes escaped, paragraphs joined with <br>."""
    safe = markdown_text(text, trusted_html=trusted_html)
    safe = re.sub(r"\n\s*\n", "<br><br>", safe)
    safe = safe.replace("\n", " ")
    # Backslashes before a pipe are doubled first, so `a\|b` cannot end the cell.
    return re.sub(r"(\\*)\|", lambda m: m.group(1) * 2 + "\\|", safe)


def heading_text(text: str, *, trusted_html: bool = False) -> str:
    """One line of text for a heading: the first paragraph, newlines folded, safe as Markdown."""
    line = re.sub(r"\s+", " ", first_sentence(text, 120))
    # MkDocs copies the heading's text, entities included, into titles and attributes.
    safe = markdown_text(line, trusted_html=trusted_html).replace('"', "&quot;")
    return safe.lstrip("#= ").strip()


def inline_code(text: str) -> str:
    """`text` as a code span whose fence is longer than any backtick run inside it."""
    text = text.replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def first_sentence(text: str, limit: int = 160) -> str:
    """The first line of a description, for summaries in tables."""
    line = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _escape_part(part: str, trusted_html: bool) -> str:
    if trusted_html:
        return part
    links: list[str] = []

    def keep(match: re.Match[str]) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    part = _AUTOLINK.sub(keep, part)
    # `&` could spell a scheme as entities (`javascript&colon;`); `{` would open attr_list
    # syntax (`{: onclick=...}`) or a template tag for MkDocs macros.
    part = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    part = part.replace("{", "&#123;")
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], part)


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """Apply `change` to the parts of `text` that are not fenced blocks or code spans."""
    pieces: list[str] = []
    position = 0
    for block in _FENCE.finditer(text):
        pieces.append(_outside_spans(text[position : block.start()], change))
        pieces.append(block.group(0))
        position = block.end()
    pieces.append(_outside_spans(text[position:], change))
    return "".join(pieces)


def _outside_spans(text: str, change: Callable[[str], str]) -> str:
    pieces: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        pieces.append(change(text[position : span.start()]))
        pieces.append(span.group(0))
        position = span.end()
    pieces.append(change(text[position:]))
    return "".join(pieces)
