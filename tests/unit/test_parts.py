"""`generator.model.parts` (parameters, bodies, responses) and how `build_api` gathers them."""

from __future__ import annotations

from typing import Any

from generator.model.api import build_api
from generator.model.parts import parameter, request_body, response, response_signature
from generator.model.shapes import Shape
from tests.unit.specs import document, index, operation, ref

PET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
JSON_PET = {"application/json": {"schema": ref("Pet")}}


def pets() -> Any:
    return index({"Pet": PET})


# ---------------------------------------------------------------- parameters


def test_a_parameter() -> None:
    found = parameter(
        {
            "name": "limit",
            "in": "query",
            "description": " How many \n",
            "deprecated": True,
            "schema": {"type": "integer", "minimum": 1, "default": 10},
        },
        pets(),
    )
    assert (found.name, found.location, found.required, found.description) == (
        "limit",
        "query",
        False,
        "How many",
    )
    assert (found.default, found.constraints, found.deprecated) == ("10", ("minimum 1",), True)
    assert found.shape == Shape(types=("integer",))
    assert found.example == 10  # the default


def test_path_parameters_are_always_required() -> None:
    assert parameter({"name": "id", "in": "path", "schema": {}}, pets()).required
    assert not parameter({"name": "q", "in": "query"}, pets()).required
    assert parameter({"name": "q", "in": "query", "required": True}, pets()).required


def test_a_parameter_without_in_is_a_query_parameter() -> None:
    assert parameter({"name": "q"}, pets()).location == "query"


def test_the_spec_example_wins_over_a_built_one() -> None:
    schema = {"type": "string", "example": "from schema"}
    assert parameter({"name": "q", "in": "query", "schema": schema}, pets()).example == (
        "from schema"
    )
    own = {"name": "q", "in": "query", "example": "own", "schema": schema}
    assert parameter(own, pets()).example == "own"


def test_a_parameter_with_content_takes_its_schema() -> None:
    found = parameter({"name": "f", "in": "query", "content": JSON_PET}, pets())
    assert found.shape.ref == "Pet"
    assert found.example == {"name": "string"}


# ---------------------------------------------------------------- request bodies


def test_a_request_body() -> None:
    body = request_body({"required": True, "description": "The pet", "content": JSON_PET}, pets())
    assert body is not None
    assert (body.required, body.description, body.media_types) == (
        True,
        "The pet",
        ("application/json",),
    )
    assert body.shape.ref == "Pet"
    assert [f.path for f in body.fields] == ["name"]
    assert (body.example, body.has_example) == ({"name": "string"}, False)


def test_json_is_preferred_but_every_media_type_is_listed() -> None:
    content = {
        "application/xml": {"schema": {"type": "string"}},
        "application/merge-patch+json": {"schema": ref("Pet")},
    }
    body = request_body({"content": content}, pets())
    assert body is not None
    assert body.shape.ref == "Pet"
    assert body.media_types == ("application/xml", "application/merge-patch+json")


def test_without_json_the_first_media_type_is_shown() -> None:
    content = {"text/plain": {"schema": {"type": "string"}}, "text/csv": {}}
    body = request_body({"content": content}, pets())
    assert body is not None
    assert body.shape == Shape(types=("string",))


def test_a_body_without_content_is_no_body() -> None:
    assert request_body(None, pets()) is None
    assert request_body({"description": "x"}, pets()) is None
    assert request_body({"content": {}}, pets()) is None


def test_a_referenced_request_body() -> None:
    found = index({"Pet": PET}, requestBodies={"NewPet": {"content": JSON_PET}})
    body = request_body({"$ref": "#/components/requestBodies/NewPet"}, found)
    assert body is not None
    assert body.shape.ref == "Pet"


def test_a_media_example_is_used_as_it_is() -> None:
    content = {"application/json": {"schema": ref("Pet"), "examples": {"a": {"value": [1]}}}}
    body = request_body({"content": content}, pets())
    assert body is not None
    assert (body.example, body.has_example) == ([1], True)


