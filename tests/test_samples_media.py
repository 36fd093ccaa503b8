"""Code samples that run: every body media type, credentials, servers and the authors' examples.

Each curl command is parsed back with `shlex` (the flag carrying the body, the Content-Type it
declares), each httpx sample compiles, and each fetch sample parses with `node --check` when
node is installed.
"""

from __future__ import annotations

import ast
import json
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import RenderOptions
from generator.model.api import Api, Operation, build_api
from generator.pipeline import generate_pages
from generator.render import samples
from generator.render.request import DEFAULT_BASE_URL, Request

NODE = shutil.which("node")
PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "example": 3}},
}
UPLOAD = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "caption": {"type": "string", "example": "@/etc/passwd"},
        "file": {"type": "string", "format": "binary"},
    },
}


def _doc(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": {"Pet": PET}},
    }
    for key, value in extra.items():
        if key in ("schemas", "examples", "securitySchemes"):
            doc["components"][key] = {**doc["components"].get(key, {}), **value}
        else:
            doc[key] = value
    return doc


def _body_op(content: dict[str, Any], method: str = "post", **op: Any) -> dict[str, Any]:
    responses = {"200": {"description": "ok", "content": {"application/json": {"schema": PET}}}}
    body = {"required": True, "content": content}
    return {"/pets/{id}": {method: {"requestBody": body, "responses": responses, **op}}}


def _path_id() -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _op(api: Api) -> Operation:
    return api.operations[0]


def _request(doc: dict[str, Any], base_url: str = "") -> Request:
    api = build_api(doc)
    op = _op(api)
    body = op.request_body
    configured = base_url or (api.servers[0] if api.servers else "")
    return samples.example_request(
        op,
        configured,
        body.example if body else None,
        body is not None,
        schemes=api.security_schemes,
    )


def _args(command: str) -> list[str]:
    return shlex.split(command.replace("\\\n", " "))


def _headers(args: list[str]) -> dict[str, str]:
    found = [args[i + 1] for i, a in enumerate(args) if a == "-H"]
    return {h.split(":", 1)[0]: h.split(":", 1)[1].strip() for h in found}


def _after(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == flag]


def _check_languages(request: Request, tmp_path: Path) -> tuple[str, str]:
    """The Python and JavaScript samples, after checking they compile and parse."""
    python = samples.python_httpx(request)
    compile(python, "<sample>", "exec")
    script = samples.javascript_fetch(request)
    if NODE is not None:
        path = tmp_path / "sample.mjs"  # a module: top-level `await` and `import` parse
        path.write_text(script, encoding="utf-8")
        done = subprocess.run([NODE, "--check", str(path)], capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode() + script
    return python, script


# ------------------------------------------------------------------ bodies by media type


def test_json(tmp_path: Path) -> None:
    request = _request(
        _doc(_body_op({"application/json": {"schema": PET}}, parameters=[_path_id()]))
    )
    args = _args(samples.curl(request))
    assert args[:4] == ["curl", "-X", "POST", "https://api.example.com/pets/1"]
    assert _headers(args)["Content-Type"] == "application/json"
    assert json.loads(_after(args, "-d")[0]) == {"name": "string", "age": 3}
    python, script = _check_languages(request, tmp_path)
    assert 'json={"name": "string", "age": 3}' in python
    assert "JSON.stringify(" in script


def test_form_fields_are_url_encoded_one_by_one(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "email": {"type": "string", "example": "a&b=c@example.com"},
            "address": {"type": "object", "example": {"city": "Paris"}},
            "expand": {"type": "array", "items": {"type": "string"}, "example": ["x", "y"]},
        },
    }
    doc = _doc(_body_op({"application/x-www-form-urlencoded": {"schema": schema}}))
    request = _request(doc)
    args = _args(samples.curl(request))
    assert _headers(args)["Content-Type"] == "application/x-www-form-urlencoded"
    assert _after(args, "--data-urlencode") == [
        "email=a&b=c@example.com",
        "address[city]=Paris",
        "expand=x",
        "expand=y",
    ]
    assert "-d" not in args
    python, script = _check_languages(request, tmp_path)
    assert "data={" in python
    assert '"expand": [' in python
    assert "new URLSearchParams(" in script
    assert "Content-Type" not in script
    page = _page(doc, "post-pets-id.md")
    assert "email=a%26b%3Dc%40example.com&address%5Bcity%5D=Paris&expand=x&expand=y" in page


