"""Tables and type labels as a reader gets them: Python-Markdown's `tables` reads every row.

A row whose cell count differs from its header's has been split by a stray `|` (the type lands
in Description, the Required column shows a type): every table of every page is checked so.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest

from generator.model.api import build_api
from generator.model.shapes import Shape
from generator.pipeline import generate_pages
from generator.render.escape import table_cell, table_row
from generator.render.labels import type_label
from generator.render.pages import RenderOptions
from tests.unit.specs import document, operation, ref

HOSTILE = "a | b\n\nc \\| d `e|f` | g"


class _Rows(HTMLParser):
    """The cell count of every row of every table, and each table's header count."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[int]] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self._row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = 0
        elif tag in ("td", "th"):
            self._row += 1
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.tables[-1].append(self._row)
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows_of(text: str) -> _Rows:
    parser = _Rows()
    parser.feed(markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html"]))
    return parser


def pages(doc: dict[str, Any]) -> dict[str, str]:
    result = generate_pages(doc, RenderOptions())
    return {p.path: p.text for p in result.pages if p.path.endswith(".md")}


def assert_tables_whole(text: str) -> _Rows:
    found = rows_of(text)
    assert found.tables, "no table on the page"
    for table in found.tables:
        assert table
        assert all(count == table[0] for count in table), table
    return found


UNION_PARAM = {"name": "u", "in": "query", "schema": {"oneOf": [{"type": "string"}, ref("N")]}}
PET = {
    "oneOf": [
        {
            "title": "Cat",
            "type": "object",
            "properties": {"kind": {"const": "cat"}, "meow": {"type": "boolean"}},
        },
        {
            "title": "Dog",
            "type": "object",
            "properties": {"kind": {"const": "dog"}, "bark": {"type": "integer", "minimum": 1}},
        },
    ],
    "discriminator": {"propertyName": "kind"},
}
OWNER: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "u": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "pet": PET,
        "thing": {
            "anyOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"b": {"type": "string"}}},
                {"type": "null"},
            ]
        },
        "zone": {"allOf": [ref("Zone"), {"description": "Where it lives."}]},
        "limit": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
    },
}
SCHEMAS = {"N": {"type": "integer"}, "Zone": {"type": "string"}, "Owner": OWNER}


def owner_doc(**schemas: Any) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": ref("Owner")}}}
    paths = {"/o": {"post": operation(parameters=[UNION_PARAM], requestBody=body)}}
    return document(paths, {**SCHEMAS, **schemas})


def test_a_union_parameter_keeps_its_row_whole() -> None:
    text = pages(owner_doc())["other/post-o.md"]
    row = next(line for line in text.splitlines() if line.startswith("| `u` |"))
    assert "|" not in row.split(" | ")[2]
    found = assert_tables_whole(text)
    params = found.cells[: 7 * 2]  # the header and the one parameter
    assert params[7:10] == ["u", "query", "one of: string, N"]
    assert params[10] == "no"


def test_every_table_of_every_page_keeps_its_rows_whole_with_hostile_text() -> None:
    hostile_schemas = {
        "Owner": {
            **OWNER,
            "description": HOSTILE,
            "properties": {
                **OWNER["properties"],
                "h": {
                    "type": "string",
                    "description": HOSTILE,
                    "enum": ["x|y", ""],
                    "default": "p|q",
                    "pattern": "^(a|b)$",
                    "format": "f|g",
                },
                "t": {"oneOf": [{"title": "T|1", "type": "object", "properties": {"z|": {}}}]},
                "v": {"anyOf": [{"title": "V|1\nx", "type": "object", "properties": {}}, {}]},
            },
        }
    }
    doc = owner_doc(**hostile_schemas)
    doc["paths"]["/o"]["post"]["parameters"].append(
        {"name": "p|q", "in": "query", "description": HOSTILE, "schema": {"type": "string"}}
    )
    checked = 0
    for text in pages(doc).values():
        if "| --- |" in text:
            assert_tables_whole(text)
            checked += 1
    assert checked >= 3


def test_table_row_escapes_bare_pipes_once_and_folds_lines() -> None:
    assert table_row("a | b", "l1\n  l2") == "| a \\| b | l1 l2 |"
    made = table_cell("c|d")
    assert table_row(made) == f"| {made} |"  # escaped already: unchanged
    assert table_row("x\\\\|y") == "| x\\\\\\|y |"  # an escaped backslash, then a bare pipe


def _label(shape: Shape) -> str:
    api = build_api(document(schemas={"Flow": {"type": "object"}}))
    return type_label(shape, api, lambda page: page)


