"""Golden files for the fixture APIs: the model dump and every rendered page."""

from __future__ import annotations

import dataclasses
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
        # referred to from each of its tags and from each schema it uses, written once in full
        users = sum(1 for schema in api.schemas if any(o is op for o in schema.used_by))
        assert text.count(f": -> {op.method} {op.path}\n") == len(op.tags) + users


def test_the_model_dump_survives_objects_that_refer_to_each_other() -> None:
    """Operations that hold their Tag objects and schemas that hold Operation objects."""

    @dataclasses.dataclass
    class Operation:
        method: str
        path: str
        tags: list[Any] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass
    class Tag:
        name: str
        operations: tuple[Operation, ...]

    @dataclasses.dataclass
    class SchemaDef:
        name: str
        used_by: tuple[Operation, ...]

    @dataclasses.dataclass
    class Api:
        operations: tuple[Operation, ...]
        tags: tuple[Tag, ...]
        schemas: tuple[SchemaDef, ...]

    op = Operation("GET", "/a")
    tag = Tag("things", (op,))
    op.tags.append(tag)
    text = dump(Api((op,), (tag,), (SchemaDef("Thing", (op,)),)))
    assert text.count(": Operation\n") == 1
    assert text.count(": -> GET /a\n") == 2  # under the tag and the schema
    assert ": -> tag things\n" in text
