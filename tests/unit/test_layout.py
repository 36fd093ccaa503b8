"""`generator.layout`: every output path, the slug rules and the names a tag may not take."""

from __future__ import annotations

import re
from typing import Any

import pytest
from mkdocs.structure.files import File

from generator import layout
from generator.layout import SlugAllocator, operation_slug, slugify
from generator.model.api import build_api
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions
from tests.unit.specs import document, operation, ref

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def mkdocs_url(path: str) -> str:
    """The URL MkDocs gives a page (directory URLs, as with Material)."""
    return File(path, "/docs", "/site", use_directory_urls=True).url


# ---------------------------------------------------------------- paths


def test_fixed_paths() -> None:
    assert (layout.INDEX, layout.GUIDE, layout.DOCUMENT, layout.MANIFEST) == (
        "index.md",
        "filtering.md",
        "openapi.json",
        ".restref-manifest.json",
    )
    assert layout.SCHEMA_INDEX == "schemas/index.md"
    assert layout.STYLESHEET.startswith(f"{layout.ASSET_FOLDER}/")


def test_page_paths_of_each_kind() -> None:
    assert layout.tag_page("flows") == "flows/index.md"
    assert layout.operation_page("flows", "post-flows-filter") == "flows/post-flows-filter.md"
    assert layout.operation_page(layout.WEBHOOK_FOLDER, "post-x") == "webhooks/post-x.md"
    assert layout.schema_page("flow") == "schemas/flow.md"


def test_a_small_api_has_every_kind_of_page_where_layout_says() -> None:
    doc = document(
        {"/items/{id}": {"get": operation(tags=["Items"])}},
        schemas={"Item": {"type": "object"}},
        webhooks={"itemAdded": {"post": operation()}},
    )
    paths = [p.path for p in generate_pages(doc, RenderOptions()).pages]
    assert paths == [
        "index.md",
        "items/index.md",
        "items/get-items-id.md",
        "webhooks/post-itemadded.md",
        "schemas/index.md",
        "schemas/item.md",
        "openapi.json",
        ".restref-manifest.json",
    ]


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Flow Runs", "flow-runs"),
        ("/flows/{id}", "flows-id"),
        ("Überweisungen", "uberweisungen"),
        ("  --a__b--  ", "a-b"),
        ("CamelCase", "camelcase"),
        ("x.y/z", "x-y-z"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_names_without_ascii_get_a_stable_hashed_slug() -> None:
    first, second = slugify("日本語", "tag"), slugify("中文", "tag")
    assert re.fullmatch(r"tag-[0-9a-f]{8}", first)
    assert re.fullmatch(r"tag-[0-9a-f]{8}", second)
    assert first != second
    assert slugify("日本語", "tag") == first
    assert slugify("") == "item"
    assert slugify("", "schema") == "schema"


def test_long_names_are_shortened_with_a_hash_that_keeps_them_apart() -> None:
    a, b = slugify("x" * 300 + "a"), slugify("x" * 300 + "b")
    assert len(a) == len(b) == layout.MAX_SLUG
    assert a != b
    assert SLUG.fullmatch(a)


@pytest.mark.parametrize("text", ["..", "/", ".", "", "\x00", "a\nb", "%2e%2e", "~1", "\u200b"])
def test_slugs_are_plain_lowercase_ascii(text: str) -> None:
    assert SLUG.fullmatch(slugify(text))


def test_operation_slugs_start_with_the_method() -> None:
    assert operation_slug("POST", "/flows/filter") == "post-flows-filter"
    assert operation_slug("GET", "/") == "get"
    assert operation_slug("GET", "/{id}") == "get-id"
    assert operation_slug("DELETE", "/日本") == "delete"  # the allocator tells repeats apart


def test_allocator_adds_suffixes_for_reserved_names_and_numbers_for_repeats() -> None:
    slugs = SlugAllocator("tag")
    assert [slugs.claim(s) for s in ["con", "index", "search", "com1", "lpt9", "x", "x", "x"]] == [
        "con-tag",
        "index-tag",
        "search-tag",
        "com1-tag",
        "lpt9-tag",
        "x",
        "x-2",
        "x-3",
    ]
    assert SlugAllocator("op", taken={"a"}).claim("a") == "a-2"


def test_a_claimed_number_is_not_handed_out_twice() -> None:
    slugs = SlugAllocator("tag")
    assert [slugs.claim(s) for s in ["x-2", "x", "x"]] == ["x-2", "x", "x-3"]


# ---------------------------------------------------------------- tags against top-level names


RESERVED_TAGS = [
    "Filtering",
    "filtering",
    "Schemas",
    "Webhooks",
    "Assets",
    "index",
    "Search",
    "openapi.json",
    "CON",
]


def test_tags_never_take_a_top_level_folder() -> None:
    doc = document({f"/t{i}": {"get": operation(tags=[t])} for i, t in enumerate(RESERVED_TAGS)})
    slugs = [t.slug for t in build_api(doc).tags]
    assert len(slugs) == len(RESERVED_TAGS) == len(set(slugs))
    taken = layout.TOP_LEVEL | {"search", "index", "con"}
    assert not taken & set(slugs), slugs
    assert all(SLUG.fullmatch(s) for s in slugs)


def _with_guide_and_reserved_tags(dsl: dict[str, Any]) -> dict[str, Any]:
    """The filter-DSL fixture (so there is a filtering guide) plus tags named like our folders."""
    for i, tag in enumerate(RESERVED_TAGS):
        dsl["paths"][f"/reserved/{i}"] = {"get": operation(tags=[tag])}
    dsl["webhooks"] = {"ping": {"post": operation()}}
    dsl["openapi"] = "3.1.0"
    dsl.setdefault("components", {}).setdefault("schemas", {})["Schemas"] = {"type": "object"}
    return dsl


def test_no_two_pages_share_a_mkdocs_url() -> None:
    from tests.fixtures.filter_dsl_app import app

    doc = _with_guide_and_reserved_tags(app.openapi())
    pages = [p.path for p in generate_pages(doc, RenderOptions()).pages if p.path.endswith(".md")]
    assert layout.GUIDE in pages
    assert "webhooks/post-ping.md" in pages
    urls = [mkdocs_url(p) for p in pages]
    clashes = {u for u in urls if urls.count(u) > 1}
    assert not clashes, sorted(p for p in pages if mkdocs_url(p) in clashes)


def test_mkdocs_maps_a_page_and_a_folder_index_to_one_url() -> None:
    """Why `filtering` is a reserved tag folder: the check above relies on this rule."""
    assert mkdocs_url("filtering.md") == mkdocs_url("filtering/index.md") == "filtering/"


def test_schema_and_operation_slugs_are_unique_per_folder() -> None:
    doc = document(
        {"/Case": {"get": operation()}, "/case": {"get": operation()}},
        schemas={"Item": {}, "item": {}, "ITEM": {}, "index": {}, "a/b": ref("Item")},
    )
    api = build_api(doc)
    assert [s.slug for s in api.schemas] == ["item", "item-2", "item-3", "index-schema", "a-b"]
    assert [o.page for o in api.operations] == ["other/get-case.md", "other/get-case-2.md"]
