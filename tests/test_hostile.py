# ruff: noqa: E501  (the table in the docstring has long rows)
"""Hostile specs: untrusted text, names and output folders, one test per case.

"Markdown" below means the generated page; "HTML" means that page rendered by Python-Markdown
with the extensions the plugin configures (what MkDocs does), checked with an HTML parser for
live `<script>` elements, `on*=` handler attributes and `javascript:`/`vbscript:`/`data:`
targets (entities decoded once, as browsers do).

| Case | What restref does (what the test asserts) |
| --- | --- |
| `<script>alert(1)</script>`, `<img src=x onerror=alert(1)>` in info, tag, operation, parameter, response, schema and field descriptions, in summaries | removed by the allow-list sanitiser at generation time (the script with its content, the handler attribute); the text around stays; no raw tag in any page, no live HTML |
| the same in tag names, schema names, operationIds, paths | no live HTML in any page (names appear escaped or in code spans) |
| the same in summaries / tag names as nav titles and headings | `nav_title` and `heading_text` remove the markup (a name of nothing but markup is shown as written); every `<`/`>` left becomes a look-alike angle quote (U+2039, U+203A) (themes decode entities in titles) |
| `--trusted-html` / `RenderOptions(trusted_html=True)` | raw HTML is kept as written; `javascript:` links still become fragment links; without it, safe HTML (`<b>bold</b>`) is kept too, but sanitised |
| in info, parameter and field descriptions: `[x](javascript:alert(1))`, `JaVaScRiPt:`, ` javascript:`, `<javascript:...>`, images, `vbscript:`, `data:`, `file:`, reference definitions `[r]: javascript:...` | `#` is put before the target (a harmless fragment link); no dangerous `href`/`src` in HTML |
| `[x](javascript&colon;...)`, `[x](&#106;avascript:...)` | `&` is escaped outside code, so entities stay text: no `javascript:` href |
| `- [r]: javascript:...` (reference definition inside a list item) | neutralised (`#` before the target) |
| ``[x](`javascript:...`)`` (target in a code span) | neutralised: links are checked before code is set apart |
| `[x](javascript:alert(1)\\n)`, a title on the next line, `[x](javascript:a(b(c)))` | neutralised (only the start of the target is matched) |
| attr_list `{: onclick="..." }`, `![x](y.png){: onerror=... }`, `{: href="javascript:..." }`, a summary ending in `{: onclick=... }` | `{` is written `&#123;` outside code: no attributes are added |
| a "code span" spanning paragraphs, `` \\`<script>\\` ``, an unclosed `~~~` fence | not taken for code: the `<script>` is escaped |
| pipes, `\\n`, `\\r\\n`, blank lines, code spans and fences with pipes in parameter, field, header, tag and schema descriptions | every table row has the header's column count (Python-Markdown's own row splitter) |
| a description containing `a\\|b` | the backslash is doubled too: the row keeps its columns |
| `{{ 7*7 }}`, `{% if true %}x{% endif %}`, `{# c #}` in descriptions, summaries, tag/schema names, paths | shown literally; `49` never appears; also literal in the built site |
| tags `..`, `/`, `.`, empty, `CON`, `con.txt`, `index`, `schemas`, `webhooks`, 300 characters, `Überweisungen`, `日本語`, `Flows`/`flows` | rendered; folders are `[a-z0-9-]` slugs, reserved names get `-tag`, non-ASCII is transliterated or hashed |
| paths `/a/../../etc/passwd`, `/{x}/..`, `..`, empty, `/Case`/`/case`, `/CON`/`/con`, 500-character paths | one page per operation, distinct names, `-2` on collisions, long names shortened with a hash |
| operationIds of 300 characters, `../x`, `CON`, `{{ 7*7 }}` | rendered (in code spans); page names come from method and path and pass the checks below |
| schema names `../evil`, `a/b` (`~1`), `CON`, `Item`/`item`, empty, blank, `-`, `~`, 300 characters | one page each under `schemas/`, distinct, ASCII, reserved names get `-schema` |
| webhook names `../x`, `CON`, `{{ 7*7 }}` | pages under `webhooks/` |
| for all names above | every file resolves inside the output folder, names ≤ 255 bytes, components `[a-z0-9-]` plus extension, no two paths equal ignoring case, manifest `operations` count = operations and each `page` exists |
| cyclic schemas: self property, A→B→A, `allOf` self, `items`/`additionalProperties` self, optional `anyOf [$ref self, null]` | rendered, one schema page each, no warning |
| `$ref` chain cycles `A: {$ref: B}, B: {$ref: A}`, `A: {$ref: A}` | rendered; one `warning: $ref cycle at '...'` line per schema; exit 0 |
| `A: {oneOf: [{$ref: A}, {type: null}]}` used by an operation | rendered, exit 0 |
| `A: {type: object, required: [a], properties: {a: {$ref: A}}}` | rendered, exit 0 (the example stops at the cycle) |
| unresolvable `$ref` `#/components/schemas/Missing` | rendered, exit 0, one `warning: unresolvable $ref '...'` line, the page shows `unresolved` and the pointer |
| malformed: responses a list, parameters a dict, a parameter without `in` or not an object, `tags: "x"`, non-string tags, summary a number, description a list, path item or operation a string (a path item: skipped with a `warning:` line), `info` a string, `requestBody`/`content` a list, response a string, `servers`/`security` a string, schema a string, `properties` a list, `required` a string, `enum` a string, `allOf` a dict, `$ref: 5`, a callback that is a list | rendered, exit 0 (a string path item or operation is silently skipped: 0 operations) |
| malformed: `webhooks` a list, parameter `content` values not objects, response `headers` a list | one `error: ...` line, exit 2 |
| `components` a list, a string or `null` | rendered, exit 0 (no schemas) |
| tampered manifest listing `../outside.txt`, `sub/../../outside.txt`, an absolute path, `..\\outside.txt` with the right digests | nothing outside the folder is deleted, exit 0 |
| tampered manifest listing `link/victim.txt` where `link` is a symlink out of the folder | nothing outside the folder is deleted |
| unreadable manifest | one `error: ...` line, exit 2, nothing written |
| after a run | no `.restref-*.tmp` file anywhere in the folder |
| a user's own file in the output folder | survives regeneration |
| a generated file the user edited that is no longer generated | kept, with `warning: kept ...: no longer generated, but edited` |
| a non-empty folder without a manifest | refused (`error: ... --force`, exit 2) unless `--force`; the user's file survives |
| `--out` is a file | one `error: ...` line, exit 2 |
| `restref build` of the hostile spec (slow) | no live `<script>`, `on*=` or `javascript:` in any HTML page; raw `<script>alert`, `<img ... onerror=alert`, `href="javascript:` (any case) only inside `<title>`, where they are text; nav and `<h1>` titles escaped; template syntax literal |
| (slow) `info.title` with HTML, built with `restref build` | `site_name` gets look-alike brackets: no live `<script>` |
| (slow) a summary, tag name or schema name `</title><script>...` | the plugin gives generated pages titles without `<`/`>`: nothing closes `<title>` |
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import subprocess
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest

from generator.cli import main
from generator.pipeline import generate_pages
from generator.render.escape import nav_title
from generator.render.pages import RenderOptions
from generator.site.defaults import MARKDOWN_EXTENSIONS
from generator.site.nav import reference_nav
from tests.entry_points import child_environment
from tests.test_cli import ROOT, restref, tree

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
XSS = f"{SCRIPT} {IMG}"
OK = {"200": {"description": "ok"}}
MANIFEST = ".restref-manifest.json"


# ---------------------------------------------------------------- helpers


def document(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "paths": {"/a": {"get": {"responses": OK}}} if paths is None else paths,
    }
    doc.update(extra)
    return doc


def pages(doc: dict[str, Any], **options: Any) -> dict[str, str]:
    """The Markdown pages of `doc` (openapi.json and the manifest left out)."""
    result = generate_pages(doc, RenderOptions(**options))
    return {p.path: p.text for p in result.pages if p.path.endswith(".md")}


def to_html(text: str) -> str:
    return markdown.markdown(
        text,
        extensions=list(MARKDOWN_EXTENSIONS),
        extension_configs={k: v for k, v in MARKDOWN_EXTENSIONS.items() if v},
    )


_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)


class _LiveHtml(HTMLParser):
    """Collects what a browser would execute: scripts, handlers, script-like targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
        if tag in ("title", "textarea"):  # RCDATA: text up to the closing tag, as browsers do
            self.set_cdata_mode(tag)
        for name, value in attrs:
            text = value or ""
            if name.startswith("on") and "alert" in text:
                self.found.append(f"<{tag} {name}={text!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                # browsers ignore ASCII whitespace and control characters in the scheme
                plain = re.sub(r"[\x00-\x20]", "", text)  # HTMLParser decoded it once
                if _BAD_SCHEME.match(plain):
                    self.found.append(f"<{tag} {name}={text!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.found.append(f"<script>{data}</script>")


def live_html(text: str) -> list[str]:
    parser = _LiveHtml()
    parser.feed(text)
    parser.close()
    return parser.found


def live_in(found: dict[str, str]) -> dict[str, list[str]]:
    """Live HTML in each Markdown page, once rendered."""
    live = {path: live_html(to_html(text)) for path, text in found.items()}
    return {path: items for path, items in live.items() if items}


def live_in_pages(doc: dict[str, Any], **options: Any) -> dict[str, list[str]]:
    return live_in(pages(doc, **options))


_TABLES = markdown.Markdown(extensions=["tables"])
_ROW_SPLITTER = next(
    p for p in _TABLES.parser.blockprocessors if type(p).__name__ == "TableProcessor"
)
_ROW_SPLITTER.border = True  # type: ignore[attr-defined]


def table_widths(text: str) -> list[list[int]]:
    """The cell count of each row of each table, split as Python-Markdown splits them."""
    tables: list[list[int]] = []
    current: list[int] | None = None
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and line.startswith("|") and line.rstrip().endswith("|"):
            if current is None:
                current = []
                tables.append(current)
            current.append(len(_ROW_SPLITTER._split_row(line)))  # type: ignore[attr-defined]
        else:
            current = None
    return tables


def generate(
    spec: dict[str, Any] | str,
    tmp_path: Path,
    *extra: str,
    out: Path | None = None,
    in_process: bool = True,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`restref generate --spec FILE --out DIR`, in this process (fast) or in a child."""
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(spec if isinstance(spec, str) else json.dumps(spec), encoding="utf-8")
    out = out or tmp_path / "out"
    args = ["generate", "--spec", str(spec_file), "--out", str(out), *extra]
    if not in_process:
        return restref(*args), out
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            status = main(args)
        except SystemExit as e:
            status = int(e.code or 0)
        except Exception:  # what the interpreter would print and exit with
            traceback.print_exc()
            status = 1
    return subprocess.CompletedProcess(args, status, stdout.getvalue(), stderr.getvalue()), out


def no_traceback(done: Any) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1, 2)


_COMPONENT = re.compile(r"^[a-z0-9-]+$")
_FILE = re.compile(r"^[a-z0-9-]+\.md$")
_FIXED = {"openapi.json", MANIFEST}


def check_names(out: Path, n_operations: int) -> dict[str, Any]:
    """The file-name guarantees, for a folder written by `restref generate`."""
    root = out.resolve()
    files = [p for p in out.rglob("*") if p.is_file()]
    for f in files:
        assert f.resolve().is_relative_to(root), f
        rel = f.relative_to(out).as_posix()
        parts = rel.split("/")
        assert all(len(part.encode("utf-8")) <= 255 for part in parts), rel
        if rel in _FIXED:
            continue
        assert all(_COMPONENT.match(part) for part in parts[:-1]), rel
        assert _FILE.match(parts[-1]), rel
    lowered = [f.relative_to(out).as_posix().lower() for f in files]
    assert len(lowered) == len(set(lowered))
    manifest: dict[str, Any] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["operations"]) == n_operations
    op_pages = [o["page"] for o in manifest["operations"]]
    assert len(set(op_pages)) == n_operations
    for page in op_pages + list(manifest["schemas"].values()):
        assert (out / page).is_file(), page
    assert set(manifest["files"]) == {f.relative_to(out).as_posix() for f in files} - {MANIFEST}
    return manifest


# ---------------------------------------------------------------- raw HTML in text


def _with_text_at(where: str, text: str) -> dict[str, Any]:
    """A small document with `text` placed at one spot."""
    schema_ref = {"$ref": "#/components/schemas/Thing"}
    op: dict[str, Any] = {
        "tags": ["t"],
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
        "responses": {
            "200": {
                "description": "ok",
                "headers": {"X-H": {"description": "h", "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": schema_ref}},
            }
        },
    }
    thing: dict[str, Any] = {"type": "object", "properties": {"f": {"type": "string"}}}
    doc = document({"/a": {"get": op}}, tags=[{"name": "t"}])
    doc["components"] = {"schemas": {"Thing": thing}}
    # where -> the object that holds the text, and its key
    holders: dict[str, tuple[dict[str, Any], str]] = {
        "info": (doc["info"], "description"),
        "tag": (doc["tags"][0], "description"),
        "operation": (op, "description"),
        "summary": (op, "summary"),
        "parameter": (op["parameters"][0], "description"),
        "response": (op["responses"]["200"], "description"),
        "header": (op["responses"]["200"]["headers"]["X-H"], "description"),
        "schema": (thing, "description"),
        "field": (thing["properties"]["f"], "description"),
        "operationId": (op, "operationId"),
    }
    if where in holders:
        holder, key = holders[where]
        holder[key] = text
    elif where == "tag name":
        op["tags"] = [text]
        doc["tags"] = [{"name": text, "description": "d"}]
    elif where == "schema name":
        doc["components"]["schemas"] = {text: thing}
        schema_ref["$ref"] = "#/components/schemas/" + text.replace("~", "~0").replace("/", "~1")
    elif where == "path":
        doc["paths"] = {"/a/" + text: {"get": op}}
    else:  # pragma: no cover
        raise AssertionError(where)
    return doc


TEXT_SPOTS = [
    "info",
    "tag",
    "operation",
    "summary",
    "parameter",
    "response",
    "header",
    "schema",
    "field",
]
NAME_SPOTS = ["tag name", "schema name", "operationId", "path"]


@pytest.mark.parametrize("where", TEXT_SPOTS)
def test_raw_html_in_text_is_removed(where: str) -> None:
    # Deliberately changed: unsafe HTML used to be shown as escaped text; now the allow-list
    # sanitiser removes it at generation time and keeps the words around it.
    found = pages(_with_text_at(where, f"Hello {XSS} world"))
    assert not any(SCRIPT in t or IMG in t for t in found.values())
    assert not any("alert(1)" in t or "&lt;script" in t for t in found.values())
    assert any("Hello" in t and "world" in t for t in found.values())
    assert live_in(found) == {}


@pytest.mark.parametrize("where", NAME_SPOTS)
def test_raw_html_in_names_is_never_live(where: str) -> None:
    found = pages(_with_text_at(where, f"Hello{XSS}world"))
    # the name did reach the pages (its markup may be removed or shown as text, never live)
    assert any("Hello" in t and "world" in t for t in found.values())
    assert live_in(found) == {}


@pytest.mark.parametrize("where", ["summary", "tag name"])
def test_nav_titles_are_escaped(where: str) -> None:
    api = generate_pages(_with_text_at(where, XSS), RenderOptions()).api
    titles: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for title, value in node.items():
                titles.append(title)
                walk(value)

    walk(reference_nav(api, ""))
    assert not any("<" in t or ">" in t for t in titles)
    # Themes decode entities in titles: markup is removed, other brackets become look-alikes.
    raw = [op.title for op in api.operations] + [tag.name for tag in api.tags]
    assert any("script" in t for t in raw)
    # A name of nothing but markup is shown as written, in look-alike brackets: text, not tags.
    assert all(not re.search("[<>]", nav_title(t)) for t in raw)
    assert any("\u2039script\u203a" in nav_title(t) for t in raw)
    assert nav_title("List<T>") == "List\u2039T\u203a"


def test_trusted_html_keeps_html_but_still_neutralises_links() -> None:
    text = "<b>bold</b> [x](javascript:alert(1))"
    trusted = pages(_with_text_at("operation", text), trusted_html=True)["t/get-a.md"]
    assert "<b>bold</b>" in trusted
    assert "](#javascript:" in trusted
    assert live_in({"page": trusted}) == {}
    plain = pages(_with_text_at("operation", f"{text} {SCRIPT}"))["t/get-a.md"]
    assert "<b>bold</b>" in plain
    assert "<script>" not in plain
    assert "alert(1)<" not in plain


def test_trusted_html_from_the_command_line(tmp_path: Path) -> None:
    doc = _with_text_at("operation", "<b>bold</b>")
    done, out = generate(doc, tmp_path, "--trusted-html", in_process=False)
    assert done.returncode == 0, done.stderr
    assert "<b>bold</b>" in (out / "t" / "get-a.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- links


SAFE_LINKS = {
    "javascript": "[x](javascript:alert(1))",
    "mixed case": "[x](JaVaScRiPt:alert(1))",
    "leading space": "[x](  javascript:alert(1))",
    "angle brackets": "[x](<javascript:alert(1)>)",
    "image": "![x](javascript:alert(1))",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "file": "[x](file:///etc/passwd)",
    "reference": "[x][r]\n\n[r]: javascript:alert(1)",
    "reference mixed case": "[x][r]\n\n  [r]: JAVASCRIPT:alert(1)",
    "reference data": "[x][r]\n\n[r]: data:text/html,hi",
}


@pytest.mark.parametrize("where", ["info", "parameter", "field"])
@pytest.mark.parametrize("link", SAFE_LINKS.values(), ids=SAFE_LINKS.keys())
def test_script_links_are_neutralised(link: str, where: str) -> None:
    for trusted in (False, True):
        found = pages(_with_text_at(where, f"see {link} now"), trusted_html=trusted)
        text = "\n".join(found.values())
        # the target becomes a fragment link, `](#javascript:...)`, and a fragment link in a
        # description becomes its text when nothing (a parenthesis) hides its end
        assert re.search(r"\](\(|: )(\s|<|&lt;)*#", text) or "see x now" in text
        assert live_in(found) == {}


LINK_BYPASSES = {
    "entity colon": "[x](javascript&colon;alert(1))",
    "numeric entity": "[x](&#106;avascript:alert(1))",
    "reference in a list item": "- [r]: javascript:alert(1)\n\n[x][r]",
    "target in a code span": "[x](`javascript:alert(1)`)",
    "newline before the parenthesis": "[x](javascript:alert(1)\n)",
    "title on the next line": '[x](javascript:alert(1)\n"t")',
    "nested parentheses": "[x](javascript:a(b(c)))",
}


@pytest.mark.parametrize("link", LINK_BYPASSES.values(), ids=LINK_BYPASSES.keys())
def test_script_link_bypasses_are_neutralised(link: str) -> None:
    found = pages(_with_text_at("operation", link))
    assert "avascript" in found["t/get-a.md"]  # the link did reach the page
    assert live_in(found) == {}


ATTR_LIST = {
    "paragraph handler": ("operation", 'para\n{: onclick="alert(1)" }'),
    "image handler": ("operation", '![x](y.png){: onerror="alert(1)" }'),
    "href override": ("operation", '[x](#){: href="javascript:alert(1)" }'),
    "table cell handler": ("parameter", 'para\n{: onclick="alert(1)" }'),
    "heading handler": ("summary", "Head {: onclick=alert(1) }"),
}


@pytest.mark.parametrize(("where", "text"), ATTR_LIST.values(), ids=ATTR_LIST.keys())
def test_attr_list_cannot_add_handlers(where: str, text: str) -> None:
    found = pages(_with_text_at(where, text))
    assert any("alert(1)" in t for t in found.values())  # the text did reach the pages
    assert live_in(found) == {}


CODE_BYPASSES = {
    "code span across paragraphs": "`a\n\n<script>alert(1)</script> kept\n\nb`",
    "escaped backticks": "\\`<script>alert(1)</script> kept\\`",
    "unclosed fence": "~~~\n<script>alert(1)</script> kept",
}


@pytest.mark.parametrize("text", CODE_BYPASSES.values(), ids=CODE_BYPASSES.keys())
def test_fake_code_does_not_protect_html(text: str) -> None:
    found = pages(_with_text_at("operation", text))
    assert "kept" in found["t/get-a.md"]  # the text did reach the page (the script is removed)
    assert live_in(found) == {}


# ---------------------------------------------------------------- tables


CELL_TEXTS = {
    "pipe": "left | right",
    "pipes at the ends": "|a|b|",
    "newline": "one\ntwo | three",
    "crlf": "one\r\ntwo\rthree | four",
    "paragraphs": "one\n\n\ntwo | x\n\nthree",
    "code span with pipe": "use `a|b` here",
    "fence with pipe": "```\nx | y\n```\nafter | it",
    "trailing backslash": "ends with \\",
    "html and pipe": f"{XSS} | x",
}


@pytest.mark.parametrize("where", ["parameter", "field", "header", "tag", "schema", "summary"])
@pytest.mark.parametrize("text", CELL_TEXTS.values(), ids=CELL_TEXTS.keys())
def test_table_rows_keep_their_column_count(text: str, where: str) -> None:
    tables = 0
    for path, page in pages(_with_text_at(where, text)).items():
        for widths in table_widths(page):
            assert len(set(widths)) == 1, (path, widths)
            tables += 1
    assert tables > 0  # the splitter still finds the tables


@pytest.mark.parametrize("where", ["parameter", "field"])
def test_escaped_pipe_in_a_cell_keeps_the_column_count(where: str) -> None:
    tables = 0
    for path, page in pages(_with_text_at(where, "a\\|b")).items():
        for widths in table_widths(page):
            assert len(set(widths)) == 1, (path, widths)
            tables += 1
    assert tables > 0


# ---------------------------------------------------------------- template syntax


TEMPLATE_TEXT = "A{{ 7*7 }}B {% if true %}x{% endif %} {# c #}"


@pytest.mark.parametrize("where", TEXT_SPOTS + NAME_SPOTS)
def test_template_syntax_is_shown_literally(where: str) -> None:
    found = pages(_with_text_at(where, TEMPLATE_TEXT))
    # What a reader sees: `{` is written as `&#123;` outside code, so nothing can evaluate it.
    text = "\n".join(visible_text(page) for page in found.values())
    assert "A49B" not in text
    assert "{{ 7*7 }}" in text or "{{-7-7-}}" in text
    assert "{% if true %}x{% endif %}" in text or where == "path"  # slugs drop it from paths


def visible_text(markdown_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", to_html(markdown_text)))


def test_template_syntax_in_the_cli_output(tmp_path: Path) -> None:
    done, out = generate(_with_text_at("operation", TEMPLATE_TEXT), tmp_path, in_process=False)
    assert done.returncode == 0, done.stderr
    page = (out / "t" / "get-a.md").read_text(encoding="utf-8")
    assert "{{" not in page.split("## Code samples")[0]
    assert TEMPLATE_TEXT in visible_text(page)


# ---------------------------------------------------------------- names


LONG = "x" * 300
HOSTILE_TAGS = [
    "..",
    "/",
    ".",
    "",
    "CON",
    "con.txt",
    "index",
    "schemas",
    "webhooks",
    LONG,
    "Überweisungen",
    "日本語",
    "Flows",
    "flows",
    "flows-2",
    XSS,
    "{{ 7*7 }}",
]
HOSTILE_PATHS = [
    "/a/../../etc/passwd",
    "/{x}/..",
    "..",
    "",
    "/",
    "/Case",
    "/case",
    "/CON",
    "/con",
    "/" + "seg/" * 125,
    "/" + "日本" * 100,
    "/../../../../tmp/x",
]
HOSTILE_SCHEMAS = ["../evil", "a/b", "CON", "Item", "item", "", " ", "-", "~", LONG, "index"]


def _names_doc(kind: str) -> tuple[dict[str, Any], int]:
    paths: dict[str, Any] = {}
    if kind in ("tags", "all"):
        for i, tag in enumerate(HOSTILE_TAGS):
            paths[f"/t{i}"] = {"get": {"tags": [tag], "responses": OK}}
    if kind in ("paths", "all"):
        for path in HOSTILE_PATHS:
            paths[path] = {"get": {"responses": OK}, "DELETE": {}, "post": {"responses": OK}}
    if kind in ("operationIds", "all"):
        for i, op_id in enumerate([LONG, "../x", "CON", "{{ 7*7 }}", LONG + "y"]):
            paths[f"/o{i}"] = {"get": {"operationId": op_id, "responses": OK}}
    components: dict[str, Any] = {}
    if kind in ("schemas", "all"):
        components = {
            name: {
                "type": "object",
                "properties": {
                    "me": {
                        "$ref": "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
                    }
                },
            }
            for name in HOSTILE_SCHEMAS
        }
    webhooks = {}
    if kind in ("webhooks", "all"):
        webhooks = {
            name: {"post": {"responses": OK}} for name in ["../x", "CON", "{{ 7*7 }}", LONG]
        }
    doc = document(paths or {"/a": {"get": {"responses": OK}}}, components={"schemas": components})
    if webhooks:
        doc["webhooks"] = webhooks
    operations = sum(
        1 for item in doc["paths"].values() for m in item if m in ("get", "post", "delete")
    )
    return doc, operations


@pytest.mark.parametrize("kind", ["tags", "paths", "operationIds", "schemas", "webhooks", "all"])
def test_hostile_names_stay_inside_distinct_and_short(kind: str, tmp_path: Path) -> None:
    doc, operations = _names_doc(kind)
    (tmp_path / "outside.txt").write_text("keep\n")
    done, out = generate(doc, tmp_path, in_process=kind != "all")
    assert done.returncode == 0, done.stderr
    manifest = check_names(out, operations)
    assert (tmp_path / "outside.txt").read_text() == "keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside.txt", "spec.json"]
    if kind in ("schemas", "all"):
        assert len(manifest["schemas"]) == len(HOSTILE_SCHEMAS)
        assert len(set(manifest["schemas"].values())) == len(HOSTILE_SCHEMAS)
    if kind in ("webhooks", "all"):
        assert len(list((out / "webhooks").glob("*.md"))) == 4


def test_tag_slugs_for_reserved_and_case_variants() -> None:
    api = generate_pages(_names_doc("tags")[0], RenderOptions()).api
    slugs = {t.name: t.slug for t in api.tags}
    assert slugs["CON"] == "con-tag"
    assert slugs["index"] == "index-tag"
    assert slugs["schemas"] == "schemas-tag"
    assert slugs["webhooks"] != "webhooks"
    assert slugs["Überweisungen"] == "uberweisungen"
    assert slugs["Flows"] == "flows"
    assert slugs["flows"] != "flows"
    assert slugs["flows-2"] not in ("flows", slugs["flows"])
    assert re.fullmatch(r"tag-[0-9a-f]{8}", slugs["日本語"])
    assert len(slugs[LONG]) <= 80
    assert len(set(slugs.values())) == len(slugs)


def test_schema_slugs_for_reserved_and_case_variants() -> None:
    api = generate_pages(_names_doc("schemas")[0], RenderOptions()).api
    slugs = {s.name: s.slug for s in api.schemas}
    assert slugs["CON"] == "con-schema"
    assert slugs["index"] == "index-schema"
    assert slugs["../evil"] == "evil"
    assert slugs["a/b"] == "a-b"
    assert {slugs["Item"], slugs["item"]} == {"item", "item-2"}
    assert len(set(slugs.values())) == len(slugs)


# ---------------------------------------------------------------- cycles and refs


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _using(schemas: dict[str, Any], first: str = "A") -> dict[str, Any]:
    response = {"description": "ok", "content": {"application/json": {"schema": _ref(first)}}}
    body = {"content": {"application/json": {"schema": _ref(first)}}}
    doc = document({"/a": {"post": {"requestBody": body, "responses": {"200": response}}}})
    doc["components"] = {"schemas": schemas}
    return doc


CYCLES = {
    "self property": {"A": {"type": "object", "properties": {"me": _ref("A")}}},
    "A to B to A": {
        "A": {"type": "object", "properties": {"b": _ref("B")}},
        "B": {"type": "object", "properties": {"a": _ref("A")}},
    },
    "allOf self": {"A": {"allOf": [_ref("A"), {"properties": {"x": _ref("A")}}]}},
    "items self": {"A": {"type": "array", "items": _ref("A")}},
    "map self": {"A": {"type": "object", "additionalProperties": _ref("A")}},
    "optional anyOf self": {
        "A": {"type": "object", "properties": {"next": {"anyOf": [_ref("A"), {"type": "null"}]}}}
    },
}


@pytest.mark.parametrize("schemas", CYCLES.values(), ids=CYCLES.keys())
def test_cyclic_schemas_render(schemas: dict[str, Any], tmp_path: Path) -> None:
    done, out = generate(_using(schemas), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    manifest = check_names(out, 1)
    assert set(manifest["schemas"]) == set(schemas)


@pytest.mark.parametrize(
    "schemas",
    [{"A": _ref("B"), "B": _ref("A")}, {"A": _ref("A")}],
    ids=["A to B to A", "A to A"],
)
def test_ref_chain_cycles_render_with_a_warning(schemas: dict[str, Any], tmp_path: Path) -> None:
    done, out = generate(_using(schemas), tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: $ref cycle at '#/components/schemas/{n}'" for n in schemas]
    check_names(out, 1)


def test_oneof_self_reference_renders(tmp_path: Path) -> None:
    done, out = generate(_using({"A": {"oneOf": [_ref("A"), {"type": "null"}]}}), tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    check_names(out, 1)


def test_required_self_reference_renders(tmp_path: Path) -> None:
    schemas = {"A": {"type": "object", "required": ["a"], "properties": {"a": _ref("A")}}}
    done, out = generate(_using(schemas), tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    check_names(out, 1)


def test_unresolvable_ref_renders_with_one_warning(tmp_path: Path) -> None:
    done, out = generate(_using({"B": {"type": "string"}}, first="Missing"), tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == ["warning: unresolvable $ref '#/components/schemas/Missing'"]
    page = (out / "other" / "post-a.md").read_text(encoding="utf-8")
    assert "unresolved `#/components/schemas/Missing`" in page
    check_names(out, 1)


# ---------------------------------------------------------------- malformed structures


def _op(**fields: Any) -> dict[str, Any]:
    return document({"/a": {"get": {"responses": OK, **fields}}})


MALFORMED_RENDERED: dict[str, tuple[dict[str, Any], int]] = {
    "responses is a list": (_op(responses=[{"description": "x"}]), 1),
    "parameters is a dict": (_op(parameters={"name": "x", "in": "query"}), 1),
    "parameter without in": (_op(parameters=[{"name": "x"}]), 1),
    "parameters not objects": (_op(parameters=["x", 3, None]), 1),
    "parameter name a number": (_op(parameters=[{"name": 5, "in": "query"}]), 1),
    "parameter schema a list": (
        _op(parameters=[{"name": "x", "in": "query", "schema": [1]}]),
        1,
    ),
    "tags is a string": (_op(tags="x"), 1),
    "tags not strings": (_op(tags=[1, {"a": 1}, None]), 1),
    "summary is a number": (_op(summary=42, description=["x"]), 1),
    "path item is a string": (document({"/a": "nope"}), 0),
    "operation is a string": (document({"/a": {"get": "nope"}}), 0),
    "info is a string": (document(info="x"), 1),
    "requestBody is a list": (_op(requestBody=[1]), 1),
    "content is a list": (_op(requestBody={"content": [1]}), 1),
    "response is a string": (_op(responses={"200": "x"}), 1),
    "servers is a string": (document(servers="x"), 1),
    "security is a string": (_op(security="x"), 1),
    "schema is a string": (document(components={"schemas": {"A": "x"}}), 1),
    "properties is a list": (
        document(components={"schemas": {"A": {"type": "object", "properties": [1]}}}),
        1,
    ),
    "required is a string": (
        document(components={"schemas": {"A": {"properties": {"a": {}}, "required": "a"}}}),
        1,
    ),
    "enum is a string": (document(components={"schemas": {"A": {"enum": "abc"}}}), 1),
    "allOf is a dict": (document(components={"schemas": {"A": {"allOf": {"a": 1}}}}), 1),
    "$ref is a number": (document(components={"schemas": {"A": {"$ref": 5}}}), 1),
    "callback is a list": (_op(callbacks={"c": [1]}), 1),
}


@pytest.mark.parametrize(
    ("doc", "operations"), MALFORMED_RENDERED.values(), ids=MALFORMED_RENDERED.keys()
)
def test_malformed_structures_still_render(
    doc: dict[str, Any], operations: int, tmp_path: Path
) -> None:
    done, out = generate(doc, tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    check_names(out, operations)


MALFORMED_REFUSED = {
    "webhooks is a list": ({**document({}), "webhooks": [1]}, "webhooks: must be an object"),
    "parameter content values": (
        _op(parameters=[{"name": "x", "in": "query", "content": {"a": 1}}]),
        "paths//a/get: cannot be rendered",
    ),
    "headers is a list": (
        _op(responses={"200": {"description": "ok", "headers": [1]}}),
        "paths//a/get: cannot be rendered",
    ),
}


@pytest.mark.parametrize(
    ("doc", "message"), MALFORMED_REFUSED.values(), ids=MALFORMED_REFUSED.keys()
)
def test_malformed_structures_give_one_error_line(
    doc: dict[str, Any], message: str, tmp_path: Path
) -> None:
    done, out = generate(doc, tmp_path)
    no_traceback(done)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    assert message in lines[0], lines
    assert not out.exists()


@pytest.mark.parametrize("components", [[1], "x", None], ids=["list", "string", "null"])
def test_components_of_the_wrong_type(components: Any, tmp_path: Path) -> None:
    done, out = generate(document(components=components), tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if line.startswith(("warning", "error"))]
    manifest = check_names(out, 1)
    assert manifest["schemas"] == {}


# ---------------------------------------------------------------- the output folder


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tamper(out: Path, files: dict[str, str]) -> None:
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"].update(files)
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_tampered_manifest_never_deletes_outside(tmp_path: Path) -> None:
    done, out = generate(document(), tmp_path)
    assert done.returncode == 0
    victim = tmp_path / "outside.txt"
    victim.write_text("victim\n")
    absolute = tmp_path / "absolute.txt"
    absolute.write_text("victim\n")
    digest = _digest(b"victim\n")
    (out / "sub").mkdir()
    _tamper(
        out,
        {
            "../outside.txt": digest,
            "sub/../../outside.txt": digest,
            str(absolute): digest,
            "..\\outside.txt": digest,
            "./../outside.txt": digest,
        },
    )
    done, _ = generate(document(), tmp_path)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "victim\n"
    assert absolute.read_text() == "victim\n"


def test_tampered_manifest_never_deletes_through_a_symlink(tmp_path: Path) -> None:
    done, out = generate(document(), tmp_path)
    assert done.returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.txt").write_text("victim\n")
    (out / "link").symlink_to(elsewhere, target_is_directory=True)
    _tamper(out, {"link/victim.txt": _digest(b"victim\n")})
    done, _ = generate(document(), tmp_path)
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "victim.txt").read_text() == "victim\n"


def test_unreadable_manifest_is_one_error_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("{not json")
    done, _ = generate(document(), tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: ")
    assert "unreadable manifest" in done.stderr
    assert tree(out) == {MANIFEST: b"{not json"}


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    doc, operations = _names_doc("all")
    for _ in range(2):
        done, out = generate(doc, tmp_path)
        assert done.returncode == 0, done.stderr
        assert list(out.rglob(".restref-*.tmp")) == []
        assert [p for p in out.rglob("*") if p.name.startswith(".restref-")] == [out / MANIFEST]
    check_names(out, operations)


def test_users_own_file_survives_regeneration(tmp_path: Path) -> None:
    done, out = generate(_names_doc("tags")[0], tmp_path)
    assert done.returncode == 0
    (out / "notes.md").write_text("mine\n")
    (out / "other").mkdir()
    (out / "other" / "keep.txt").write_text("mine too\n")
    done, _ = generate(document(), tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / "notes.md").read_text() == "mine\n"
    assert (out / "other" / "keep.txt").read_text() == "mine too\n"
    assert not list((out / "con-tag").rglob("*.md"))  # only redirects to the new pages stay


def test_edited_file_that_is_no_longer_generated_is_kept(tmp_path: Path) -> None:
    done, out = generate(_names_doc("tags")[0], tmp_path)
    assert done.returncode == 0
    edited = out / "con-tag" / "get-t4.md"
    edited.write_text("my notes\n")
    done, _ = generate(document(), tmp_path)
    assert done.returncode == 0, done.stderr
    assert edited.read_text() == "my notes\n"
    assert f"warning: kept {edited}: no longer generated, but edited" in done.stderr
    assert not (out / "con-tag" / "get-t4").exists()  # no redirect where the user's page is
    assert not list((out / "uberweisungen").rglob("*.md"))


def test_foreign_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep\n")
    done, _ = generate(document(), tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: ")
    assert "--force" in done.stderr
    assert tree(out) == {"mine.txt": b"keep\n"}
    done, _ = generate(document(), tmp_path, "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "mine.txt").read_text() == "keep\n"


def test_out_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    done, _ = generate(document(), tmp_path, out=target)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: ")
    assert target.read_text() == "x"


# ---------------------------------------------------------------- whole sites (slow)


def hostile_site_document() -> dict[str, Any]:
    """Every hostile text and name above, in one document (with a harmless `info.title`)."""
    doc, _ = _names_doc("all")
    op = _with_text_at("operation", f"Op {XSS} {TEMPLATE_TEXT}")["paths"]["/a"]["get"]
    op["summary"] = f"Summary {XSS}"
    op["tags"] = [f"Tag {XSS}"]
    op["parameters"][0]["description"] = f"Param {XSS} | pipe\n\nnext"
    for i, link in enumerate(SAFE_LINKS.values()):
        doc["paths"][f"/link{i}"] = {"get": {"description": link, "responses": OK}}
    doc["paths"]["/a"] = {"get": op}
    doc["info"]["description"] = f"Info {XSS}"
    doc["tags"] = [{"name": f"Tag {XSS}", "description": f"Tag description {XSS}"}]
    doc["components"]["schemas"]["Thing"] = {
        "type": "object",
        "description": f"Schema {XSS}",
        "properties": {"f": {"type": "string", "description": f"Field {XSS}"}},
    }
    return doc


def build(doc: dict[str, Any], tmp_path: Path) -> dict[str, str]:
    """`python -m generator build --spec FILE --site-dir DIR`: every HTML page's text."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--spec", str(spec), "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=child_environment(tmp_path / "entry-points"),
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }


_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
# `onerror=alert` alone also matches the escaped text `&lt;img ... onerror=alert(1)&gt;`
_RAW = re.compile(r"<script>alert|<img[^>]*onerror=[\"']?alert|href=[\"']?javascript:", re.I)


@pytest.mark.slow
def test_built_site_of_a_hostile_spec_is_inert(tmp_path: Path) -> None:
    built = build(hostile_site_document(), tmp_path)
    assert len(built) > 30
    for path, text in built.items():
        assert live_html(text) == [], path
        assert not _RAW.search(_TITLE.sub("", text)), (path, _RAW.search(_TITLE.sub("", text)))
    (page,) = [
        t for p, t in built.items() if p.startswith("tag-") and p.endswith("/get-a/index.html")
    ]
    assert re.search(r"<h1[^>]*>Summary<", page)  # the markup is removed from headings
    nav = re.compile(r'<span class="md-ellipsis">\s*Summary\b')
    assert nav.search(page)  # the nav title (navigation.prune keeps only the open section)
    assert re.search(r"<p>Op\s", page)
    assert "{{ 7*7 }}" in page  # the script is removed
    assert "{% if true %}x{% endif %}" in page
    assert "A49B" not in page


@pytest.mark.slow
def test_built_site_escapes_the_api_title(tmp_path: Path) -> None:
    doc = document(info={"title": f"Title {SCRIPT}", "version": "1"})
    built = build(doc, tmp_path)
    assert {path: live_html(text) for path, text in built.items() if live_html(text)} == {}


@pytest.mark.slow
def test_built_site_page_titles_cannot_close_the_title_element(tmp_path: Path) -> None:
    breakout = "</title><script>alert(1)</script>"
    doc = document(
        {
            "/t": {"get": {"summary": breakout, "responses": OK}},
            "/u": {"get": {"tags": [breakout], "summary": "u", "responses": OK}},
        },
        components={"schemas": {breakout: {"type": "object"}}},
    )
    built = build(doc, tmp_path)
    assert {path: live_html(text) for path, text in built.items() if live_html(text)} == {}


def test_sanitiser_keeps_material_markup_and_drops_script() -> None:
    from generator.site.sanitize import clean_html

    page = to_html(
        '=== "curl"\n\n    ```bash\n    curl x\n    ```\n\n??? example "Example"\n\n    text\n\n'
        "| a |\n| --- |\n| b |\n"
    )
    cleaned = clean_html(
        page + '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">y</a>'
    )
    assert 'type="radio"' in cleaned
    assert "<label" in cleaned
    assert "<details" in cleaned
    assert "<table>" in cleaned
    assert "tabbed-set" in cleaned
    assert live_html(cleaned) == []
    assert "<script" not in cleaned
