"""Descriptions as readers see them: safe HTML rendered everywhere, links that lead somewhere.

Spec text reaches a page in many places (info, tags, operations, parameters and fields in table
cells, responses, schema pages). In each, safe HTML renders, block HTML in a table cell is
flattened to inline HTML, harmless elements outside the allow-list (`<div>`, AWS's `<note>`,
Stripe's `<currency>`) lose their tags but keep their text, and no tag is ever shown escaped.
Links to the spec author's site (`/docs/guide`, `../x`) are resolved against the document's
`externalDocs` URL, or shown as text with the path; a bare `#anchor` becomes text.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown.extensions import Extension

from generator.load.documents import load_spec_file
from generator.model.api import build_api
from generator.pipeline import generate_pages
from generator.render import escape
from generator.render.markdown_extension import RestrefExtension
from generator.render.pages import RenderOptions
from generator.site.defaults import MARKDOWN_EXTENSIONS

SPEC = Path(__file__).parent / "fixtures" / "descriptions-3.0.yaml"
DOCS = "https://docs.ledger.example"
ESCAPED_TAG = re.compile(r"&lt;/?[a-z]+[\s>&]|\u2039/?[a-z]+[\s\u203a]", re.I)


def to_html(text: str) -> str:
    """`text` rendered as the site renders it, with the post-render sanitiser."""
    configs = {name: config for name, config in MARKDOWN_EXTENSIONS.items() if config}
    extensions: list[str | Extension] = [*MARKDOWN_EXTENSIONS, RestrefExtension(scope="all")]
    return markdown.markdown(text, extensions=extensions, extension_configs=configs)


def cell_html(text: str) -> str:
    """The HTML of one table cell holding `text`."""
    html = to_html(f"| a | b |\n| --- | --- |\n| x | {escape.table_cell(text)} |\n")
    cells: list[str] = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert len(cells) == 2, html  # the row kept its two cells
    return cells[1]


# --- HTML ------------------------------------------------------------------------------------


def test_block_html_in_a_cell_is_flattened_to_inline() -> None:
    cell = cell_html(
        "<p>The <b>booking</b> day, as <code>YYYY-MM-DD</code>.</p>"
        '<p>See <a href="https://x.example/d">dates</a>.</p><ul><li>past</li><li>today</li></ul>'
    )
    assert "<b>booking</b>" in cell
    assert "<code>YYYY-MM-DD</code>" in cell
    assert '<a href="https://x.example/d">dates</a>' in cell
    assert "<br>" in cell
    assert "\u2022 past<br>\u2022 today" in cell
    for block in ("<p", "<ul", "<li", "<div"):
        assert block not in cell
    assert not ESCAPED_TAG.search(cell), cell


def test_unsafe_html_in_a_cell_is_still_removed() -> None:
    cell = cell_html(
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(1)">j</a>'
        '<note onmouseover="alert(1)">n</note><div style="x">d</div>'
    )
    assert "alert" not in cell
    assert "javascript" not in cell
    assert "on" + "click" not in cell
    assert "style" not in cell
    assert re.sub(r"<[^>]*>", "", cell).replace("<br>", "") == "ajnd"


@pytest.mark.parametrize("place", ["prose", "cell", "heading"])
def test_harmless_elements_lose_their_tags_not_their_text(place: str) -> None:
    text = (
        '<div class="custom-paragraph">Returns the result</div> of '
        "<currency>100</currency> <note>only</note>"
    )
    rendered = {
        "prose": lambda: to_html(escape.markdown_text(text)),
        "cell": lambda: cell_html(text),
        "heading": lambda: to_html("# " + escape.heading_text(text)),
    }[place]()
    assert not ESCAPED_TAG.search(rendered), rendered
    assert "custom-paragraph" not in rendered
    assert "Returns the result" in rendered
    assert "100" in rendered


def test_text_that_only_looks_like_a_tag_stays_text() -> None:
    html = to_html(escape.markdown_text("Use List<T>, <flow_id> and <data> here; a < b."))
    assert "List&lt;T&gt;, &lt;flow_id&gt; and &lt;data&gt; here; a &lt; b." in html


def test_indented_text_after_a_removed_tag_is_not_a_code_block() -> None:
    text = (
        '<p>\n  <div class="c">\n    Returns the result, see <a href="https://o.dev/">o</a>'
        "\n  </div>\n</p>"
    )
    html = to_html(escape.markdown_text(text))
    assert "<pre>" not in html
    assert '<a href="https://o.dev/">o</a>' in html


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("[g](/docs/guide)", None, "g (<code>/docs/guide</code>)"),
        ("[g](../x)", None, "g (<code>../x</code>)"),
        ("[top](#errors)", None, "top"),
        ('<a href="/docs/o">o</a>', None, "o (<code>/docs/o</code>)"),
        ("[g](/docs/guide)", f"{DOCS}/ref/", f'<a href="{DOCS}/docs/guide">g</a>'),
        ("[g](../x)", f"{DOCS}/ref/a/", f'<a href="{DOCS}/ref/x">g</a>'),
        ('<a href="/docs/o">o</a>', f"{DOCS}/ref/", f'<a href="{DOCS}/docs/o">o</a>'),
        ("[top](#errors)", f"{DOCS}/ref/", "top"),
        ("[a](https://a.example/x)", None, '<a href="https://a.example/x">a</a>'),
        ("`[c](/code)`", None, "<code>[c](/code)</code>"),
    ],
)
def test_site_relative_links(text: str, base: str | None, expected: str) -> None:
    html = to_html(escape.markdown_text(f"See {text} now.", link_base=base))
    assert f"See {expected} now." in html.replace("&#47;", "/")
    html = cell_html(text) if base is None else html
    assert 'href="/' not in html
    assert 'href="#' not in html
    assert 'href="..' not in html


def test_the_docs_url_must_be_a_web_address() -> None:
    def docs_url(url: Any) -> str | None:
        doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
        return build_api({**doc, "externalDocs": {"url": url}}).docs_url

    assert docs_url("https://docs.example/ref/") == "https://docs.example/ref/"
    assert docs_url("javascript:alert(1)//https://x") is None
    assert docs_url("/relative/docs") is None
    assert docs_url(["not", "a", "string"]) is None
    html = to_html(escape.markdown_text("[g](/a b)", link_base="https://d.example/x) y"))
    assert "javascript" not in html
    base = 'https://d.example/(x)"y/'
    html = to_html(escape.markdown_text("[g](/docs/g)", link_base=base))
    assert '<a href="https://d.example/docs/g">g</a>' in html


# --- every place on the pages ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger() -> dict[str, Any]:
    return load_spec_file(SPEC)


def _site(doc: dict[str, Any]) -> dict[str, str]:
    pages = generate_pages(copy.deepcopy(doc), RenderOptions()).pages
    return {p.path: to_html(p.text) for p in pages if p.path.endswith(".md")}


def test_every_place_renders_html_and_no_escaped_tags(ledger: dict[str, Any]) -> None:
    site = _site(ledger)
    everything = "\n".join(site.values())
    assert not ESCAPED_TAG.search(everything), ESCAPED_TAG.search(everything)
    assert "alert" not in everything
    index, tag = site["index.md"], site["entries/index.md"]
    operation, schema = site["entries/get-entries.md"], site["schemas/entry.md"]
    assert "The <b>Ledger</b> API" in index
    assert "<code>entries</code>" in tag
    assert "Older entries are archived" in operation
    assert "Amounts are in EUR" in operation
    assert "The entries, newest first." in operation  # a response heading: text only
    assert "<b>booking</b> day" in operation  # a parameter's table cell
    assert "<b>entry</b>" in schema
    for page in (operation, schema):
        for row in re.findall(r"<tr>.*?</tr>", page, re.S):
            assert "<p>" not in row, row
            assert "<ul>" not in row, row


def test_every_place_resolves_site_links_against_external_docs(ledger: dict[str, Any]) -> None:
    site = _site(ledger)
    everything = "\n".join(site.values())
    for path in ("/docs/overview", "/docs/guide", "/docs/dates", "/docs/signs", "/concepts"):
        assert f'href="{DOCS}{path}"' in everything, path
    assert not re.search(r'href="(?:/docs|\.\./concepts|#errors)', everything)


def test_without_external_docs_site_links_are_text(ledger: dict[str, Any]) -> None:
    doc = copy.deepcopy(ledger)
    del doc["externalDocs"]
    everything = "\n".join(_site(doc).values()).replace("&#47;", "/")
    assert "guide (<code>/docs/guide</code>)" in everything
    assert "dates (<code>/docs/dates</code>)" in everything
    assert not re.search(r'href="(?:/docs|\.\./concepts|#errors)', everything)


# --- YAML dates --------------------------------------------------------------------------------


def test_unquoted_yaml_dates_stay_as_written(ledger: dict[str, Any]) -> None:
    assert ledger["info"]["version"] == "2024-01-01"
    params = ledger["paths"]["/entries"]["get"]["parameters"]
    assert params[0]["schema"]["example"] == "2024-01-01"
    assert params[1]["schema"]["default"] == "2024-01-01T10:00:00Z"
    rates = ledger["components"]["schemas"]["Entry"]["properties"]["rates"]["example"]
    assert rates == {"2024-01-01": 1.1, "2024-01-02": 1.2}
    operation = "\n".join(
        p.text for p in generate_pages(copy.deepcopy(ledger), RenderOptions()).pages
    )
    assert "2024-01-01T10:00:00Z" in operation
    assert '"2024-01-01": 1.1' in operation


def test_the_plugin_loads_yaml_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.entry_points import use_tree_plugin
    from tests.test_plugin import build_site, make_site

    use_tree_plugin(monkeypatch)
    site = build_site(make_site(tmp_path, {"spec": str(SPEC), "out": "api"}))
    page = (site / "api" / "entries" / "get-entries" / "index.html").read_text(encoding="utf-8")
    assert "2024-01-01T10:00:00Z" in page
    home = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert "2024-01-01" in home