S, INT = Shape(types=("string",)), Shape(types=("integer",))
FLOW = Shape(types=("object",), ref="Flow")
FLOW_LINK = "[Flow](schemas/flow.md)"
NULL_S = Shape(types=("string",), nullable=True)
CAT = Shape(types=("object",), title="Cat")
UNNAMED = Shape(types=("object",), has_fields=True)


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        (Shape(options=(S, INT), combinator="oneOf"), "one of: string, integer"),
        (Shape(options=(S, INT), nullable=True), "string or integer or null"),
        (
            Shape(options=(S, INT), combinator="oneOf", nullable=True),
            "one of: string, integer, or null",
        ),
        (Shape(items=S, nullable=True), "array of string, or null"),
        (Shape(items=NULL_S), "array of (string or null)"),
        (Shape(values=NULL_S), "map of (string or null)"),
        (Shape(values=S, nullable=True), "map of string, or null"),
        (Shape(items=Shape(types=("string", "integer"))), "array of (string or integer)"),
        (Shape(options=(Shape(items=S), INT)), "(array of string) or integer"),
        (Shape(items=FLOW, nullable=True), f"array of {FLOW_LINK}, or null"),
        (Shape(options=(CAT, FLOW), combinator="oneOf"), f"one of: Cat, {FLOW_LINK}"),
        (Shape(options=(UNNAMED, Shape(types=("object",), tag="d"))), "option 1 or d"),
        (Shape(items=Shape(dynamic="#T")), "array of any (dynamic reference `#T`)"),
    ],
)
def test_type_labels_are_unambiguous_and_pipe_free(shape: Shape, expected: str) -> None:
    assert _label(shape) == expected


def test_inline_union_members_get_named_rows_with_their_discriminator_value() -> None:
    text = pages(owner_doc())["schemas/owner.md"]
    found = assert_tables_whole(text)
    cells = found.cells
    assert cells[cells.index("pet") + 1] == "one of: Cat, Dog"
    assert "Told apart by kind: cat for Cat, dog for Dog." in cells[cells.index("pet") + 2]
    for path, note in (("pet (Cat)", "When kind is cat."), ("pet (Dog)", "When kind is dog.")):
        assert cells[cells.index(path) + 2] == note
    assert "pet (Cat).meow" in cells
    assert cells[cells.index("pet (Dog).bark") + 2] == "Minimum 1."
    assert cells[cells.index("thing") + 1] == "option 1 or option 2 or null"
    assert {"thing (option 1).a", "thing (option 2).b"} <= set(cells)


def test_all_of_with_a_description_reads_as_its_member() -> None:
    cells = rows_of(pages(owner_doc())["schemas/owner.md"]).cells
    assert cells[cells.index("zone") + 1 : cells.index("zone") + 3] == ["Zone", "Where it lives."]


def test_constraints_inside_a_nullable_union_are_shown() -> None:
    cells = rows_of(pages(owner_doc())["schemas/owner.md"]).cells
    assert cells[cells.index("limit") + 1 : cells.index("limit") + 3] == [
        "integer or null",
        "Minimum 0.",
    ]


def test_a_closed_body_says_so() -> None:
    text = pages(owner_doc())["other/post-o.md"]
    assert "Closed object: keys not listed here are rejected" in text


def test_the_empty_string_is_named() -> None:
    param = {"name": "e", "in": "query", "schema": {"type": "string", "enum": ["", "x"]}}
    text = pages(document({"/e": {"get": operation(parameters=[param])}}))["other/get-e.md"]
    cells = rows_of(text).cells
    assert cells[7 + 5] == 'one of "" (empty string), "x"'


def test_a_component_repeated_in_one_table_is_expanded_once() -> None:
    big = {"type": "object", "properties": {k: {"type": "string"} for k in "abcdef"}}
    holder = {"type": "object", "properties": {"one": ref("Big"), "two": ref("Big")}}
    text = pages(document(schemas={"Big": big, "Holder": holder}))["schemas/holder.md"]
    cells = rows_of(text).cells
    assert "one.a" in cells
    assert not any(re.match(r"two\.", c) for c in cells)
    assert cells[cells.index("two") + 2].startswith("Fields: as under one above.")


def test_body_alternatives_are_headed_by_title_and_discriminator_value() -> None:
    body = {"content": {"application/json": {"schema": {**PET, "title": "Pet"}}}}
    doc = document({"/p": {"post": operation(requestBody=body)}})
    text = pages(doc)["other/post-p.md"]
    assert "**Option 1: Cat (object), `kind` = `cat`**" in text
    assert "**Option 2: Dog (object), `kind` = `dog`**" in text


def test_a_component_wrapping_another_links_it_and_keeps_its_description() -> None:
    wrap = {"allOf": [ref("Zone"), {"description": "A wrapped zone."}]}
    text = pages(document(schemas={"Zone": {"type": "string"}, "Wrap": wrap}))["schemas/wrap.md"]
    assert "A wrapped zone." in text
    assert "Type: [Zone](zone.md)." in text


def test_a_fastapi_optional_query_parameter_keeps_its_constraints() -> None:
    schema = {"anyOf": [{"type": "string", "maxLength": 100}, {"type": "null"}], "default": None}
    param = {"name": "q", "in": "query", "schema": schema}
    text = pages(document({"/q": {"get": operation(parameters=[param])}}))["other/get-q.md"]
    cells = rows_of(text).cells
    assert cells[7:13] == ["q", "query", "string or null", "no", "null", "max length 100"]