def test_multipart_sends_files_and_takes_values_literally(tmp_path: Path) -> None:
    request = _request(_doc(_body_op({"multipart/form-data": {"schema": UPLOAD}})))
    args = _args(samples.curl(request))
    # A value starting with `@` would make `-F` upload that file: it goes as a plain string.
    assert _after(args, "--form-string") == ["caption=@/etc/passwd"]
    assert _after(args, "-F") == ["file=@file.bin"]
    assert "Content-Type" not in _headers(args)  # curl writes it, with the boundary
    python, script = _check_languages(request, tmp_path)
    assert 'files={"file": open("file.bin", "rb")}' in python
    assert 'form.append("file", await openAsBlob("file.bin"), "file.bin");' in script
    assert "body: form" in script


def test_octet_stream_sends_a_file(tmp_path: Path) -> None:
    schema = {"type": "string", "format": "binary"}
    request = _request(_doc(_body_op({"application/octet-stream": {"schema": schema}})))
    args = _args(samples.curl(request))
    assert _after(args, "--data-binary") == ["@file.bin"]
    assert _headers(args)["Content-Type"] == "application/octet-stream"
    python, script = _check_languages(request, tmp_path)
    assert 'content=Path("file.bin").read_bytes()' in python
    assert 'body: await openAsBlob("file.bin")' in script


def test_text_plain_sends_the_text(tmp_path: Path) -> None:
    media = {"schema": {"type": "string"}, "example": "Hello **world**"}
    request = _request(_doc(_body_op({"text/plain": media})))
    args = _args(samples.curl(request))
    assert _after(args, "--data-binary") == ["Hello **world**"]
    assert _headers(args)["Content-Type"] == "text/plain"
    python, script = _check_languages(request, tmp_path)
    assert 'content="Hello **world**"' in python
    assert 'body: "Hello **world**"' in script
    # Text starting with `@` must not be read from a file.
    media = {"schema": {"type": "string"}, "example": "@/etc/passwd"}
    request = _request(_doc(_body_op({"text/plain": media})))
    assert _after(_args(samples.curl(request)), "--data-raw") == ["@/etc/passwd"]


def test_a_required_wildcard_body_is_sent() -> None:
    binary = _request(_doc(_body_op({"*/*": {"schema": {"type": "string", "format": "binary"}}})))
    args = _args(samples.curl(binary))
    assert _after(args, "--data-binary") == ["@file.bin"]
    assert _headers(args)["Content-Type"] == "application/octet-stream"
    structured = _request(_doc(_body_op({"*/*": {"schema": {"$ref": "#/components/schemas/Pet"}}})))
    args = _args(samples.curl(structured))
    assert _headers(args)["Content-Type"] == "application/json"
    assert json.loads(_after(args, "-d")[0])["name"] == "string"


def test_json_patch_is_a_list_of_operations(tmp_path: Path) -> None:
    content = {
        "application/json-patch+json": {"schema": {"type": "object"}},
        "application/merge-patch+json": {"schema": {"type": "object"}},
    }
    doc = _doc(_body_op(content, "patch"))
    request = _request(doc)
    args = _args(samples.curl(request))
    assert _headers(args)["Content-Type"] == "application/json-patch+json"
    assert json.loads(_after(args, "-d")[0]) == [
        {"op": "replace", "path": "/name", "value": "string"}
    ]
    python, _script = _check_languages(request, tmp_path)
    assert '"Content-Type": "application/json-patch+json"' in python  # httpx would say json
    page = _page(doc, "patch-pets-id.md")
    assert "The samples send `application/json-patch+json`; the operation also accepts" in page
    assert "`application/merge-patch+json`." in page


