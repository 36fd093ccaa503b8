"""User templates: one macro or one block replaced, and nothing else on any page changes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.errors import GeneratorError
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions

MACRO_OVERRIDE = """\
{% extends "default/_macros.md.jinja2" %}
{% macro field_table(fields) -%}
MARK-FIELDS
{{ default_field_table(fields) }}
{%- endmacro %}
"""
BLOCK_OVERRIDE = """\
{% extends "default/tag.md.jinja2" %}
{% block description %}
{{ super() }}
MARK-TAG {{ tag.name | cell }}

{% endblock %}
"""
MARKS = re.compile(r"^MARK-(FIELDS|TAG .*)\n", re.M)


def markdown_pages(doc: dict[str, Any], templates: Path | None = None) -> dict[str, str]:
    result = generate_pages(doc, RenderOptions(templates=templates))
    return {p.path: p.text for p in result.pages if p.path.endswith(".md")}


def without_marks(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", MARKS.sub("", text))


@pytest.mark.parametrize("name", ["zoo", "shop", "library"])
def test_one_macro_and_one_block_change_only_their_part(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    doc: dict[str, Any] = request.getfixturevalue(f"{name}_openapi")
    (tmp_path / "_macros.md.jinja2").write_text(MACRO_OVERRIDE, "utf-8")
    (tmp_path / "tag.md.jinja2").write_text(BLOCK_OVERRIDE, "utf-8")
    default = markdown_pages(doc)
    custom = markdown_pages(doc, tmp_path)
    assert custom.keys() == default.keys()
    changed = [path for path in default if custom[path] != default[path]]
    assert changed  # the overrides took effect
    for path in default:
        assert without_marks(custom[path]) == without_marks(default[path]), path
    # The macro is replaced everywhere, also where another macro (`alternatives`) calls it.
    tables = sum(text.count("| Field | Type | Description |") for text in default.values())
    marks = sum(text.count("MARK-FIELDS") for text in custom.values())
    assert tables
    assert marks == tables
    tags = [tag.page for tag in generate_pages(doc, RenderOptions()).api.tags]
    assert tags
    assert all("\nMARK-TAG " in custom[path] for path in tags)
    assert sum(text.count("MARK-TAG") for text in custom.values()) == len(tags)


def test_defaults_stay_reachable_without_overrides(tmp_path: Path) -> None:
    (tmp_path / "schema.md.jinja2").write_text(
        '{% extends "default/schema.md.jinja2" %}{% block example %}{% endblock %}', "utf-8"
    )
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": {"a": {}}}}},
    }
    pages = markdown_pages(doc, tmp_path)
    assert "## Example" not in pages["schemas/a.md"]
    assert "## Fields" in pages["schemas/a.md"]


def test_an_error_in_a_user_template_names_it(tmp_path: Path) -> None:
    (tmp_path / "tag.md.jinja2").write_text("{% block x %}{{ missing }}{% endblock %}", "utf-8")
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"tags": ["t"], "responses": {"200": {"description": "ok"}}}}},
    }
    with pytest.raises(GeneratorError, match=r"tag\.md\.jinja2"):
        markdown_pages(doc, tmp_path)


def test_a_block_of_the_filtering_templates_can_be_replaced(tmp_path: Path) -> None:
    from tests.fixtures.filter_dsl_app import app

    doc = app.openapi()
    (tmp_path / "filtering_guide.md.jinja2").write_text(
        '{% extends "default/filtering_guide.md.jinja2" %}\n'
        "{% block sorting %}\n## Sorting\n\nMARK-SORTING\n\n{% endblock %}\n",
        "utf-8",
    )
    (tmp_path / "filtering.md.jinja2").write_text(
        '{% extends "default/filtering.md.jinja2" %}\n{% block examples %}{% endblock %}\n',
        "utf-8",
    )
    default = markdown_pages(doc)
    custom = markdown_pages(doc, tmp_path)
    guide = custom["filtering.md"]
    assert "MARK-SORTING" in guide
    assert "## Sorting and pagination" in default["filtering.md"]
    assert "## Sorting and pagination" not in guide
    assert "## Filter objects" in guide  # the other blocks are kept
    with_examples = [p for p, text in default.items() if "### Examples" in text]
    assert with_examples
    for path in with_examples:
        assert "### Examples" not in custom[path]
        assert "## Filtering" in custom[path]


def test_an_authors_null_example_is_shown() -> None:
    accepted = {"schema": {"type": "object"}, "examples": {"default": {"value": None}}}
    responses = {"202": {"description": "Accepted", "content": {"application/json": accepted}}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"post": {"tags": ["t"], "responses": responses}}},
    }
    page = markdown_pages(doc)["t/post-a.md"]
    assert '??? example "Example response"\n\n    ```json\n    null\n    ```' in page
