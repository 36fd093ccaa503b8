"""Compare one operation of the document with the page that documents it, per category."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from dataclasses import dataclass, field
from typing import Any

import samples
import shapes
from page import Cell, Section, table_rows
from spec import IGNORED_HEADERS, Body, Doc, Media, Operation, Param, Response
from validate import Validator

CATEGORIES = (
    "parameters",
    "body_fields",
    "constraints",
    "responses",
    "headers",
    "examples",
    "samples",
    "table_rows",
)
MAX_MESSAGES = 5
MAX_EXAMPLES = 5


@dataclass
class Tally:
    """Checked items and failures of one category, with the first failure messages."""

    checked: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, problem: str | None, where: str) -> None:
        """Count one item; a non-empty `problem` makes it a failure."""
        self.checked += 1
        if problem:
            self.failed += 1
            if len(self.messages) < MAX_MESSAGES:
                self.messages.append(f"{where}: {problem}")


def _same(a: Any, b: Any) -> bool:
    """JSON equality, with ISO dates compared as dates (YAML timestamps vs their text)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
        except ValueError:
            return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _json_patch(value: Any) -> bool:
    """A JSON Patch document: a list of operations with `op` and `path`."""
    return isinstance(value, list) and all(
        isinstance(o, dict) and "op" in o and "path" in o for o in value
    )


_MEMBER_LABEL = re.compile(r" \([^()]*\)")


def _fields_tables(sections: list[Section]) -> dict[str, list[list[Cell]]]:
    rows: dict[str, list[list[Cell]]] = {}
    for section in sections:
        for table in section.tables:
            if table.header[:1] == ["Field"]:
                for row in table.rows:
                    if row:
                        name = row[0].code[0] if row[0].code else row[0].text.split(" ")[0]
                        rows.setdefault(name, []).append(row)
                        # A union member's rows (`source (Card).name`) stand for `source.name`.
                        plain = _MEMBER_LABEL.sub("", name)
                        if plain != name:
                            rows.setdefault(plain, []).append(row)
    return rows


def _required_mark(cell: Cell) -> bool:
    name = cell.code[0] if cell.code else ""
    return "required" in cell.text.replace(name, "", 1).lower()


