"""`generator.load`: spec files, parse errors with positions, `module:attr` targets, Swagger 2.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.errors import LoadError
from generator.load import dump_document, load_app, load_spec_file
from generator.load.app_export import ExportError, openapi_from_target
from generator.load.documents import check_document, parse_document
from generator.load.swagger2 import convert

MINIMAL = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}}


# ---------------------------------------------------------------- spec files


@pytest.mark.parametrize("name", ["api.json", "api.yaml", "api.yml", "api.txt"])
def test_json_and_yaml_files_load_whatever_their_extension(tmp_path: Path, name: str) -> None:
    text = (
        json.dumps(MINIMAL)
        if name.endswith((".json", ".txt"))
        else ("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n")
    )
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert load_spec_file(tmp_path / name) == MINIMAL


def test_yaml_keeps_key_order_and_unicode(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: '3.0.3'\npaths:\n  /z: {}\n  /a: {}\n  /ü: {}\n", encoding="utf-8")
    assert list(load_spec_file(spec)["paths"]) == ["/z", "/a", "/ü"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.1.0\npaths:\n  /a:\n    get: {\n", "f.yaml:5:1: invalid YAML"),
        ("openapi: 3.1.0\n\tpaths: {}\n", "f.yaml:2:1: invalid YAML: found a tab character"),
        ("key: [1, 2\nother: 3\n", "f.yaml:2:6: invalid YAML"),
        ('{"openapi": "3.1.0",\n "paths": {,}}', "f.yaml:2:12: invalid JSON"),
        ('  \n{"a": 1,}', "f.yaml:2:9: invalid JSON"),
    ],
)
def test_parse_errors_name_the_line_and_column(text: str, message: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_document(text, "f.yaml")
    assert str(caught.value).startswith(message), caught.value


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"missing\.json: no such file"):
        load_spec_file(tmp_path / "missing.json")
    (tmp_path / "latin1.yaml").write_bytes(b"title: caf\xe9\n")
    with pytest.raises(LoadError, match="cannot read the file"):
        load_spec_file(tmp_path / "latin1.yaml")
    with pytest.raises(LoadError, match="cannot read the file"):
        load_spec_file(tmp_path)  # a folder


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (None, "the top level is not an object"),
        (["a"], "the top level is not an object"),
        ({"hello": "world"}, "not an OpenAPI 3 document"),
        ({"openapi": "2.0", "paths": {}}, "not an OpenAPI 3 document"),
        ({"swagger": "1.2", "paths": {}}, "Swagger 1.2 is not supported (only 2.0)"),
        ({"openapi": "3.0.0", "info": {}}, "has no 'paths'"),
        ({"openapi": "3.0.0", "paths": []}, "'paths' must be an object"),
    ],
)
def test_documents_that_are_not_openapi_3_are_refused(doc: Any, message: str) -> None:
    with pytest.raises(LoadError, match=r"^src: ") as caught:
        check_document(doc, "src")
    assert message in str(caught.value)


def test_an_unquoted_yaml_version_is_named() -> None:
    doc = parse_document("openapi: 3.1\npaths: {}\n", "f.yaml")
    with pytest.raises(LoadError, match=r"'openapi: 3\.1' is a number; quote it \('3\.1\.0'\)"):
        check_document(doc, "f.yaml")


def test_a_31_document_may_have_webhooks_and_no_paths() -> None:
    doc = {"openapi": "3.1.0", "webhooks": {}}
    assert check_document(doc, "src") is doc


def test_dumped_documents_keep_order_and_end_with_one_newline() -> None:
    doc = {"z": 1, "a": {"ü": [1, 2]}, "big": 2**70}
    text = dump_document(doc)
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert json.loads(text) == doc
    assert list(json.loads(text)) == ["z", "a", "big"]
    assert "ü" in text
    assert text == dump_document(doc)


# ---------------------------------------------------------------- app targets


@pytest.mark.parametrize("target", ["nocolon", ":app", "module:", ""])
def test_app_targets_must_be_module_colon_attribute(target: str) -> None:
    with pytest.raises(LoadError, match=r"expected 'module\.path:attribute'"):
        load_app(target)


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ("missing", "module tests.fixtures.broken_apps has no attribute 'missing'"),
        ("raising_factory", "the factory raised RuntimeError: database is not configured"),
        ("factory_with_arguments", "the factory needs arguments (settings)"),
        ("broken_openapi", "openapi() raised ValueError: schema generation failed"),
        ("plain_object", "object object has no openapi() method"),
        ("not_an_app", "int object has no openapi()"),
    ],
)
def test_app_target_errors_say_what_went_wrong(attribute: str, message: str) -> None:
    target = f"tests.fixtures.broken_apps:{attribute}"
    with pytest.raises(ExportError) as caught:
        openapi_from_target(target)
    assert str(caught.value).startswith(f"--app {target}: ")
    assert message in str(caught.value)


def test_a_missing_module_says_so_and_hints_at_the_environment() -> None:
    with pytest.raises(ExportError, match="module 'no_such_module' not found; is it installed"):
        openapi_from_target("no_such_module:app")


def test_an_app_target_gives_its_document() -> None:
    doc = openapi_from_target("tests.fixtures.shop_app:app")
    assert doc["info"]["title"] == "Shop"
    assert "/items/" in doc["paths"]


# ---------------------------------------------------------------- Swagger 2.0


def swagger(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": paths, **extra}


def test_swagger_is_converted_on_load() -> None:
    doc = check_document(swagger({}), "src")
    assert doc["openapi"] == "3.0.3"
    assert "swagger" not in doc


def test_definitions_become_component_schemas_and_refs_follow() -> None:
    pet = {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Owner"}}}
    doc = convert(swagger({}, definitions={"Pet": pet, "Owner": {"type": "string"}}))
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["Pet", "Owner"]
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}


def test_a_body_parameter_becomes_a_request_body_per_consumed_media_type() -> None:
    body = {
        "name": "pet",
        "in": "body",
        "required": True,
        "description": "The pet",
        "schema": {"$ref": "#/definitions/Pet"},
    }
    op = {
        "parameters": [body],
        "consumes": ["application/json", "application/xml"],
        "responses": {},
    }
    new = convert(swagger({"/pets": {"post": op}}))["paths"]["/pets"]["post"]
    assert new["parameters"] == []
    assert new["requestBody"]["required"] is True
    assert new["requestBody"]["description"] == "The pet"
    assert new["requestBody"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
        "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}},
    }


def test_form_parameters_become_one_form_schema() -> None:
    form = [
        {"name": "name", "in": "formData", "type": "string", "required": True},
        {"name": "file", "in": "formData", "type": "file"},
    ]
    op = {"parameters": form, "consumes": ["multipart/form-data"], "responses": {}}
    body = convert(swagger({"/up": {"post": op}}))["paths"]["/up"]["post"]["requestBody"]
    assert body["content"] == {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                # OpenAPI 3 spells an upload a binary string: samples send it as a file.
                "properties": {
                    "name": {"type": "string"},
                    "file": {"type": "string", "format": "binary"},
                },
                "required": ["name"],
            }
        }
    }


def test_simple_parameters_get_a_schema() -> None:
    param = {
        "name": "limit",
        "in": "query",
        "type": "integer",
        "minimum": 1,
        "default": 10,
        "collectionFormat": "csv",
        "description": "How many",
    }
    op = {"parameters": [param], "responses": {}}
    (new,) = convert(swagger({"/a": {"get": op}}))["paths"]["/a"]["get"]["parameters"]
    assert new == {
        "name": "limit",
        "in": "query",
        "description": "How many",
        "schema": {"type": "integer", "minimum": 1, "default": 10},
    }


def test_path_level_parameters_are_kept_and_a_shared_body_reaches_each_operation() -> None:
    shared = [
        {"name": "id", "in": "path", "type": "string", "required": True},
        {"name": "b", "in": "body", "schema": {"type": "object"}},
    ]
    item = {"parameters": shared, "put": {"responses": {}}}
    new = convert(swagger({"/a/{id}": item}))["paths"]["/a/{id}"]
    assert [p["name"] for p in new["parameters"]] == ["id"]
    assert new["put"]["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}


def test_responses_get_media_types_examples_and_header_schemas() -> None:
    response = {
        "description": "ok",
        "schema": {"type": "array"},
        "examples": {"application/json": [1]},
        "headers": {"X-Rate": {"type": "integer", "description": "left"}},
    }
    doc = swagger(
        {
            "/a": {
                "get": {"produces": ["application/json", "text/csv"], "responses": {200: response}}
            }
        }
    )
    new = convert(doc)["paths"]["/a"]["get"]["responses"]["200"]
    assert new["content"] == {
        "application/json": {"schema": {"type": "array"}, "example": [1]},
        "text/csv": {"schema": {"type": "array"}},
    }
    assert new["headers"] == {"X-Rate": {"description": "left", "schema": {"type": "integer"}}}


def test_host_base_path_and_schemes_become_servers() -> None:
    doc = swagger({}, host="api.example.com", basePath="/v2", schemes=["https", "http"])
    assert convert(doc)["servers"] == [
        {"url": "https://api.example.com/v2"},
        {"url": "http://api.example.com/v2"},
    ]
    assert "servers" not in convert(swagger({}))


def test_security_definitions_become_security_schemes() -> None:
    definitions = {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://a/auth",
            "tokenUrl": "https://a/token",
            "scopes": {"read": "Read"},
        },
    }
    schemes = convert(swagger({}, securityDefinitions=definitions))["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "description": ""}
    assert schemes["key"] == definitions["key"]
    assert schemes["oauth"]["flows"] == {
        "authorizationCode": {
            "authorizationUrl": "https://a/auth",
            "tokenUrl": "https://a/token",
            "scopes": {"read": "Read"},
        }
    }


def test_x_nullable_becomes_nullable() -> None:
    doc = convert(swagger({}, definitions={"A": {"type": "string", "x-nullable": True}}))
    assert doc["components"]["schemas"]["A"]["nullable"] is True


def test_a_referenced_body_parameter_becomes_a_request_body() -> None:
    doc = swagger(
        {"/a": {"post": {"parameters": [{"$ref": "#/parameters/B"}], "responses": {}}}},
        parameters={"B": {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/X"}}},
        definitions={"X": {"type": "object"}},
    )
    converted = convert(doc)
    assert converted["components"]["parameters"] == {}  # no OpenAPI 3 parameter is `in: body`
    op = converted["paths"]["/a"]["post"]
    assert op["parameters"] == []
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/X"
    }


def test_parameters_that_are_not_objects_do_not_crash_the_conversion() -> None:
    item = {"parameters": ["x", None], "get": {"parameters": [3], "responses": {}}}
    new = convert(swagger({"/a": item}))["paths"]["/a"]
    assert new["get"]["parameters"] == [3]
    assert "requestBody" not in new["get"]
