"""The filter query-language stage over Prefect's OpenAPI document and a small look-alike API."""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.filters import FilterExample, OperationFilters, QueryLanguage, analyse
from generator.model.api import build_api
from generator.render.filtering import FilterText
from generator.render.pages import RenderOptions, make_environment

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "filters"
UPDATE = os.environ.get("RESTREF_UPDATE_GOLDEN") == "1"
BASE_URL = "http://127.0.0.1:4200/api"
DOC_URI = "urn:restref:test-document"
TITLE = FilterText(BASE_URL).prose  # an example's title as the pages show it
QUERY_WORDS = ("filter", "count", "history", "paginate")


@pytest.fixture(scope="session")
def prefect_openapi() -> dict[str, Any]:
    """Prefect's OpenAPI document, generated in-process (no server, no UI)."""
    os.environ["PREFECT_UI_ENABLED"] = "false"
    from prefect.server.api.server import create_app

    return copy.deepcopy(create_app(ephemeral=True).openapi())


@pytest.fixture(scope="session")
def prefect_language(prefect_openapi: dict[str, Any]) -> QueryLanguage:
    return analyse(build_api(copy.deepcopy(prefect_openapi)))


def filters_for(language: QueryLanguage, method: str, path: str) -> OperationFilters | None:
    """The filtering model of the operation `method` `path`, looked up for a test."""
    found = [f for f in language.operations if (f.method, f.path) == (method.upper(), path)]
    return found[0] if found else None


@pytest.fixture(scope="session")
def dsl_openapi() -> dict[str, Any]:
    from tests.fixtures.filter_dsl_app import app

    return copy.deepcopy(app.openapi())


def templates() -> jinja2.Environment:
    """The environment the renderer uses, with its Markdown filters."""
    return make_environment(RenderOptions())


def body_validator(doc: dict[str, Any], op: OperationFilters) -> Draft202012Validator:
    """A validator for the JSON request body of `op`, with `#/components/...` resolvable."""
    resource = Resource.from_contents(doc, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(DOC_URI, resource)
    path = op.path.replace("~", "~0").replace("/", "~1")
    pointer = f"/paths/{path}/{op.method.lower()}/requestBody/content/application~1json/schema"
    return Draft202012Validator({"$ref": f"{DOC_URI}#{pointer}"}, registry=registry)


# --- Prefect --------------------------------------------------------------------------------


def test_query_operations_have_filtering_models(prefect_language: QueryLanguage) -> None:
    query_ops = [op for op in prefect_language.operations if any(w in op.path for w in QUERY_WORDS)]
    assert len(query_ops) >= 40
    flows = filters_for(prefect_language, "post", "/flows/filter")
    assert flows is not None
    assert prefect_language.for_operation(flows.operation) is flows
    assert filters_for(prefect_language, "POST", "/flows/") is None


def test_enough_examples(prefect_language: QueryLanguage) -> None:
    assert len(prefect_language.examples) >= 120
    for op in prefect_language.operations:
        assert len(op.examples) <= 8, op.path
        titles = [TITLE(ex.title) for ex in op.examples]
        assert len(set(titles)) == len(titles), op.path


def test_every_example_validates(
    prefect_openapi: dict[str, Any], prefect_language: QueryLanguage
) -> None:
    failures = []
    for op, example in prefect_language.examples:
        errors = list(body_validator(prefect_openapi, op).iter_errors(example.body))
        if errors:
            failures.append(f"{op.method} {op.path} {example.title}: {errors[0].message}")
    assert not failures, "\n".join(failures)


def test_flows_filter_model(prefect_language: QueryLanguage) -> None:
    op = filters_for(prefect_language, "POST", "/flows/filter")
    assert op is not None
    assert op.primary == "flows"
    assert [e.key for e in op.entities] == [
        "flows",
        "flow_runs",
        "task_runs",
        "deployments",
        "work_pools",
    ]
    assert op.sort is not None
    assert "NAME_DESC" in op.sort.values
    assert {p.key for p in op.pagination} == {"limit", "offset"}
    runs = op.entity("flow_runs")
    assert runs is not None
    assert runs.combinator is not None
    assert runs.combinator.values == ("and_", "or_")
    assert runs.combinator.default == "and_"
    state_type = runs.field("state.type")
    assert state_type is not None
    any_ = state_type.operator("any_")
    assert any_ is not None
    assert "FAILED" in any_.value.enum
    assert any_.value.is_list
    titles = {TITLE(ex.title) for ex in op.examples}
    assert {"Match by name", "Combine criteria with `or_`", "Sort and paginate"} <= titles
    cross = next(ex for ex in op.examples if TITLE(ex.title).startswith("Filter through"))
    assert cross.body == {
        "flows": {"tags": {"all_": ["database"]}},
        "flow_runs": {"state": {"type": {"any_": ["FAILED"]}}},
    }


def test_operators_found(prefect_language: QueryLanguage) -> None:
    names = {info.name for info in prefect_language.operators}
    expected = {"any_", "not_any_", "all_", "like_", "startswith_", "is_null_", "exists_"}
    assert expected | {"eq_", "before_", "after_", "ge_", "le_"} <= names
    any_ = next(info for info in prefect_language.operators if info.name == "any_")
    assert "FlowFilter.name" in any_.fields
    keyword = {info.name for info in prefect_language.keyword_operators}
    assert {"since", "until", "prefix"} <= keyword  # EventFilter's own style


def test_curl_round_trips(prefect_language: QueryLanguage) -> None:
    text = FilterText(BASE_URL)
    for op, example in prefect_language.examples:
        args = shlex.split(text.curl(op, example).replace("\\\n", " "))
        assert args[:3] == ["curl", "-X", op.method]
        assert args[3].startswith(BASE_URL)
        assert "{" not in args[3]
        assert json.loads(args[args.index("-d") + 1]) == example.body


def test_curl_quotes_for_the_shell(prefect_language: QueryLanguage) -> None:
    op = filters_for(prefect_language, "POST", "/work_pools/{work_pool_name}/queues/filter")
    assert op is not None
    hostile = "o'brien $(touch pwned) `id` !#"
    example = FilterExample(("t",), ("e",), {"work_queues": {"name": {"any_": [hostile]}}})
    command = FilterText(BASE_URL + "/$HOME!#").curl(op, example)
    args = shlex.split(command.replace("\\\n", " "))
    assert json.loads(args[-1]) == example.body
    assert args[3] == BASE_URL + "/$HOME!#/work_pools/<work_pool_name>/queues/filter"
    # Inside double quotes or bare, a shell expands `$`, backticks and `!`: only single will do.
    assert _unquoted_specials(command) == []


def _unquoted_specials(command: str) -> list[str]:
    """Characters a shell would expand that are not inside single quotes."""
    found, quote = [], ""
    for char in command:
        if quote:
            quote = "" if char == quote else quote
            if quote == '"' and char in "$`!":
                found.append(char)
        elif char in "'\"":
            quote = char
        elif char in "$`!":
            found.append(char)
    return found


def test_analysis_is_pure_and_deterministic(prefect_openapi: dict[str, Any]) -> None:
    before = json.dumps(prefect_openapi, sort_keys=True)
    first, second = analyse(build_api(prefect_openapi)), analyse(build_api(prefect_openapi))
    assert json.dumps(prefect_openapi, sort_keys=True) == before
    assert [json.dumps(ex.body) for _, ex in first.examples] == [
        json.dumps(ex.body) for _, ex in second.examples
    ]


def test_cyclic_schemas_terminate() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "paths": {
            "/nodes/filter": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Body"}}
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Body": {
                    "type": "object",
                    "properties": {"nodes": {"$ref": "#/components/schemas/NodeFilter"}},
                },
                "NodeFilter": {
                    "type": "object",
                    "properties": {
                        "name": {"$ref": "#/components/schemas/NodeFilterName"},
                        "parent": {"$ref": "#/components/schemas/NodeFilter"},
                        "loop": {"$ref": "#/components/schemas/Loop"},
                    },
                },
                "NodeFilterName": {
                    "type": "object",
                    "properties": {"any_": {"type": "array", "items": {"type": "string"}}},
                },
                "Loop": {"$ref": "#/components/schemas/Loop"},
            }
        },
    }
    language = analyse(build_api(doc), mode="on")  # one criterion proves no language
    op = filters_for(language, "POST", "/nodes/filter")
    assert op is not None
    assert op.primary_entity is not None
    assert [f.name for f in op.primary_entity.fields] == ["name"]


