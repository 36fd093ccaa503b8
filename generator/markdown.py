"""Escaping for text from a spec that is placed into Markdown pages.

Spec text is untrusted. Descriptions stay Markdown, but raw HTML is shown as text (unless the
user trusts the spec), script-like link targets are neutralised, and table cells survive pipes
and newlines. Code spans and fenced blocks are left alone: Markdown already shows them as text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+|mailto:[^\s<>]+)>")
# The target may hold one level of balanced parentheses: `javascript:alert(1)`.
_UNSAFE_LINK = re.compile(
    r"\]\(\s*<?\s*(?:javascript|vbscript|data|file)\s*:(?:[^()\n]|\([^()\n]*\))*\)", re.I
)
_UNSAFE_REF = re.compile(
    r"^(\s*\[[^\]]+\]:\s*)(?:javascript|vbscript|data|file)\s*:\S*", re.I | re.M
)


@functools.lru_cache(maxsize=65536)  # descriptions repeat across pages
def markdown_text(text: str, *, trusted_html: bool = False) -> str:
    """A spec description made safe to place in a page as Markdown."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    return _outside_code(text, lambda part: _escape_part(part, trusted_html))


@functools.lru_cache(maxsize=65536)
def table_cell(text: str, *, trusted_html: bool = False) -> str:
    """Markdown for one table cell: one line, pipes escaped, paragraphs joined with <br>."""
    safe = markdown_text(text, trusted_html=trusted_html)
    safe = re.sub(r"\n\s*\n", "<br><br>", safe)
    safe = safe.replace("\n", " ")
    return safe.replace("|", "\\|")


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
    part = _UNSAFE_LINK.sub("](#)", part)
    part = _UNSAFE_REF.sub(r"\1#", part)
    if trusted_html:
        return part
    links: list[str] = []

    def keep(match: re.Match[str]) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    part = _AUTOLINK.sub(keep, part)
    part = part.replace("<", "&lt;").replace(">", "&gt;")
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
