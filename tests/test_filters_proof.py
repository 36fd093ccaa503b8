"""`auto` finds a filter language only where the structure proves one, and says only what is true.

Three fixtures that are not Prefect-style filter languages: an RPC app whose bodies nest closed
objects with Python-style `type_`/`id_` keys (nothing to find), and a Mongo-style `where` API
with `$eq` operators (a different language: `auto` says nothing, `on` names its operators as
they are). Prefect and the library DSL must still be found; every example emitted validates.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.filters import QueryLanguage, analyse
from generator.load.documents import load_spec_file
from generator.model.api import build_api
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions
from tests.schema_validation import DocumentValidators, escape

FIXTURES = Path(__file__).parent / "fixtures"
# What the guide used to say whatever the API: operators and sorts that may not exist.
PREFECT_WORDS = ("`any_`", "`before_`", "`or_`", "_ASC", "`page`")


def _rpc() -> dict[str, Any]:
    from tests.fixtures.rpc_app import app

    return copy.deepcopy(app.openapi())


def _dsl() -> dict[str, Any]:
    from tests.fixtures.filter_dsl_app import app

    return copy.deepcopy(app.openapi())


def _where() -> dict[str, Any]:
    return load_spec_file(FIXTURES / "where_eq-3.1.yaml")


def _filter_pages(doc: dict[str, Any], mode: Any) -> dict[str, str]:
    pages = generate_pages(copy.deepcopy(doc), RenderOptions(filters=mode)).pages
    return {p.path: p.text for p in pages if "## Filtering" in p.text or p.path == "filtering.md"}


def _assert_examples_validate(doc: dict[str, Any], language: QueryLanguage) -> int:
    validators = DocumentValidators(doc)
    for op, example in language.examples:
        pointer = (
            f"/paths/{escape(op.path)}/{op.method.lower()}/requestBody/content/"
            "application~1json/schema"
        )
        errors = validators.errors(pointer, example.body, "request")
        assert not errors, f"{op.method} {op.path} {example.title}: {errors}"
    return len(language.examples)


def test_rpc_bodies_are_not_a_language() -> None:
    doc = _rpc()
    assert analyse(build_api(copy.deepcopy(doc))).operations == ()
    assert _filter_pages(doc, "auto") == {}


def test_rpc_bodies_lack_only_the_proof() -> None:
    # `on` still finds the lookalike, so `auto` rejects it for want of proof, not of looking.
    language = analyse(build_api(_rpc()), mode="on")
    assert {op.path for op in language.operations} == {"/rpc/copy", "/rpc/report", "/rpc/move"}
    assert {"type_", "id_"} <= set(language.operator_names)


def test_mongo_style_where_says_nothing_in_auto() -> None:
    doc = _where()
    assert analyse(build_api(copy.deepcopy(doc))).operations == ()
    assert _filter_pages(doc, "auto") == {}


def test_mongo_style_where_is_described_as_it_is_when_asked() -> None:
    doc = _where()
    language = analyse(build_api(copy.deepcopy(doc)), mode="on")
    assert language.operators == ()  # no `word_` operators in this API
    assert {info.name for info in language.keyword_operators} >= {"$eq", "$in", "$gt"}
    pages = _filter_pages(doc, "on")
    guide = pages["filtering.md"]
    assert "under the key `where`" in guide
    assert "keys such as ." not in guide
    assert "under keys such as" not in guide
    for word in PREFECT_WORDS:
        assert word not in guide, word
    for path, text in pages.items():
        assert "`operator` is `or_`" not in text, path
        assert "| --- | --- | --- | --- |\n\n" not in text, f"empty table in {path}"
    assert "| `$eq` |" in guide
    assert _assert_examples_validate(doc, language) > 0


def test_a_guide_names_only_what_the_api_has() -> None:
    guide = _filter_pages(_dsl(), "auto")["filtering.md"]
    assert "`page`" not in guide  # the library pages with limit/offset only
    assert "`TITLE_ASC`" in guide
    assert "..._ASC" not in guide
    assert "Operator names end with an underscore (`any_`, `not_any_`)" in guide


def test_paging_alone_is_not_a_language() -> None:
    body = {
        "type": "object",
        "properties": {"limit": {"type": "integer"}, "offset": {"type": "integer"}},
    }
    operation = {
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "OK"}},
    }
    info = {"title": "t", "version": "1"}
    doc = {"openapi": "3.1.0", "info": info, "paths": {"/q": {"post": operation}}}
    for mode in ("auto", "on"):
        assert analyse(build_api(copy.deepcopy(doc)), mode=mode).operations == ()
        assert _filter_pages(doc, mode) == {}


def test_required_operators_make_a_record_not_a_criterion() -> None:
    # The library DSL, with `any_` required in one criterion: one fewer object offers `any_`
    # optionally, but others still do, so the language stands; with every criterion required,
    # nothing is left to prove it.
    doc = _dsl()
    schemas = doc["components"]["schemas"]
    entities = ("BookFilter", "AuthorFilter")
    criteria = [n for n in schemas if n.startswith(entities) and n not in entities]
    assert len(criteria) >= 4
    schemas[criteria[0]]["required"] = list(schemas[criteria[0]]["properties"])
    assert analyse(build_api(copy.deepcopy(doc))).operations != ()
    for name in criteria:
        schemas[name]["required"] = list(schemas[name]["properties"])
    assert analyse(build_api(copy.deepcopy(doc))).operations == ()


@pytest.mark.parametrize("make", [_dsl, _rpc, _where], ids=["dsl", "rpc", "where"])
@pytest.mark.parametrize("mode", ["auto", "on"])
def test_every_example_validates(make: Any, mode: Any) -> None:
    doc = make()
    _assert_examples_validate(doc, analyse(build_api(copy.deepcopy(doc)), mode=mode))


def test_the_example_check_rejects_what_a_server_would() -> None:
    from generator.filters.check import fits
    from generator.model.resolver import SchemaIndex

    crit = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id_"],
        "properties": {"id_": {"type": "integer"}, "kind": {"enum": ["a", "b"]}},
    }
    index = SchemaIndex({"components": {"schemas": {"Crit": crit}}})
    ref = {"$ref": "#/components/schemas/Crit"}
    assert fits(index, ref, {"id_": 1, "kind": "a"})
    assert not fits(index, ref, {"kind": "a"})  # required key missing
    assert not fits(index, ref, {"id_": 1, "other": 2})  # closed object
    assert not fits(index, ref, {"id_": True})  # a boolean is not an integer
    assert not fits(index, ref, {"id_": 1, "kind": "c"})  # not in the enum
    nullable = {"anyOf": [ref, {"type": "null"}]}
    assert fits(index, nullable, None)
    assert not fits(index, nullable, {"id_": "1"})
