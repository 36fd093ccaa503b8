"""`restref diff`: each kind of change found and classified, noise ignored, the command."""

from __future__ import annotations

import copy
import gzip
import io
import json
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.diff import DiffResult, diff_documents
from generator.diff.report import to_github, to_json, to_markdown
from generator.diff.rules import all_kinds, level_of
from tests.unit.specs import document, ref

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]


def _base() -> Doc:
    """Three operations over two schemas: every case below changes one thing in a copy."""
    item = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string", "maxLength": 50},
            "state": {"type": "string", "enum": ["A", "B"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "value": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
    }
    create = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 50},
            "state": {"type": "string", "enum": ["A", "B"]},
            "count": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            "code": {"type": "string", "pattern": "^[a-z]+$"},
            "value": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "nested": {"type": "object", "properties": {"deep": {"type": "string"}}},
        },
    }
    json_of = {"application/json": {"schema": ref("Item")}}
    limit = {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}
    headers = {"X-Rate-Limit": {"required": True, "schema": {"type": "integer"}}}
    return document(
        paths={
            "/items/{id}": {
                "get": {
                    "operationId": "get_item",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {"name": "limit", "in": "query", "schema": limit},
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": json_of, "headers": headers},
                        "404": {"description": "missing"},
                    },
                }
            },
            "/items": {
                "post": {
                    "operationId": "create_item",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("ItemCreate")}},
                    },
                    "responses": {"201": {"description": "made", "content": json_of}},
                    "security": [{"api_key": []}],
                }
            },
        },
        schemas={"Item": item, "ItemCreate": create},
    )


def _item(d: Doc) -> Doc:
    return d["components"]["schemas"]["Item"]["properties"]  # type: ignore[no-any-return]


def _create(d: Doc) -> Doc:
    return d["components"]["schemas"]["ItemCreate"]["properties"]  # type: ignore[no-any-return]


def _get(d: Doc) -> Doc:
    return d["paths"]["/items/{id}"]["get"]  # type: ignore[no-any-return]


def _post(d: Doc) -> Doc:
    return d["paths"]["/items"]["post"]  # type: ignore[no-any-return]


def _limit(d: Doc) -> Doc:
    return _get(d)["parameters"][1]  # type: ignore[no-any-return]


def _set(target: Callable[[Doc], Doc], key: str, value: Any) -> Mutation:
    def mutate(d: Doc) -> None:
        target(d)[key] = value

    return mutate


def _del(target: Callable[[Doc], Doc], key: str) -> Mutation:
    def mutate(d: Doc) -> None:
        del target(d)[key]

    return mutate


def _in(target: Callable[[Doc], Doc], name: str) -> Callable[[Doc], Doc]:
    return lambda d: target(d)[name]


def _rename_media(target: Callable[[Doc], Doc]) -> Mutation:
    def mutate(d: Doc) -> None:
        content = target(d)["content"]
        content["application/xml"] = content.pop("application/json")

    return mutate


def _response(status: str) -> Callable[[Doc], Doc]:
    return lambda d: (
        _post(d)["responses"][status] if status == "201" else _get(d)["responses"][status]
    )


def _add_param(required: bool) -> Mutation:
    def mutate(d: Doc) -> None:
        p = {"name": "q", "in": "query", "required": required, "schema": {"type": "string"}}
        _get(d)["parameters"].append(p)

    return mutate


def _add_get_body(required: bool) -> Mutation:
    def mutate(d: Doc) -> None:
        body = {"application/json": {"schema": {"type": "object"}}}
        _get(d)["requestBody"] = {"required": required, "content": body}

    return mutate


def _rename_status(d: Doc) -> None:
    _post(d)["responses"]["200"] = _post(d)["responses"].pop("201")


def _closed_without_code(d: Doc) -> None:
    d["components"]["schemas"]["ItemCreate"]["additionalProperties"] = False
    del _create(d)["code"]