def test_merge_patch_is_an_object_with_the_fields() -> None:
    doc = _doc(_body_op({"application/merge-patch+json": {"schema": {"type": "object"}}}, "patch"))
    body = _op(build_api(doc)).request_body
    assert body is not None
    assert body.example == {"name": "string", "age": 3}


# ------------------------------------------------------------------ the authors' examples


EXAMPLES = {
    "Rex": {"summary": "A dog", "value": {"name": "Rex", "age": 2}},
    "Tom": {"value": {"name": "Tom"}},
    "Loop": {"$ref": "#/components/examples/Loop"},
    "Pid": {"value": 42},
}


def test_examples_given_by_ref_are_resolved_and_all_kept() -> None:
    media = {
        "schema": {"$ref": "#/components/schemas/Pet"},
        "examples": {
            "first": {"$ref": "#/components/examples/Rex"},
            "second": {"$ref": "#/components/examples/Tom"},
            "cycle": {"$ref": "#/components/examples/Loop"},
            "missing": {"$ref": "#/components/examples/Nope"},
        },
    }
    param = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
        "examples": {"one": {"$ref": "#/components/examples/Pid"}},
    }
    paths = {
        "/pets/{id}": {
            "put": {
                "parameters": [param],
                "requestBody": {"required": True, "content": {"application/json": media}},
                "responses": {"200": {"description": "ok", "content": {"application/json": media}}},
            }
        }
    }
    doc = _doc(paths, examples=EXAMPLES)
    op = _op(build_api(doc))
    assert op.request_body is not None
    assert op.request_body.examples == (
        ("A dog", {"name": "Rex", "age": 2}),
        ("second", {"name": "Tom"}),
    )
    assert op.request_body.example == {"name": "Rex", "age": 2}
    assert op.responses[0].examples == op.request_body.examples
    assert op.parameters[0].example == 42
    assert "/pets/42" in samples.curl(_request(doc))
    page = _page(doc, "put-pets-id.md")
    assert page.count('"Rex"') == 5  # the request example, three samples, the response
    assert page.count('"Tom"') == 2
    assert page.count("A dog:") == 2
    assert "second:" in page


def test_discriminator_values_select_the_member() -> None:
    schemas = {
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {
                "propertyName": "petType",
                "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
            },
        },
        "Cat": {
            "type": "object",
            "required": ["petType"],
            "properties": {"petType": {"type": "string"}, "lives": {"type": "integer"}},
        },
        "Dog": {"type": "object", "properties": {"petType": {"type": "string"}}},
        "Base": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "discriminator": {"propertyName": "kind"},
        },
        "Bird": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object"}]},
    }
    media = {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}
    bird = {"application/json": {"schema": {"$ref": "#/components/schemas/Bird"}}}
    paths = {
        "/pets": {
            "post": {
                "requestBody": {"content": media},
                "responses": {"200": {"description": "ok", "content": bird}},
            }
        }
    }
    doc = _doc(paths, schemas=schemas)
    op = _op(build_api(doc))
    assert op.request_body is not None
    assert op.request_body.example["petType"] == "cat"
    assert op.responses[0].example == {"kind": "Bird"}  # the implicit mapping: the name


# ------------------------------------------------------------------ URLs and credentials


