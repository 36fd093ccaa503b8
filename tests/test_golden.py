"""Golden files for the fixture APIs: the model dump and every rendered page."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.api import build_api
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions
from tests.conftest import GOLDEN
from tests.golden import check_tree
from tests.model_dump import dump

OPTIONS = RenderOptions(base_url="https://shop.example.com/api")


@pytest.mark.parametrize("name", ["shop", "library", "zoo", "petstore"])
def test_model_and_pages_match_golden_files(name: str, request: pytest.FixtureRequest) -> None:
    doc: dict[str, Any] = request.getfixturevalue(f"{name}_openapi")
    files = {"model.txt": dump(build_api(doc))}
    for page in generate_pages(doc, OPTIONS).pages:
        if page.path not in ("openapi.json", ".restref-manifest.json"):
            files[f"pages/{page.path}"] = page.text
    check_tree(GOLDEN / name, files)


def test_the_model_dump_writes_each_operation_once(shop_openapi: dict[str, Any]) -> None:
    api = build_api(shop_openapi)
    text = dump(api)
    assert text.count(": Operation\n") == len(api.operations) + len(api.webhooks) > 0
    multi_tagged = [op for op in api.operations if len(op.tags) > 1]
    assert multi_tagged  # listed under each of its tags, by reference
    for op in multi_tagged:
        assert text.count(f": -> {op.method} {op.path}\n") == len(op.tags)
