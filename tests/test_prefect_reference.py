"""The Prefect 3.9.1 reference: every operation and schema has its page, with what it must say."""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

import pytest

from generator.layout import MANIFEST
from generator.model.resolver import SchemaIndex
from generator.pipeline import Result

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture
def result(prefect_result: Result) -> Result:
    return prefect_result


def _pages(result: Result) -> dict[str, str]:
    return {p.path: p.text for p in result.pages}


def test_prefect_document_is_the_expected_size(prefect_openapi: dict[str, Any]) -> None:
    operations = [m for item in prefect_openapi["paths"].values() for m in item if m in METHODS]
    assert len(operations) == 188
    assert len(prefect_openapi["components"]["schemas"]) == 404
    tags = {
        t
        for item in prefect_openapi["paths"].values()
        for op in item.values()
        for t in op.get("tags", [])
    }
    assert len(tags) == 28


def test_every_operation_has_a_page_listed_in_the_manifest(
    prefect_openapi: dict[str, Any], result: Result
) -> None:
    pages = _pages(result)
    manifest = json.loads(pages[MANIFEST])
    listed = {(o["method"], o["path"]): o["page"] for o in manifest["operations"]}
    index = SchemaIndex(prefect_openapi)
    assert len(listed) == 188
    checked = {"parameters": 0, "body fields": 0}
    for path, item in prefect_openapi["paths"].items():
        for method, op in item.items():
            page = pages[listed[(method.upper(), path)]]
            assert f"`{method.upper()} {path}`" in page
            for parameter in op.get("parameters", []):
                assert f"`{parameter['name']}`" in page, (method, path, parameter["name"])
                checked["parameters"] += 1
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = index.resolve(body["schema"]).node
                for field in schema.get("properties", {}):
                    cell = "".join(c if c.isalnum() else f"&#{ord(c)};" for c in field)
                    row = re.compile(
                        rf"^\| <code>{re.escape(cell)}</code>( \*required\*)? \|", re.M
                    )
                    assert row.search(page), (method, path, field)
                    checked["body fields"] += 1
    # The loops above must have had something to check (Prefect 3.9.1's own numbers).
    assert checked["parameters"] > 300, checked
    assert checked["body fields"] > 300, checked


def test_every_schema_has_a_page_and_used_by_links(
    prefect_openapi: dict[str, Any], result: Result
) -> None:
    pages = _pages(result)
    manifest = json.loads(pages[MANIFEST])
    assert set(manifest["schemas"]) == set(prefect_openapi["components"]["schemas"])
    flow_filter = pages[manifest["schemas"]["FlowFilter"]]
    assert "## Used by" in flow_filter
    assert "(../flows/post-flows-filter.md)" in flow_filter
    with_used_by = [p for p in manifest["schemas"].values() if "## Used by" in pages[p]]
    assert len(with_used_by) > 250
    for page in manifest["schemas"].values():  # every schema is reachable from somewhere
        assert "## Used by" in pages[page] or "## Referenced by" in pages[page], page
    state_type = pages[manifest["schemas"]["StateType"]]
    assert "[FlowRunFilterStateType](flowrunfilterstatetype.md)" in state_type


def test_links_between_pages_resolve(result: Result) -> None:
    pages = _pages(result)
    internal = 0
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue  # an external link
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in pages, f"{path} links to missing {target}"
            internal += 1
    assert internal > 5000, internal  # the pattern still finds the links pages are made of


def test_noise_is_compact(result: Result) -> None:
    page = _pages(result)["flows/post-flows-filter.md"]
    assert "| `x-prefect-api-version` |" not in page
    assert "`x-prefect-api-version`" in page
    assert "### 422" not in page
    assert "**422** Validation Error" in page
    assert "[Read Flows (request body)]" in page


def test_slugs_are_safe_and_unique(result: Result) -> None:
    paths = [p.path for p in result.pages]
    assert len({p.lower() for p in paths}) == len(paths)
    for path in paths:
        assert re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*\.(md|json)|\.restref-manifest\.json", path)