def _close_create(d: Doc) -> None:
    d["components"]["schemas"]["ItemCreate"]["additionalProperties"] = False


def _add_required_extra(d: Doc) -> None:
    _create(d)["extra"] = {"type": "string"}
    d["components"]["schemas"]["ItemCreate"]["required"].append("extra")


def _require_count(d: Doc) -> None:
    d["components"]["schemas"]["ItemCreate"]["required"].append("count")


def _unrequire_all(d: Doc) -> None:
    del d["components"]["schemas"]["ItemCreate"]["required"]


def _unrequire_name(d: Doc) -> None:
    d["components"]["schemas"]["Item"]["required"].remove("name")


def _add_operation(d: Doc) -> None:
    d["paths"]["/new"] = {"get": {"responses": {}}}


def _remove_post(d: Doc) -> None:
    del d["paths"]["/items"]


def _remove_limit(d: Doc) -> None:
    _get(d)["parameters"].pop()


def _item_schema(d: Doc) -> Doc:
    return d["components"]["schemas"]["Item"]  # type: ignore[no-any-return]


def _responses_of_get(d: Doc) -> Doc:
    return _get(d)["responses"]  # type: ignore[no-any-return]


def _headers(d: Doc) -> Doc:
    return _get(d)["responses"]["200"]["headers"]  # type: ignore[no-any-return]


_NULLABLE_NAME = {"anyOf": [{"type": "string"}, {"type": "null"}]}
_VARIANTS = [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]
_NULLABLE_STATE = {"anyOf": [{"type": "string", "enum": ["A", "B"]}, {"type": "null"}]}
_BODY = _in(_post, "requestBody")
_ALTERNATIVES = [{"api_key": []}, {"oauth": ["read"]}]