def test_a_union_body_has_one_alternative_per_member() -> None:
    union = {"oneOf": [ref("Pet"), {"type": "object", "properties": {"toy": {}}}]}
    body = request_body({"content": {"application/json": {"schema": union}}}, pets())
    assert body is not None
    assert [[f.path for f in a.fields] for a in body.alternatives] == [["name"], ["toy"]]
    nullable = {"anyOf": [ref("Pet"), {"type": "null"}]}
    body = request_body({"content": {"application/json": {"schema": nullable}}}, pets())
    assert body is not None
    assert body.alternatives == ()


# ---------------------------------------------------------------- responses


def test_a_response_with_a_body_and_headers() -> None:
    node = {
        "description": "The pet ",
        "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
        "content": JSON_PET,
    }
    found = response("200", node, pets(), set())
    assert (found.status, found.description, found.media_type) == (
        "200",
        "The pet",
        "application/json",
    )
    assert found.shape is not None
    assert found.shape.ref == "Pet"
    assert found.example == {"name": "string"}
    assert not found.common
    (header,) = found.headers
    assert (header.name, header.location, header.description) == ("X-Rate", "header", "left")


def test_a_response_without_content() -> None:
    found = response("204", {"description": "Gone"}, pets(), set())
    assert (found.media_type, found.shape, found.fields, found.example) == (None, None, (), None)


def test_response_signatures_and_the_common_flag() -> None:
    node = {"description": "Invalid", "content": {"application/json": {"schema": ref("Err")}}}
    found = index({"Err": {"type": "object"}})
    signature = response_signature("422", node, found)
    assert signature == ("422", "Invalid", "#/components/schemas/Err")
    assert response("422", node, found, {signature}).common


# ---------------------------------------------------------------- gathered by build_api


def test_path_level_parameters_are_shared_and_overridden_and_sorted() -> None:
    item = {
        "parameters": [
            {"name": "id", "in": "path", "schema": {"type": "string"}},
            {"name": "q", "in": "query", "description": "shared"},
        ],
        "get": operation(
            parameters=[
                {"name": "c", "in": "cookie"},
                {"name": "q", "in": "query", "description": "own"},
                {"name": "h", "in": "header", "required": True},
            ]
        ),
    }
    (op,) = build_api(document({"/a/{id}": item})).operations
    assert [(p.location, p.name) for p in op.parameters] == [
        ("path", "id"),
        ("query", "q"),
        ("header", "h"),
        ("cookie", "c"),
    ]
    assert op.parameters[1].description == "own"


def test_a_header_on_most_operations_is_listed_once_for_the_api() -> None:
    header = {"name": "x-api-version", "in": "header", "schema": {"type": "string"}}
    paths = {f"/{n}": {"get": operation(parameters=[header])} for n in "abc"}
    paths["/d"] = {"get": operation()}
    api = build_api(document(paths))
    assert [p.name for p in api.common_parameters] == ["x-api-version"]
    assert all(op.parameters == () for op in api.operations)
    assert [op.common_parameters for op in api.operations] == [("x-api-version",)] * 3 + [()]


def test_an_error_response_on_most_operations_is_marked_common() -> None:
    error = {"description": "Invalid", "content": {"application/json": {"schema": ref("Err")}}}
    paths = {
        f"/{n}": {"get": {"responses": {"200": {"description": "ok"}, "422": error}}} for n in "ab"
    }
    api = build_api(document(paths, schemas={"Err": {"type": "object"}}))
    assert [[r.common for r in op.responses] for op in api.operations] == [[False, True]] * 2


def test_an_error_response_with_headers_or_examples_is_never_compacted() -> None:
    media = {"schema": ref("Err")}
    variants: dict[str, dict[str, Any]] = {
        "headers": {"headers": {"Retry-After": {"schema": {"type": "integer"}}}},
        "example": {"content": {"application/json": {**media, "example": {"code": 1}}}},
    }
    for name, detail in variants.items():
        error = {"description": "Slow down", "content": {"application/json": media}, **detail}
        paths = {
            f"/{n}": {"get": {"responses": {"200": {"description": "ok"}, "429": error}}}
            for n in "ab"
        }
        api = build_api(document(paths, schemas={"Err": {"type": "object"}}))
        compacted = [[r.common for r in op.responses] for op in api.operations]
        assert compacted == [[False, False]] * 2, name