class Checker:
    """Tallies for one document; `operation` and `tables` feed it page by page."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.validator = Validator(doc)
        self.tally = {c: Tally() for c in CATEGORIES}

    # --- whole page --------------------------------------------------------------------

    def tables(self, text: str, where: str) -> None:
        """Every Markdown table row has as many cells as its header."""
        for line, width, cells in table_rows(text):
            problem = f"line {line}: {cells} cells, header has {width}" if cells != width else None
            self.tally["table_rows"].add(problem, where)

    def missing(self, op: Operation, where: str) -> None:
        """An operation without a page fails all its items."""
        for _ in op.params:
            self.tally["parameters"].add("no page", where)
        for _ in op.responses:
            self.tally["responses"].add("no page", where)

    def operation(self, op: Operation, sections: list[Section], where: str) -> None:
        """All per-operation categories."""
        self._parameters(op.params, [s for s in sections if s.h2 == "Parameters"], where)
        body_sections = [s for s in sections if s.h2 == "Request body"]
        if op.body is not None:
            self._body(op.body, body_sections, True, f"{where} request")
            self._samples(op.body, [s for s in sections if s.h2 == "Code samples"], where)
        self._json_blocks(op.body, body_sections, True, f"{where} request")
        responses = [s for s in sections if s.h2 == "Responses"]
        for response in op.responses:
            self._response(response, responses, f"{where} {response.status}")

    # --- categories ---------------------------------------------------------------------

    def _parameters(self, params: list[Param], sections: list[Section], where: str) -> None:
        rows = {
            (r[0].code[0] if r[0].code else r[0].text, r[1].text): r
            for s in sections
            for t in s.tables
            if t.header[:4] == ["Name", "In", "Type", "Required"]
            for r in t.rows
            if len(r) >= 4
        }
        for p in params:
            if p.location == "header" and p.name.lower() in IGNORED_HEADERS:
                continue
            here = f"{where} {p.location} {p.name!r}"
            row = rows.get((p.name, p.location))
            listed = any(p.name in s.inline_code for s in sections)
            if row is None and listed and not p.required:
                self.tally["parameters"].add(None, here)  # "Also accepts the optional headers"
                continue
            if row is None:
                self.tally["parameters"].add("no row", here)
                continue
            problem = shapes.type_problem(self.doc, p.schema, row[2].text, row[2].links)
            if problem is None and (row[3].text == "yes") != p.required:
                problem = f"required is {row[3].text!r}, spec says {p.required}"
            self.tally["parameters"].add(problem, here)
            self._constraints(p.schema, " ".join(c.text for c in row[2:]), here)

    def _constraints(self, schema: Any, text: str, where: str) -> None:
        for key, value in shapes.constraints(self.doc, schema):
            shown = shapes.constraint_shown(key, value, text)
            self.tally["constraints"].add(None if shown else f"{key} {value!r} not shown", where)

    def _shown_media(self, body: Body, sections: list[Section]) -> list[Media]:
        spans = {c for s in sections for c in s.inline_code}
        return [m for m in body.media if m.name in spans] or body.media[:1]

    def _body(self, body: Body, sections: list[Section], request: bool, where: str) -> None:
        rows = _fields_tables(sections)
        for media in self._shown_media(body, sections)[:1]:
            for spec_field in shapes.fields(self.doc, media.schema, request):
                self._field(spec_field, rows, f"{where} {spec_field.path!r}")

    def _field(self, f: shapes.FieldSpec, rows: dict[str, list[list[Cell]]], where: str) -> None:
        found = rows.get(f.path)
        if not found:
            parents = rows.get(f.parent) or []
            links = [link for row in parents for cell in row[1:] for link in cell.links]
            if f.parent and any("schemas/" in link for link in links):
                return  # the parent row links to the schema page that lists these fields
            self.tally["body_fields"].add("no row", where)
            return
        problems = []
        for row in found:  # the same path can be in several option tables
            problem = shapes.type_problem(self.doc, f.schema, row[1].text, row[1].links)
            if problem is None and _required_mark(row[0]) != f.required:
                problem = f"required mark is {_required_mark(row[0])}, spec says {f.required}"
            problems.append(problem)
        self.tally["body_fields"].add(None if None in problems else problems[0], where)
        self._constraints(f.schema, " ".join(c.text for row in found for c in row[1:]), where)

    def _response(self, response: Response, sections: list[Section], where: str) -> None:
        status = response.status.lower()
        mine = [s for s in sections if s.h3.lower().split(" ")[:1] == [status]]
        listed = any(status == text.lower() for s in sections for text in s.strong)
        self.tally["responses"].add(None if mine or listed else "not shown", where)
        rows = {
            (r[0].code[0] if r[0].code else r[0].text).lower(): r
            for s in mine
            for t in s.tables
            if t.header[:1] == ["Name"]
            for r in t.rows
            if len(r) > 2
        }
        for name, schema in response.headers.items():
            row = rows.get(name.lower())
            here = f"{where} header {name!r}"
            if row is None:
                self.tally["headers"].add("no row", here)
                continue
            type_cell = row[2] if len(row) > 2 else Cell("")
            self.tally["headers"].add(
                shapes.type_problem(self.doc, schema, type_cell.text, type_cell.links), here
            )
        prose = " ".join(t for s in mine for t in s.prose)
        same = "Fields: the same as the" in prose  # one table per page for a repeated schema
        if response.body is not None and mine and not same:  # listed-only: a schema link
            self._body(response.body, mine, False, where)
        self._json_blocks(response.body, mine, False, where)

    def _json_blocks(
        self, body: Body | None, sections: list[Section], request: bool, where: str
    ) -> None:
        """JSON blocks parse and validate; the spec's own examples are among them."""
        shown: list[Any] = []
        json_media = [m for m in (body.media if body else []) if "json" in m.name.lower()]
        schema = json_media[0].schema if json_media else None
        given = [v for m in (body.media if body else []) for _, v in m.examples]
        patch = request and any("json-patch" in m.name for m in (body.media if body else []))
        for block in (c for s in sections for c in s.code if c.lang == "json"):
            try:
                value = json.loads(block.text)
            except ValueError as exc:
                self.tally["examples"].add(f"JSON does not parse: {exc}", where)
                continue
            shown.append(value)
            if any(_same(g, value) for g in given):  # the spec's own example, kept as given
                self.tally["examples"].add(None, where)
                continue
            if patch and _json_patch(value):  # RFC 6902 bodies are not the target's schema
                self.tally["examples"].add(None, where)
                continue
            self.tally["examples"].add(self.validator.problem(schema, value, request), where)
        if body is None:
            return
        texts = [c.text for s in sections for c in s.code]
        for media in self._shown_media(body, sections):
            for label, example in media.examples[:MAX_EXAMPLES]:
                if "json" in media.name.lower():
                    kept = any(_same(example, v) for v in shown)
                elif isinstance(example, str):
                    kept = any(example.strip() in t for t in texts)
                else:
                    continue
                problem = None if kept else f"spec {label} of {media.name} not shown"
                self.tally["examples"].add(problem, where)

    def _samples(self, body: Body, sections: list[Section], where: str) -> None:
        declared = {m.name.lower().split(";")[0].strip() for m in body.media}
        kinds = {samples.kind_of(m) for m in declared}
        if any(m.endswith("/*") for m in declared):  # */* or type/*: any body will do
            kinds |= {samples.JSON, samples.FORM, samples.MULTIPART, samples.RAW}
        blocks = {c.lang: c.text for s in sections for c in s.code}
        for lang, reader in (
            ("bash", samples.curl),
            ("python", samples.httpx),
            ("javascript", samples.fetch),
        ):
            here = f"{where} {lang} sample"
            if lang not in blocks:
                self.tally["samples"].add("no sample", here)
                continue
            kind, header, problem = reader(blocks[lang])
            if kind == samples.NONE:
                if body.required:
                    self.tally["samples"].add("no body", here)
                continue
            if not problem and kind not in kinds:
                problem = f"sends {kind}, spec declares {', '.join(sorted(declared))}"
            wild = any(fnmatch.fnmatch(header or "", m) for m in declared if "*" in m)
            if not problem and header is not None and header not in declared and not wild:
                problem = f"Content-Type {header} not declared ({', '.join(sorted(declared))})"
            self.tally["samples"].add(problem or None, here)

