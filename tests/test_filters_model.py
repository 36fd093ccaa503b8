"""The filters stage reads the one model: its operations, resolver, media-type rule and links."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.examples.synthesis import minimal_example
from generator.filters import analyse
from generator.model.api import build_api
from generator.model.parts import is_json_media
from generator.model.resolver import SchemaIndex
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions


@pytest.fixture
def dsl_openapi() -> dict[str, Any]:
    from tests.fixtures.filter_dsl_app import app

    return copy.deepcopy(app.openapi())


def _paths(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f.method, f.path) for f in analyse(build_api(doc)).operations}


# --- one walker, one media-type rule ---------------------------------------------------------


def test_path_item_refs_and_json_variants_are_analysed(dsl_openapi: dict[str, Any]) -> None:
    doc = dsl_openapi
    # A path item behind a `$ref`, and a JSON media type with a charset: the model reads both,
    # and so must the filters stage, or the page loses its Filtering section.
    doc.setdefault("components", {})["pathItems"] = {"Books": doc["paths"]["/books/filter"]}
    doc["paths"]["/books/filter"] = {"$ref": "#/components/pathItems/Books"}
    content = doc["paths"]["/books/count"]["post"]["requestBody"]["content"]
    content["application/json; charset=utf-8"] = content.pop("application/json")
    assert _paths(doc) == {
        ("POST", "/books/filter"),
        ("POST", "/books/count"),
        ("POST", "/authors/filter"),
    }
    pages = {p.path: p.text for p in generate_pages(doc, RenderOptions()).pages}
    assert "## Filtering" in pages["books/post-books-filter.md"]
    assert "## Filtering" in pages["books/post-books-count.md"]


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("application/problem+json", True),
        ("application/vnd.api+json; charset=utf-8", True),
        ("application/jsonl", False),
        ("application/x-ndjson", False),
        ("text/plain", False),
        ("multipart/form-data", False),
    ],
)
def test_json_media_types(media_type: str, expected: bool) -> None:
    assert is_json_media(media_type) is expected


# --- evidence of a language, and the switch ---------------------------------------------------


def _lookalike() -> dict[str, Any]:
    """One search body with one `eq_` criterion and paging: not a query language."""
    body = {
        "type": "object",
        "properties": {
            "search": {
                "type": "object",
                "properties": {
                    "name": {"type": "object", "properties": {"eq_": {"type": "string"}}}
                },
            },
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    }
    operation = {
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "OK"}},
    }
    return {"openapi": "3.1.0", "info": {"title": "t"}, "paths": {"/search": {"post": operation}}}


def test_a_lookalike_is_not_a_language_unless_asked() -> None:
    api = build_api(_lookalike())
    assert analyse(api).operations == ()
    assert [f.path for f in analyse(api, mode="on").operations] == ["/search"]
    assert analyse(api, mode="off").operations == ()


def test_the_switch_reaches_the_pages(dsl_openapi: dict[str, Any]) -> None:
    def paths(mode: Any) -> set[str]:
        pages = generate_pages(dsl_openapi, RenderOptions(filters=mode)).pages
        return {p.path for p in pages if "## Filtering" in p.text or p.path == "filtering.md"}

    assert (
        paths("auto")
        == paths("on")
        == {
            "filtering.md",
            "books/post-books-filter.md",
            "books/post-books-count.md",
            "authors/post-authors-filter.md",
        }
    )
    assert paths("off") == set()


# --- model objects point at each other ---------------------------------------------------------


def test_operations_tags_and_schemas_are_linked(dsl_openapi: dict[str, Any]) -> None:
    api = build_api(dsl_openapi)
    for op in api.operations:
        assert op.tags
        assert all(tag in api.tags and op in tag.operations for tag in op.tags)
    for tag in api.tags:
        assert all(tag in op.tags for op in tag.operations)
    book_filter = api.schema("BookFilter")
    assert book_filter is not None
    assert book_filter.used_by
    assert all(any(op is known for known in api.operations) for op in book_filter.used_by)
    language = analyse(api)
    assert all(language.for_operation(f.operation) is f for f in language.operations)
    assert repr(api.tags[0])  # the back-references do not recurse
    assert build_api(dsl_openapi).tags[0].name == api.tags[0].name


# --- the synthesiser's minimal mode -----------------------------------------------------------


def test_minimal_values() -> None:
    schema = {
        "type": "object",
        "required": ["start", "end", "every", "count", "flag", "ids", "nested"],
        "properties": {
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "every": {"type": "number", "format": "time-delta"},
            "count": {"type": "integer", "minimum": 0},
            "flag": {"type": "boolean"},
            "ids": {"type": "array", "items": {"type": "string"}},
            "nested": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"enum": ["A", "B"]}, "note": {"type": "string"}},
            },
            "optional": {"type": "string"},
        },
    }
    times = ("2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z")
    assert minimal_example(schema, SchemaIndex({}), times) == {
        "start": times[0],
        "end": times[1],
        "every": 3600,
        "count": 1,
        "flag": False,
        "ids": [],
        "nested": {"kind": "A"},
    }
