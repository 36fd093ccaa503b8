# ruff: noqa: E501  (the table in the docstring has long rows)
"""The hostile corpus built into real sites and opened in headless Chromium.

`tests/hostile_corpus.py` plants several hundred numbered payloads into one document. It is
built three ways, as users build a reference:

- **plain**: `restref generate` output, built by a user's own `mkdocs.yml` with Material,
  mkdocs-macros and `pymdownx.snippets` and no restref plugin (nothing but the Markdown
  protects the site);
- **plugin**: the same document through the `restref` MkDocs plugin, with the same extras;
- **zensical**: the `generate` output built by Zensical from the same `mkdocs.yml` (it ignores
  plugins, so nothing but the Markdown protects this one either).

Every HTML page of each site is then opened in Chromium (any script dialog is a failure and
names its vector), and parsed for live markup a browser would run: `<script>` with a payload,
`on*=` attributes, `javascript:`/`vbscript:`/`data:` link targets. The site must not contain
the secret file's content (snippets) nor the marker that only an evaluated macro produces.

| Fields (where the payload is planted) | Payloads | Vectors | Outcome, all three sites |
| --- | --- | --- | --- |
| 27 text fields: info title/description/version, server URL and description, tag description, operation summary/description/operationId, parameter description/example/default/enum, header example, property description/title/default/enum/const/examples/pattern/format, response description, response header description/example, response example, security scheme description | all 15: raw `<img onerror>`, `<script>`, `</title><script>`, CR, code fence, U+2028, U+0085, backticks, `\x01javascript:` link, attr_list, autolink, reference definition, entity-spelled scheme, mkdocs-macros `{{ }}`, `--8<--` snippet | 405 | no dialog, no live markup, no macro run, no file included |
| 16 names: tag, schema, path key, parameter, header, property, response status, response header, media type, webhook, callback expression, security scheme and scope, unresolved `$ref`, filter field, filter sort value | the 5 that break names: `<img onerror>`, `</title><script>`, CR, U+2028, backticks | 80 | the same |
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.hostile_corpus import MACRO_RAN, SECRET, SECRET_FILE, Vector, build_document, vectors

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
EXTENSIONS: list[object] = [
    "tables",
    "attr_list",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
    {"pymdownx.snippets": {"base_path": ["."]}},
    {"toc": {"permalink": True}},
]
_ALERT = re.compile(r"alert\((\d+)\)")
_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)


def _site(root: Path, name: str, kind: str, spec: Path) -> Path:
    """Build one site of `spec` under `root / name`; returns its `site/` folder."""
    project = root / name
    docs = project / "docs"
    docs.mkdir(parents=True)
    (project / SECRET_FILE).write_text(SECRET, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    plugins: list[object] = ["search", "macros"]
    if kind == "plugin":
        plugins.append({"restref": {"spec": str(spec), "out": "reference"}})
    else:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                "--spec",
                str(spec),
                "--out",
                str(docs / "reference"),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    config = {
        "site_name": "Hostile",
        "theme": {"name": "material"},
        "markdown_extensions": EXTENSIONS,
        "plugins": plugins,
    }
    if kind == "zensical":
        del config["plugins"]  # it has no plugin system: it reads mkdocs.yml and its extensions
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    engine = ["zensical", "build"] if kind == "zensical" else ["mkdocs", "build", "-q"]
    done = subprocess.run(
        [sys.executable, "-m", *engine],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 20, f"{name}: only {len(pages)} pages built"
    return project / "site"


# Vectors per document. Every page carries the whole navigation, so a page's size, and with it
# the time MkDocs and Chromium spend on it, grows with the document: five documents of about a
# hundred vectors build and load several times faster than one of 485.
CHUNK = 100
# plain: `generate` output under the user's mkdocs.yml; plugin: our MkDocs plugin; zensical: the
# `generate` output built by Zensical, Material's successor, which has no plugins at all.
KINDS = ("plain", "plugin", "zensical")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    root = tmp_path_factory.mktemp("hostile-sites")
    every = vectors()
    built: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for start in range(0, len(every), CHUNK):
        spec = root / f"hostile-{start}.json"
        spec.write_text(json.dumps(build_document(every[start : start + CHUNK])), "utf-8")
        for kind, sites_of_kind in built.items():
            sites_of_kind.append(_site(root, f"{kind}-{start}", kind, spec))
    return built


def _pages(sites: list[Path]) -> list[tuple[Path, str]]:
    """Every HTML page of the sites of one kind, with a name saying which site it is from."""
    return [
        (page, f"{site.parent.name}/{page.relative_to(site).as_posix()}")
        for site in sites
        for page in sorted(site.rglob("*.html"))
    ]


class _LiveMarkup(HTMLParser):
    """Collects the vector numbers of markup a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[int] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            text = value or ""
            stripped = re.sub(r"[\x00-\x20]+", "", text)
            live = name.startswith("on") or (
                name in ("href", "src", "action", "formaction") and _SCHEME.match(stripped)
            )
            if live:
                self.found |= {int(n) for n in _ALERT.findall(text)}
                if not _ALERT.search(text) and name.startswith("on"):
                    self.found.add(0)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.found |= {int(n) for n in _ALERT.findall(data)}