def test_server_variables_take_their_defaults() -> None:
    servers = [
        {
            "url": "https://{region}.example.com/{version}",
            "variables": {"region": {"default": "eu"}, "version": {"enum": ["v2", "v1"]}},
        }
    ]
    doc = _doc({"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}, servers=servers)
    assert build_api(doc).servers == ("https://eu.example.com/v2",)
    assert _args(samples.curl(_request(doc)))[1] == "https://eu.example.com/v2/pets"


def test_operation_servers_override_and_relative_servers_are_made_absolute() -> None:
    own = [{"url": "https://uploads.example.com"}]
    paths = {"/pets": {"get": {"servers": own, "responses": {"200": {"description": "ok"}}}}}
    assert _args(samples.curl(_request(_doc(paths))))[1] == "https://uploads.example.com/pets"
    item = {"servers": [{"url": "/v2"}], "get": {"responses": {"200": {"description": "ok"}}}}
    assert (
        _args(samples.curl(_request(_doc({"/pets": item}))))[1] == "https://api.example.com/v2/pets"
    )
    relative = _doc({"/pets": {"get": {"responses": {}}}}, servers=[{"url": "/api"}])
    assert _args(samples.curl(_request(relative)))[1] == f"{DEFAULT_BASE_URL}/api/pets"


def test_path_values_are_realistic() -> None:
    params = [
        {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "repoId", "in": "path", "required": True},
        {"name": "n", "in": "path", "required": True, "schema": {"type": "integer"}},
        {
            "name": "day",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "date"},
        },
    ]
    paths = {"/r/{owner}/{repoId}/{n}/{day}": {"get": {"parameters": params, "responses": {}}}}
    url = _args(samples.curl(_request(_doc(paths))))[1]
    assert url == "https://api.example.com/r/owner/abc123/1/2024-06-01"


SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "basic": {"type": "http", "scheme": "basic"},
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "query": {"type": "apiKey", "in": "query", "name": "api_key"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
    "oauth": {"type": "oauth2", "flows": {}},
    "odd": {"type": "apiKey", "in": "header", "name": "X-$(id)"},
}


def _secured(scheme: str, tmp_path: Path) -> tuple[list[str], str, str]:
    paths: dict[str, Any] = {"/pets": {"get": {"security": [{scheme: []}], "responses": {}}}}
    request = _request(_doc(paths, securitySchemes=SCHEMES))
    python, script = _check_languages(request, tmp_path)
    return _args(samples.curl(request)), python, script


@pytest.mark.parametrize(
    ("scheme", "curl_args", "python", "javascript"),
    [
        ("bearer", ["-H", "Authorization: Bearer $API_TOKEN"],
         '"Authorization": "Bearer " + os.environ["API_TOKEN"]',
         '"Authorization": "Bearer " + process.env.API_TOKEN'),
        ("oauth", ["-H", "Authorization: Bearer $API_TOKEN"],
         '"Authorization": "Bearer " + os.environ["API_TOKEN"]',
         '"Authorization": "Bearer " + process.env.API_TOKEN'),
        ("basic", ["-u", "$API_USER:$API_PASSWORD"],
         'auth=(os.environ["API_USER"], os.environ["API_PASSWORD"])',
         'btoa(process.env.API_USER + ":" + process.env.API_PASSWORD)'),
        ("key", ["-H", "X-API-Key: $API_KEY"],
         '"X-API-Key": os.environ["API_KEY"]', '"X-API-Key": process.env.API_KEY'),
        ("cookie", ["-H", "Cookie: session=$API_KEY"],
         '"Cookie": "session=" + os.environ["API_KEY"]',
         '"Cookie": "session=" + process.env.API_KEY'),
        ("odd", ["-H", "X-$(id): $API_KEY"],
         '"X-$(id)": os.environ["API_KEY"]', '"X-$(id)": process.env.API_KEY'),
    ],
)  # fmt: skip
def test_secured_operations_send_credentials(
    scheme: str, curl_args: list[str], python: str, javascript: str, tmp_path: Path
) -> None:
    args, python_code, script = _secured(scheme, tmp_path)
    found = [i for i in range(len(args) - 1) if args[i : i + 2] == curl_args]
    assert found, args
    assert python in python_code
    assert "import os" in python_code
    assert javascript in script


def test_shell_expands_only_the_variable() -> None:
    paths: dict[str, Any] = {"/pets": {"get": {"security": [{"odd": []}], "responses": {}}}}
    command = samples.curl(_request(_doc(paths, securitySchemes=SCHEMES)))
    assert "-H 'X-$(id): '\"$API_KEY\"" in command  # the spec's name stays single-quoted
    bearer: dict[str, Any] = {"/pets": {"get": {"security": [{"bearer": []}], "responses": {}}}}
    assert '-H "Authorization: Bearer $API_TOKEN"' in samples.curl(
        _request(_doc(bearer, securitySchemes=SCHEMES))
    )


def test_query_keys_and_unsecured_operations(tmp_path: Path) -> None:
    args, python, script = _secured("query", tmp_path)
    assert args[1] == "https://api.example.com/pets?api_key=$API_KEY"
    assert 'params={"api_key": os.environ["API_KEY"]}' in python
    assert (
        '"https://api.example.com/pets?api_key=" + encodeURIComponent(process.env.API_KEY)'
        in script
    )
    paths: dict[str, Any] = {"/pets": {"get": {"security": [], "responses": {}}}}
    request = _request(_doc(paths, security=[{"bearer": []}], securitySchemes=SCHEMES))
    assert request.credentials == ()


# ------------------------------------------------------------------ responses


def test_every_response_media_type_is_listed_with_its_headers() -> None:
    content = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}, "example": "name,age\nRex,2"},
    }
    response = {
        "description": "ok",
        "headers": {"X-Rate-Limit": {"schema": {"type": "integer"}}},
        "content": content,
    }
    csv_only = {"description": "csv", "content": {"text/csv": content["text/csv"]}}
    paths = {"/pets": {"get": {"responses": {"200": response, "203": csv_only}}}}
    page = _page(_doc(paths), "get-pets.md")
    for media in ("application/json", "application/x-ndjson", "text/csv"):
        assert f"- `{media}` · " in page
    assert "X&#45;Rate&#45;Limit" in page or "X-Rate-Limit" in page
    assert "name,age\n    Rex,2" in page  # a CSV example as text, not as a JSON string


