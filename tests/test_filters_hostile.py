"""Spec values in a filter language are text on every page: no HTML gets through to the site.

A filter schema whose body keys, field names, combinator keys, operator descriptions, sort values
and enum values are hostile is generated, every page is converted with the Markdown extensions
the MkDocs plugin enables, and the HTML is searched for elements the spec tried to inject.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import markdown
import pytest

from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions
from generator.site.defaults import MARKDOWN_EXTENSIONS

HOSTILE = (
    "na`<img src=x onerror=alert(1)>`me",
    "x</title><script>alert(1)</script>",
    "a|b",
    "{{ 7*7 }}",
)
COMBINATOR = "<script>alert(2)</script>`|"  # the entity filter's and_/or_ key
INJECTED = {"img", "script"}


def _criterion(values: list[str], combinator: str | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "any_": {
            "anyOf": [
                {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
                {"type": "null"},
            ],
            "description": HOSTILE[0],
        },
        "like_": {"type": "string", "description": HOSTILE[1]},
    }
    if combinator is not None:
        properties[combinator] = {"type": "string", "enum": ["and_", "or_"], "default": "and_"}
    return {"type": "object", "properties": properties, "description": HOSTILE[3]}


def hostile_document() -> dict[str, Any]:
    """One filter operation whose every name and value comes from `HOSTILE`."""
    fields = {name: _criterion(list(HOSTILE), HOSTILE[i - 1]) for i, name in enumerate(HOSTILE)}
    entity = {
        "type": "object",
        "properties": {COMBINATOR: {"type": "string", "enum": ["and_", "or_"]}, **fields},
        "description": HOSTILE[0],
    }
    body = {
        "type": "object",
        "properties": {
            "items": {"$ref": "#/components/schemas/ItemFilter"},
            HOSTILE[0]: {"$ref": "#/components/schemas/ItemFilter"},
            "sort": {"type": "string", "enum": [f"{h}_ASC" for h in HOSTILE] + ["NAME_DESC"]},
            "limit": {"type": "integer", "default": 10, "description": HOSTILE[1]},
            "offset": {"type": "integer", "default": 0},
        },
    }
    operation = {
        "operationId": "filter_items",
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "OK"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile filters", "version": "1"},
        "paths": {"/items/filter": {"post": operation}},
        "components": {
            "schemas": {
                "ItemFilter": entity,
                "Kind": {"type": "string", "enum": list(HOSTILE)},
            }
        },
    }


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def injected_elements(markdown_text: str) -> set[str]:
    html = markdown.markdown(
        markdown_text,
        extensions=list(MARKDOWN_EXTENSIONS),
        extension_configs=MARKDOWN_EXTENSIONS,
    )
    parser = _Elements()
    parser.feed(html)
    return INJECTED & set(parser.tags)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    result = generate_pages(hostile_document(), RenderOptions(base_url="https://api.example"))
    return {p.path: p.text for p in result.pages if p.path.endswith(".md")}


def test_the_filter_language_is_recognised(pages: dict[str, str]) -> None:
    # Otherwise the test below would pass without rendering a filtering section at all.
    assert "filtering.md" in pages
    assert "## Filtering" in pages["other/post-items-filter.md"]


def test_no_page_lets_spec_html_through(pages: dict[str, str]) -> None:
    leaks = {path: found for path, text in pages.items() if (found := injected_elements(text))}
    assert leaks == {}


def test_hostile_names_are_shown_as_text(pages: dict[str, str]) -> None:
    page = pages["other/post-items-filter.md"]
    # In a table, in an example title and explanation: quoted whole, backticks included.
    assert "| ``na`<img src=x onerror=alert(1)>`me`` | `any_` |" in page
    assert "``na`<img src=x onerror=alert(1)>`me``" in page.split("### Examples")[1]
    assert "``<script>alert(2)</script>`|``: `and_`, `or_` joins the criteria below." in page


def test_detector_finds_what_it_looks_for() -> None:
    assert injected_elements("`a` <img src=x> `b`") == {"img"}