# (id, mutation of the new document, kind, level, field, mutation of the old one first)
CASES: list[tuple[str, Mutation, str, str, str, Mutation | None]] = [
    ("op-added", _add_operation, "operation-added", "info", "", None),
    ("op-removed", _remove_post, "operation-removed", "breaking", "", None),
    (
        "op-removed-deprecated",
        _remove_post,
        "deprecated-operation-removed",
        "warning",
        "",
        _set(_post, "deprecated", True),
    ),
    ("op-deprecated", _set(_post, "deprecated", True), "operation-deprecated", "warning", "", None),
    (
        "op-undeprecated",
        _del(_post, "deprecated"),
        "operation-undeprecated",
        "info",
        "",
        _set(_post, "deprecated", True),
    ),
    ("op-id", _set(_post, "operationId", "make_item"), "operation-id-changed", "warning", "", None),
    ("param-added", _add_param(False), "parameter-added", "info", "", None),
    ("param-added-required", _add_param(True), "parameter-added-required", "breaking", "", None),
    ("param-removed", _remove_limit, "parameter-removed", "warning", "", None),
    (
        "param-required",
        _set(_limit, "required", True),
        "parameter-became-required",
        "breaking",
        "",
        None,
    ),
    (
        "param-optional",
        _del(_limit, "required"),
        "parameter-became-optional",
        "info",
        "",
        _set(_limit, "required", True),
    ),
    (
        "param-deprecated",
        _set(_limit, "deprecated", True),
        "parameter-deprecated",
        "warning",
        "",
        None,
    ),
    (
        "param-type",
        _set(_in(_limit, "schema"), "type", "string"),
        "parameter-type-changed",
        "breaking",
        "",
        None,
    ),
    (
        "param-max-down",
        _set(_in(_limit, "schema"), "maximum", 50),
        "parameter-constraint-tightened",
        "breaking",
        "",
        None,
    ),
    (
        "param-max-up",
        _set(_in(_limit, "schema"), "maximum", 200),
        "parameter-constraint-loosened",
        "info",
        "",
        None,
    ),
    (
        "param-default",
        _set(_in(_limit, "schema"), "default", 20),
        "parameter-default-changed",
        "warning",
        "",
        None,
    ),
    (
        "body-optional",
        _set(_BODY, "required", False),
        "request-body-became-optional",
        "info",
        "",
        None,
    ),
    (
        "body-required",
        _set(_BODY, "required", True),
        "request-body-became-required",
        "breaking",
        "",
        _set(_BODY, "required", False),
    ),
    ("body-removed", _del(_post, "requestBody"), "request-body-removed", "warning", "", None),
    ("body-added", _add_get_body(False), "request-body-added", "info", "", None),
    (
        "body-added-required",
        _add_get_body(True),
        "request-body-added-required",
        "breaking",
        "",
        None,
    ),
    ("req-media-removed", _rename_media(_BODY), "request-media-type-removed", "breaking", "", None),
    ("req-media-added", _rename_media(_BODY), "request-media-type-added", "info", "", None),
    (
        "req-prop-added",
        _set(_create, "extra", {"type": "string"}),
        "request-property-added",
        "info",
        "extra",
        None,
    ),
    (
        "req-prop-added-required",
        _add_required_extra,
        "request-property-added-required",
        "breaking",
        "extra",
        None,
    ),
    (
        "req-prop-removed",
        _del(_create, "code"),
        "request-property-removed",
        "warning",
        "code",
        None,
    ),
    (
        "req-prop-removed-closed",
        _closed_without_code,
        "request-property-removed-rejected",
        "breaking",
        "code",
        _close_create,
    ),
    (
        "req-became-required",
        _require_count,
        "request-property-became-required",
        "breaking",
        "count",
        None,
    ),
    (
        "req-became-optional",
        _unrequire_all,
        "request-property-became-optional",
        "info",
        "name",
        None,
    ),
    (
        "req-type-narrowed",
        _set(_in(_create, "count"), "type", "integer"),
        "request-type-narrowed",
        "breaking",
        "count",
        _set(_in(_create, "count"), "type", "number"),
    ),
    (
        "req-type-widened",
        _set(_in(_create, "count"), "type", "number"),
        "request-type-widened",
        "info",
        "count",
        None,
    ),
    (
        "req-type-changed",
        _set(_in(_create, "count"), "type", "string"),
        "request-type-changed",
        "breaking",
        "count",
        None,
    ),
    (
        "req-format-added",
        _set(_in(_create, "name"), "format", "email"),
        "request-format-added",
        "breaking",
        "name",
        None,
    ),
    (
        "req-not-nullable",
        _set(_create, "note", {"type": "string", "default": None}),
        "request-became-not-nullable",
        "breaking",
        "note",
        None,
    ),
    (
        "req-nullable",
        _set(_create, "state", _NULLABLE_STATE),
        "request-became-nullable",
        "info",
        "state",
        None,
    ),
    (
        "req-enum-removed",
        _set(_in(_create, "state"), "enum", ["A"]),
        "request-enum-value-removed",
        "breaking",
        "state",
        None,
    ),
    (
        "req-enum-added",
        _set(_in(_create, "state"), "enum", ["A", "B", "C"]),
        "request-enum-value-added",
        "info",
        "state",
        None,
    ),
    (
        "req-enum-new",
        _set(_in(_create, "code"), "enum", ["ab"]),
        "request-enum-added",
        "breaking",
        "code",
        None,
    ),
    (
        "req-max-length",
        _set(_in(_create, "name"), "maxLength", 20),
        "request-constraint-tightened",
        "breaking",
        "name",
        None,
    ),
    (
        "req-min-length-gone",
        _del(_in(_create, "name"), "minLength"),
        "request-constraint-loosened",
        "info",
        "name",
        None,
    ),
    (
        "req-max-items",
        _set(_in(_create, "tags"), "maxItems", 5),
        "request-constraint-tightened",
        "breaking",
        "tags",
        None,
    ),
    (
        "req-pattern-changed",
        _set(_in(_create, "code"), "pattern", "^[a-z]{2}$"),
        "request-pattern-changed",
        "breaking",
        "code",
        None,
    ),
    (
        "req-pattern-removed",
        _del(_in(_create, "code"), "pattern"),
        "request-pattern-removed",
        "info",
        "code",
        None,
    ),
    (
        "req-default",
        _set(_in(_create, "note"), "default", "x"),
        "request-default-changed",
        "warning",
        "note",
        None,
    ),
    ("req-closed", _close_create, "request-additional-properties-closed", "breaking", "", None),
    (
        "req-items-type",
        _set(_in(_in(_create, "tags"), "items"), "type", "integer"),
        "request-type-changed",
        "breaking",
        "tags[]",
        None,
    ),
    (
        "req-nested-required",
        _set(_in(_create, "nested"), "required", ["deep"]),
        "request-property-became-required",
        "breaking",
        "nested.deep",
        None,
    ),
    (
        "req-variant-removed",
        _set(_in(_create, "value"), "anyOf", [{"type": "string"}]),
        "request-type-narrowed",
        "breaking",
        "value",
        None,
    ),
    (
        "req-variant-gone",
        _set(_in(_create, "value"), "anyOf", [{"type": "string"}, {"type": "boolean"}]),
        "request-variant-removed",
        "breaking",
        "value",
        None,
    ),
    (
        "req-deprecated",
        _set(_in(_create, "code"), "deprecated", True),
        "request-property-deprecated",
        "info",
        "code",
        None,
    ),
    (
        "resp-prop-added",
        _set(_item, "extra", {"type": "string"}),
        "response-property-added",
        "info",
        "extra",
        None,
    ),
    (
        "resp-prop-removed-required",
        _del(_item, "name"),
        "response-property-removed-required",
        "breaking",
        "name",
        None,
    ),
    (
        "resp-prop-removed",
        _del(_item, "tags"),
        "response-property-removed",
        "warning",
        "tags",
        None,
    ),
    (
        "resp-became-optional",
        _unrequire_name,
        "response-property-became-optional",
        "breaking",
        "name",
        None,
    ),
    (
        "resp-enum-added",
        _set(_in(_item, "state"), "enum", ["A", "B", "C"]),
        "response-enum-value-added",
        "warning",
        "state",
        None,
    ),
    (
        "resp-enum-removed",
        _set(_in(_item, "state"), "enum", ["A"]),
        "response-enum-value-removed",
        "info",
        "state",
        None,
    ),
    (
        "resp-nullable",
        _set(_item, "name", _NULLABLE_NAME),
        "response-became-nullable",
        "breaking",
        "name",
        None,
    ),
    (
        "resp-type-widened",
        _set(_in(_item, "name"), "type", ["string", "integer"]),
        "response-type-widened",
        "breaking",
        "name",
        None,
    ),
    (
        "resp-format",
        _set(_in(_item, "id"), "format", "uri"),
        "response-format-changed",
        "warning",
        "id",
        None,
    ),
    (
        "resp-variant-added",
        _set(_in(_item, "value"), "anyOf", _VARIANTS),
        "response-variant-added",
        "warning",
        "value",
        None,
    ),
    (
        "resp-opened",
        _del(_item_schema, "additionalProperties"),
        "response-additional-properties-opened",
        "warning",
        "",
        _set(_item_schema, "additionalProperties", False),
    ),
    (
        "status-added",
        _set(_responses_of_get, "500", {"description": "oops"}),
        "response-status-added",
        "info",
        "",
        None,
    ),
    ("success-removed", _rename_status, "response-success-status-removed", "breaking", "", None),
    (
        "status-removed",
        _del(_responses_of_get, "404"),
        "response-status-removed",
        "warning",
        "",
        None,
    ),
    (
        "resp-media-removed",
        _rename_media(_response("200")),
        "response-media-type-removed",
        "breaking",
        "",
        None,
    ),
    (
        "resp-media-added",
        _rename_media(_response("201")),
        "response-media-type-added",
        "info",
        "",
        None,
    ),
    ("header-added", _set(_headers, "X-Trace", {}), "response-header-added", "info", "", None),
    (
        "header-removed",
        _del(_headers, "X-Rate-Limit"),
        "response-header-removed-required",
        "breaking",
        "",
        None,
    ),
    (
        "header-type",
        _set(_in(_in(_headers, "X-Rate-Limit"), "schema"), "type", "number"),
        "response-type-widened",
        "breaking",
        "",
        None,
    ),
    (
        "security-added",
        _set(_get, "security", [{"api_key": []}]),
        "security-added",
        "breaking",
        "",
        None,
    ),
    ("security-removed", _set(_post, "security", []), "security-removed", "info", "", None),
    (
        "security-alt-added",
        _set(_post, "security", _ALTERNATIVES),
        "security-alternative-added",
        "info",
        "",
        None,
    ),
    (
        "security-alt-removed",
        _set(_post, "security", [{"oauth": ["read"]}]),
        "security-alternative-removed",
        "breaking",
        "",
        None,
    ),
    (
        "security-scope-added",
        _set(_post, "security", [{"api_key": ["admin"]}]),
        "security-alternative-removed",
        "breaking",
        "",
        None,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "kind", "level", "field", "before"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_change_kind(
    mutate: Mutation, kind: str, level: str, field: str, before: Mutation | None
) -> None:
    old = _base()
    if before is not None:
        before(old)
    new = copy.deepcopy(old)
    mutate(new)
    found = {(c.kind, c.level, c.field) for c in diff_documents(old, new).changes}
    assert (kind, level, field) in found, found
    assert level_of(kind) == level


def test_cases_cover_forty_kinds() -> None:
    kinds = {case[2] for case in CASES}
    assert len(kinds) >= 40
    assert kinds <= set(all_kinds())


def _filter_doc() -> Doc:
    from tests.fixtures.filter_dsl_app import app

    return copy.deepcopy(app.openapi())


def _filter_schema(d: Doc, name: str) -> Doc:
    return d["components"]["schemas"][name]["properties"]  # type: ignore[no-any-return]


def _drop_like(d: Doc) -> None:
    del _filter_schema(d, "BookFilterTitle")["like_"]


def _add_eq(d: Doc) -> None:
    _filter_schema(d, "BookFilterTitle")["eq_"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}


def _drop_title(d: Doc) -> None:
    del _filter_schema(d, "BookFilter")["title"]


@pytest.mark.parametrize(
    ("mutate", "kind", "field"),
    [
        pytest.param(_drop_like, "filter-operator-removed", "books.title.like_", id="op-removed"),
        pytest.param(_add_eq, "filter-operator-added", "books.title.eq_", id="op-added"),
        pytest.param(_drop_title, "filter-field-removed", "books.title", id="field-removed"),
    ],
)
def test_filter_changes(mutate: Mutation, kind: str, field: str) -> None:
    old = _filter_doc()
    new = copy.deepcopy(old)
    mutate(new)
    changes = diff_documents(old, new).changes
    mine = [c for c in changes if c.path == "/books/filter"]
    assert (kind, field) in {(c.kind, c.field) for c in mine}
    # The filter change replaces the structural one it explains.
    assert not [
        c for c in mine if c.kind.startswith("request-property") and c.field.startswith(field)
    ]


def test_same_document_no_change() -> None:
    doc = _base()
    assert diff_documents(doc, copy.deepcopy(doc)).changes == ()
    dsl = _filter_doc()
    assert diff_documents(dsl, copy.deepcopy(dsl)).changes == ()


def _reordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def test_reordered_keys_no_change() -> None:
    doc = _base()
    doc["components"]["schemas"]["ItemCreate"]["required"] = ["name", "count"]
    other = _reordered(doc)
    other["components"]["schemas"]["ItemCreate"]["required"].reverse()
    _create(other)["state"]["enum"].reverse()
    assert list(other) != list(doc)
    assert diff_documents(doc, other).changes == ()


def _noise(d: Doc) -> None:
    """FastAPI's spellings of the same API: 3.0 `nullable`, twins, renamed `Body_*`, text."""
    schemas = d["components"]["schemas"]
    schemas["ItemCreate-Input"] = schemas.pop("ItemCreate")
    _post(d)["requestBody"]["content"]["application/json"]["schema"] = ref("ItemCreate-Input")
    create = _create_in(d)
    create["note"] = {"type": "string", "nullable": True, "default": None}
    create["name"]["description"] = "A new description"
    schemas["Item"]["title"] = "Renamed"
    _get(d)["summary"] = "Another summary"
    create["value"] = {"oneOf": [{"type": "integer"}, {"type": "string"}]}


def _create_in(d: Doc) -> Doc:
    return d["components"]["schemas"]["ItemCreate-Input"]["properties"]  # type: ignore[no-any-return]


def test_fastapi_noise_no_change() -> None:
    old = _base()
    new = copy.deepcopy(old)
    _noise(new)
    assert diff_documents(old, new).changes == ()


def test_renamed_body_schema_and_type_arrays_no_change() -> None:
    def body_doc(name: str, note: Any) -> Doc:
        schema = {"type": "object", "properties": {"note": note}}
        op = {
            "requestBody": {"content": {"application/json": {"schema": ref(name)}}},
            "responses": {"200": {"description": "ok"}},
        }
        return document(paths={"/x": {"post": op}}, schemas={name: schema})

    old = body_doc("Body_create_x_post", {"anyOf": [{"type": "string"}, {"type": "null"}]})
    new = body_doc("Body_create_x_x_post", {"type": ["string", "null"]})
    assert diff_documents(old, new).changes == ()


def test_cycles_are_bounded() -> None:
    node = {"type": "object", "properties": {"child": ref("Node"), "name": {"type": "string"}}}
    op = {
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": ref("Node")}}}
        }
    }
    old = document(paths={"/n": {"get": op}}, schemas={"Node": node})
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["name"]["type"] = "integer"
    fields = {c.field for c in diff_documents(old, new).changes}
    assert fields == {"name"}  # the change is reported once, where the cycle starts


def _result() -> DiffResult:
    old = _base()
    new = copy.deepcopy(old)
    _del(_item, "name")(new)
    _set(_create, "extra", {"type": "string"})(new)
    _set(_in(_item, "state"), "enum", ["A", "B", "C|`x`"])(new)
    return diff_documents(old, new)


def test_by_operation() -> None:
    grouped = _result().by_operation()
    assert set(grouped) == {("GET", "/items/{id}"), ("POST", "/items")}
    assert {c.kind for c in grouped[("POST", "/items")]} >= {"request-property-added"}


def test_markdown_report_escapes_and_links() -> None:
    text = to_markdown(_result(), link_base="../reference/")
    assert text.startswith("# T: changes from 1 to 1\n")
    for heading in ("## Breaking changes", "## Warnings", "## Other changes"):
        assert heading in text
    assert "[`GET /items/{id}`](../reference/" in text
    assert '"C|`x`"' not in text  # the pipe would end the table cell
    assert text.index("## Breaking changes") < text.index("## Warnings")


def test_json_and_github_reports() -> None:
    result = _result()
    data = json.loads(to_json(result))
    assert data["summary"]["breaking"] == result.count("breaking") > 0
    assert len(data["changes"]) == len(result.changes)
    lines = to_github(result).splitlines()
    assert len(lines) == len(result.changes)
    assert lines[0].startswith("::error title=breaking%3A POST /items::response property removed")
    assert any(line.startswith("::notice ") for line in lines)
    assert any(line.startswith("::warning ") for line in lines)


def _cli(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["diff", *map(str, args)])
    return status, out.getvalue(), err.getvalue()


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    old = _base()
    new = copy.deepcopy(old)
    _del(_item, "name")(new)
    (tmp_path / "old.json").write_text(json.dumps(old))
    with gzip.open(tmp_path / "new.json.gz", "wt") as stream:
        stream.write(json.dumps(new))
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "openapi.json").write_text(json.dumps(old))
    a, b = tmp_path / "old.json", tmp_path / "new.json.gz"

    assert _cli(a, folder, "--fail-on-breaking") == (0, _cli(a, folder)[1], "")
    status, text, _ = _cli(a, b)
    assert (status, text.startswith("# T: changes from 1 to 1")) == (0, True)
    status, text, _ = _cli(a, b, "--fail-on-breaking", "--format", "json")
    assert status == 1
    assert json.loads(text)["summary"]["breaking"] == 2  # Item is in two responses
    status, text, _ = _cli(a, b, "--format", "github")
    assert (status, text.splitlines()[0][:14]) == (0, "::error title=")
    status, _, _ = _cli(a, b, "--format", "github", "-o", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text().startswith("::error")
    assert status == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "no such file"),
        ("bad.json", "{", "invalid JSON"),
        ("bad.json.gz", "not gzip", "not a readable gzip file"),
        ("empty", "", "without openapi.json"),
    ],
)
def test_cli_errors(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_base()))
    target = tmp_path / name
    if name == "empty":
        target.mkdir()
    elif content is not None:
        target.write_text(content)
    status, out, err = _cli(good, target)
    assert (status, out) == (2, "")
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1