def _live_markup(sites: list[Path]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for page, name in _pages(sites):
        parser = _LiveMarkup()
        parser.feed(page.read_text(encoding="utf-8"))
        for number in parser.found:
            found.setdefault(number, []).append(name)
    return found


@contextlib.contextmanager
def _serve(site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, as `mkdocs serve` or a static host would."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _dialogs(site: Path) -> tuple[dict[int, list[str]], int]:
    """Open every page in headless Chromium; the vector numbers of the dialogs raised."""
    from playwright.sync_api import sync_playwright

    raised: dict[int, list[str]] = {}
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    with _serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = browser.new_page()
        # Pages only: every sub-resource (Material's bundle, fonts, the search index, a
        # payload's `src=x`) fails at once, which fires `onerror` handlers and keeps it fast.
        tab.route("**/*", _document_only)
        current = [""]

        def on_dialog(dialog: Any) -> None:
            numbers = [int(n) for n in re.findall(r"\d+", dialog.message)] or [0]
            for number in numbers:
                raised.setdefault(number, []).append(current[0])
            dialog.dismiss()

        tab.on("dialog", on_dialog)
        for page in pages:
            current[0] = page
            tab.goto(f"{base}/{page}", wait_until="load", timeout=20_000)
        browser.close()
    return raised, len(pages)


def _document_only(route: Any) -> None:
    if route.request.resource_type == "document":
        route.continue_()
    else:
        route.abort()


def _describe(found: dict[int, list[str]]) -> str:
    by_number = {v.number: v for v in vectors()}
    lines = []
    for number, where in sorted(found.items()):
        vector: Vector | None = by_number.get(number)
        what = f"{vector.field} / {vector.payload}" if vector else "unnumbered"
        lines.append(f"#{number} {what}: {', '.join(sorted(set(where))[:3])}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", KINDS)
def test_no_live_markup_in_any_page(sites: dict[str, list[Path]], name: str) -> None:
    found = _live_markup(sites[name])
    assert not found, f"{len(found)} vectors left live markup:\n{_describe(found)}"


@pytest.mark.parametrize("name", KINDS)
def test_no_other_engine_syntax_runs(sites: dict[str, list[Path]], name: str) -> None:
    leaked = [
        where
        for page, where in _pages(sites[name])
        if SECRET in (text := page.read_text(encoding="utf-8")) or MACRO_RAN in text
    ]
    assert not leaked, f"snippet or macro ran in {len(leaked)} pages: {leaked[:5]}"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
@pytest.mark.parametrize("name", KINDS)
def test_no_dialog_in_chromium(sites: dict[str, list[Path]], name: str) -> None:
    raised: dict[int, list[str]] = {}
    visited = 0
    for site in sites[name]:
        found, count = _dialogs(site)
        visited += count
        for number, where in found.items():
            raised.setdefault(number, []).extend(f"{site.parent.name}/{w}" for w in where)
    assert visited > 300
    assert not raised, f"{len(raised)} vectors raised dialogs:\n{_describe(raised)}"