def _page(doc: dict[str, Any], name: str) -> str:
    result = generate_pages(doc, RenderOptions())
    found = [p.text for p in result.pages if p.path.endswith("/" + name)]
    assert len(found) == 1, [p.path for p in result.pages]
    return found[0]


def test_a_json_patch_replaces_a_nested_field_when_the_top_has_none() -> None:
    resource = {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "metadata": {
                "type": "object",
                "properties": {"labels": {"type": "object"}, "name": {"type": "string"}},
            },
        },
    }
    responses = {
        "200": {"description": "ok", "content": {"application/json": {"schema": resource}}}
    }
    body = {"content": {"application/json-patch+json": {"schema": {"type": "object"}}}}
    doc = _doc({"/r": {"patch": {"requestBody": body, "responses": responses}}})
    found = _op(build_api(doc)).request_body
    assert found is not None
    assert found.example == [{"op": "replace", "path": "/metadata/name", "value": "string"}]


def test_example_labels_are_escaped() -> None:
    hostile = "<script>alert(1)</script> ``` *x*"
    media = {
        "schema": {"type": "object"},
        "examples": {"a": {"summary": hostile, "value": {"n": 1}}, "b": {"value": {"n": 2}}},
    }
    responses = {"200": {"description": "ok", "content": {"application/json": media}}}
    page = _page(_doc({"/p": {"get": {"responses": responses}}}), "get-p.md")
    assert "<script>" not in page
    assert "    &#96;&#96;&#96; *x*:\n" in page  # a label cannot open a code fence
    assert "    b:\n" in page


def test_multipart_without_files_is_still_multipart_in_httpx(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "example": "etl"}}}
    request = _request(_doc(_body_op({"multipart/form-data": {"schema": schema}})))
    python, _ = _check_languages(request, tmp_path)
    # `data=` alone would be sent form-encoded: the text parts go as nameless files.
    parts = python.split("files=", 1)[1].split("\n", 1)[0].rstrip(",")
    sent = httpx.Request("POST", "http://x/", files=ast.literal_eval(parts))
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="name"\r\n\r\netl\r\n' in sent.read()


@pytest.mark.parametrize(
    ("declared", "sent"),
    [("image/*", "image/png"), ("text/*", "text/plain"), ("*/*", "application/octet-stream")],
)
def test_a_media_range_is_sent_as_a_concrete_type_in_it(declared: str, sent: str) -> None:
    schema = {"type": "string", "format": "binary"}
    request = _request(_doc(_body_op({declared: {"schema": schema}})))
    assert _headers(_args(samples.curl(request)))["Content-Type"] == sent
