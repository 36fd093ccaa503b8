"""Read a generated page the way a reader sees it: Markdown -> HTML -> sections of blocks.

The Markdown is converted with Python-Markdown and the extensions a Material `mkdocs.yml`
normally enables; the HTML is read with `html.parser`. Table rows are also counted in the
Markdown source, because Python-Markdown silently pads short rows and drops extra cells.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown

EXTENSIONS = [
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tabbed",
]
CONFIG = {
    "pymdownx.highlight": {"use_pygments": False},
    "pymdownx.tabbed": {"alternate_style": True},
}
TOKEN = re.compile(r"\\.|`+|\|")
SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Cell:
    """A table cell: its text and the targets of its links."""

    text: str
    links: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)


@dataclass
class Table:
    """A table: header texts and rows of cells."""

    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Code:
    """A fenced code block: language and text."""

    lang: str
    text: str


@dataclass
class Section:
    """Everything under one h2 (and h3, when there is one) heading."""

    h2: str
    h3: str
    tables: list[Table] = field(default_factory=list)
    code: list[Code] = field(default_factory=list)
    inline_code: list[str] = field(default_factory=list)
    strong: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects sections, tables, fenced code and inline code spans from page HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = [Section("", "")]
        self.heading: str | None = None
        self.text: list[str] = []
        self.capturing = 0
        self.table: Table | None = None
        self.cell: Cell | None = None
        self.row: list[Cell] | None = None
        self.in_head = False
        self.code_lang: str | None = None
        self.in_pre = False
        self.in_inline = False
        self._inline: list[str] = []
        self._strong_at = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4"):
            self.heading, self.text = tag, []
        elif tag == "table":
            self.table = Table([])
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = Cell("")
            self.text = []
        elif tag == "a" and self.cell is not None:
            self.cell.links.append(attr.get("href") or "")
        elif tag == "pre":
            self.in_pre = True
        elif tag == "code":
            if self.in_pre:
                classes = (attr.get("class") or "").split()
                lang = next((c[9:] for c in classes if c.startswith("language-")), "")
                self.code_lang, self.text = lang, []
            else:
                self.in_inline, self._inline = True, []
        elif tag == "strong":
            self._strong_at = len(self.text)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "tr", "thead", "table"):
            self._end_table_tag(tag)
        elif tag == self.heading:
            title = "".join(self.text).strip()
            if tag == "h2":
                self.sections.append(Section(title, ""))
            elif tag == "h3":
                self.sections.append(Section(self.sections[-1].h2, title))
            self.heading = None
        elif tag == "code" and self.code_lang is not None:
            self.sections[-1].code.append(Code(self.code_lang, "".join(self.text)))
            self.code_lang = None
        elif tag == "code" and self.in_inline:
            self.in_inline = False
            span = "".join(self._inline)
            self.sections[-1].inline_code.append(span)
            if self.cell is not None:
                self.cell.code.append(span)
        elif tag == "pre":
            self.in_pre = False
        elif tag == "strong":
            self.sections[-1].strong.append("".join(self.text[self._strong_at :]).strip())

    def _end_table_tag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.cell.text = " ".join("".join(self.text).split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.table is not None and self.row is not None:
            if self.in_head:
                self.table.header = [c.text for c in self.row]
            else:
                self.table.rows.append(self.row)
            self.row = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "table" and self.table is not None:
            self.sections[-1].tables.append(self.table)
            self.table = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is None and not self.in_pre:
            self.sections[-1].prose.append(data)
        if self.in_inline:
            self._inline.append(data)


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter for the process: building one costs more than converting a page."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIG)


def read_html(text: str) -> list[Section]:
    """The sections of a page's Markdown, as Python-Markdown renders it."""
    html = _converter().reset().convert(text)
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.sections


def split_row(line: str) -> list[str]:
    """Cells of a Markdown table row, split as Python-Markdown's tables extension does.

    Pipes escaped with a backslash or inside backtick code spans do not split.
    """
    row = line.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells, start, ticks = [], 0, 0
    for token in TOKEN.finditer(row):
        text = token.group()
        if text.startswith("\\"):
            continue
        if text.startswith("`"):
            if ticks == 0 and re.search(rf"(?<!`){text}(?!`)", row[token.end() :]):
                ticks = len(text)  # an opening run with a matching closing run
            elif len(text) == ticks:
                ticks = 0
        elif ticks == 0:
            cells.append(row[start : token.start()])
            start = token.end()
    cells.append(row[start:])
    return cells


def table_rows(text: str) -> list[tuple[int, int, int]]:
    """(line number, header cells, row cells) of every body row of every Markdown table."""
    lines = text.splitlines()
    found = []
    in_fence = False
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif (
            not in_fence
            and "|" in stripped
            and i + 1 < len(lines)
            and SEPARATOR.match(lines[i + 1].strip())
        ):
            width = len(split_row(stripped))
            i += 2
            while i < len(lines) and lines[i].strip():  # a table runs to the blank line
                found.append((i + 1, width, len(split_row(lines[i]))))
                i += 1
            continue
        i += 1
    return found