def test_union_against_plain_schema_compares_the_matching_member() -> None:
    """Prefect 3.9's durations: `string(duration)` -> `anyOf [number >= 0, string(duration)]`."""
    old = _base()
    new = copy.deepcopy(old)
    _create(old)["code"] = {"type": "string", "format": "duration"}
    _create(new)["code"] = {
        "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "format": "duration"}],
        "minimum": 0,
    }
    found = {(c.kind, c.field) for c in diff_documents(old, new).changes}
    assert found == {("request-type-widened", "code")}


def test_equal_date_time_defaults_are_no_change() -> None:
    old = _base()
    since = {"type": "string", "format": "date-time", "default": "0001-01-01T00:00:00+00:00"}
    _create(old)["since"] = since
    new = copy.deepcopy(old)
    _create(new)["since"]["default"] = "0001-01-01T00:00:00Z"
    assert diff_documents(old, new).changes == ()
    _create(new)["since"]["default"] = "2000-01-01T00:00:00Z"
    assert [c.kind for c in diff_documents(old, new).changes] == ["request-default-changed"]


def test_node_budget_stops_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.diff import compare, schema

    monkeypatch.setattr(compare, "Budget", lambda: schema.Budget(left=3))
    old = _base()
    new = copy.deepcopy(old)
    _set(_in(_item, "name"), "type", "integer")(new)
    result = diff_documents(old, new)
    assert result.warnings
    assert "stopped comparing schemas" in result.warnings[0]
    assert "::warning::stopped comparing" in to_github(result)


def test_spec_text_is_escaped_in_markdown() -> None:
    old = _base()
    new = copy.deepcopy(old)
    hostile = "/x|{{ y }}<script>`"
    new["paths"][hostile] = {"get": {"responses": {}}}
    new["info"]["version"] = "2 <img src=x onerror=alert(1)>"
    _set(_in(_item, "state"), "enum", ["A", "B", "<b>|{% x %}"])(new)
    text = to_markdown(diff_documents(old, new))
    for raw in ("<script>", "<img", "{{ y }}", "{% x %}", "<b>|"):
        assert raw not in text


def test_cli_compares_app_targets() -> None:
    target = "app:tests.fixtures.shop_app:app"
    status, out, err = _cli(target, target, "--format", "json", "--fail-on-breaking")
    assert (status, err) == (0, "")
    assert json.loads(out)["changes"] == []