# --- the look-alike DSL: golden files ------------------------------------------------------


def rendered_sections(doc: dict[str, Any]) -> dict[str, str]:
    language = analyse(build_api(doc))
    env = templates()
    text = FilterText(BASE_URL)
    files = {}
    for op in language.operations:
        name = op.path.strip("/").replace("/", "-") + ".md"
        files[name] = env.get_template("filtering.md.jinja2").render(filtering=op, filter_text=text)
    files["guide.md"] = env.get_template("filtering_guide.md.jinja2").render(
        language=language, filter_text=text, link=lambda target: target
    )
    return files


def test_dsl_golden(dsl_openapi: dict[str, Any]) -> None:
    files = rendered_sections(dsl_openapi)
    assert set(files) == {"books-filter.md", "books-count.md", "authors-filter.md", "guide.md"}
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    hint = (
        "rendered filter section differs from tests/golden/filters/{}; if the change is "
        "intended, regenerate with: RESTREF_UPDATE_GOLDEN=1 pytest tests/test_filters.py"
    )
    for name, text in files.items():
        golden = GOLDEN / name
        assert golden.exists(), hint.format(name)
        assert text == golden.read_text(encoding="utf-8"), hint.format(name)


def test_dsl_examples_validate(dsl_openapi: dict[str, Any]) -> None:
    language = analyse(build_api(dsl_openapi))
    assert len(language.operations) == 3  # POST /books takes no filters
    for op, example in language.examples:
        errors = list(body_validator(dsl_openapi, op).iter_errors(example.body))
        assert not errors, f"{op.path} {example.title}: {errors[0].message}"
    books = filters_for(language, "POST", "/books/filter")
    assert books is not None
    assert books.primary == "books"
    cross = next(ex for ex in books.examples if TITLE(ex.title).startswith("Filter through"))
    assert set(cross.body) == {"authors"}


def test_dsl_renders_escaped_cells(dsl_openapi: dict[str, Any]) -> None:
    text = rendered_sections(dsl_openapi)["books-filter.md"]
    assert "`%` \\| `_`" in text  # the fixture's description has a pipe
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows
    for line in rows:
        assert len(re.findall(r"(?<!\\)\|", line)) == 5, line
