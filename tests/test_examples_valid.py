"""Every example restref builds from a schema validates against that schema."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.api import Api, build_api
from generator.model.resolver import SchemaIndex
from tests.schema_validation import DocumentValidators, Mode, escape

FIXTURES = ["shop_openapi", "library_openapi", "zoo_openapi", "petstore_openapi",
            "prefect_openapi"]  # fmt: skip


def _media_pointer(doc: dict[str, Any], pointer: str, node: Any, media_type: str) -> str:
    """The pointer to a body's or response's schema, through one `$ref` if there is one."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        pointer = node["$ref"].removeprefix("#")
    return f"{pointer}/content/{escape(media_type)}/schema"


def _synthesized(doc: dict[str, Any], api: Api) -> list[tuple[str, str, Any, Mode]]:
    """(where, pointer, example, mode) for every example restref made up itself."""
    index = SchemaIndex(doc)
    found: list[tuple[str, str, Any, Mode]] = []
    for op in api.operations:
        raw = index.resolve(doc["paths"][op.path]).node[op.method.lower()]
        base = f"/paths/{escape(op.path)}/{op.method.lower()}"
        body = op.request_body
        if body is not None and not body.has_example and "json" in body.media_types[0]:
            pointer = _media_pointer(doc, f"{base}/requestBody", raw["requestBody"],
                                     body.media_types[0])  # fmt: skip
            found.append((f"{op.method} {op.path} body", pointer, body.example, "request"))
        for r in op.responses:
            if r.media_type and "json" in r.media_type and not r.has_example:
                node = raw["responses"][r.status]
                pointer = _media_pointer(doc, f"{base}/responses/{escape(r.status)}", node,
                                         r.media_type)  # fmt: skip
                found.append((f"{op.method} {op.path} {r.status}", pointer, r.example, "response"))
    for schema in api.schemas:
        pointer = f"/components/schemas/{escape(schema.name)}"
        found.append((f"schema {schema.name}", pointer, schema.example, "response"))
    return found


@pytest.mark.parametrize("fixture", FIXTURES)
def test_synthesized_examples_validate(fixture: str, request: pytest.FixtureRequest) -> None:
    doc: dict[str, Any] = request.getfixturevalue(fixture)
    # Prefect's model is built once for the session; the small fixtures' models here.
    api = request.getfixturevalue("prefect_result").api if "prefect" in fixture else build_api(doc)
    validators = DocumentValidators(doc)
    examples = _synthesized(doc, api)
    assert examples
    failures = [
        f"{where}: {error}"
        for where, pointer, example, mode in examples
        for error in validators.errors(pointer, example, mode)[:1]
    ]
    assert not failures, "\n".join(failures[:20]) + f"\n({len(failures)} of {len(examples)})"


def test_the_validators_reject_wrong_examples(library_openapi: dict[str, Any]) -> None:
    """The check above is only as good as these validators: they must be able to say no."""
    validators = DocumentValidators(library_openapi)
    book = "/components/schemas/Book"
    assert validators.errors(book, {"isbn": "1", "title": "T", "subtitle": None}, "response") == []
    assert validators.errors(book, {"isbn": "1", "title": 5}, "response")  # a wrong type
    assert validators.errors(book, {"title": "T"}, "response")  # isbn is required...
    assert validators.errors(book, {"title": "T"}, "request") == []  # ...unless read-only
    assert validators.errors(book, {"isbn": "1", "title": "T", "loans": [{}]}, "response")
