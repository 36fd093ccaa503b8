"""The MkDocs plugin in process: `load_config`, then `build` into `tmp_path`, then the HTML."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, get_files

from generator.pipeline import Source
from generator.render.pages import RenderOptions
from generator.site import defaults
from generator.site.standalone import default_config
from tests.conftest import FIXTURES
from tests.entry_points import ROOT, use_tree_plugin

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

LIBRARY = str(FIXTURES / "library-3.0.yaml")
HOME = "# Home\n\nSee the [API](api/index.md).\n"


@pytest.fixture(autouse=True)
def _tree_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tree_plugin(monkeypatch)


def make_site(
    root: Path,
    options: dict[str, Any],
    nav: list[Any] | None = None,
    home: str = HOME,
) -> Path:
    """A small MkDocs project with the restref plugin; returns its `mkdocs.yml`."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(home, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Library docs",
        "theme": {"name": "material"},
        "plugins": [{"restref": options}],
    }
    if nav is not None:
        config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "mkdocs.yml"


def build_site(config_file: Path) -> Path:
    """Build in this process; returns the site folder."""
    site = config_file.parent / "site"
    build(load_config(str(config_file), site_dir=str(site)))
    return site


def text(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_reference_pages_and_nav_replace_a_nested_placeholder(tmp_path: Path) -> None:
    nav = [{"Home": "index.md"}, {"Guides": [{"Library API": "api/"}]}]
    site = build_site(make_site(tmp_path, {"spec": LIBRARY, "out": "api"}, nav))
    page = text(site, "api/books/get-books-isbn/index.html")
    assert "/books/{isbn}" in page
    home = text(site, "index.html")
    # The placeholder's title is kept; the reference's pages are in every page's nav.
    assert "Library API" in home
    assert "Read a book" in home
    assert 'href="api/books/get-books-isbn/"' in home
    assert "assets/restref/restref.css" in home
    assert (site / "api" / "openapi.json").is_file()
    assert not (site / "api" / ".restref-manifest.json").exists()
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["index.md"]


def test_the_build_is_deterministic(tmp_path: Path) -> None:
    first = build_site(make_site(tmp_path / "a", {"spec": LIBRARY, "out": "api"}))
    second = build_site(make_site(tmp_path / "b", {"spec": LIBRARY, "out": "api"}))
    pages = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.html"))
    assert len(pages) > 5
    assert pages == sorted(p.relative_to(second).as_posix() for p in second.rglob("*.html"))
    for page in pages:
        assert text(first, page) == text(second, page), page


def test_enabled_false_adds_nothing(tmp_path: Path) -> None:
    site = build_site(make_site(tmp_path, {"spec": LIBRARY, "out": "api", "enabled": False}))
    assert (site / "index.html").is_file()
    assert not (site / "api").exists()
    assert "restref.css" not in text(site, "index.html")


def test_disabled_plugin_needs_no_source(tmp_path: Path) -> None:
    site = build_site(make_site(tmp_path, {"enabled": False}))
    assert (site / "index.html").is_file()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"spec": "missing.yaml"}, "option 'spec'"),
        ({"spec": LIBRARY, "templates": "no-such-folder"}, "option 'templates'"),
        ({"spec": LIBRARY, "app": "tests.fixtures.shop_app:app"}, "exactly one of"),
        ({}, "exactly one of"),
        ({"spec": LIBRARY, "enabled": "yes"}, "option 'enabled'"),
    ],
)
def test_bad_options_are_config_errors_naming_the_option(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, options: dict[str, Any], named: str
) -> None:
    config_file = make_site(tmp_path, options)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        load_config(str(config_file))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "Plugin 'restref'" in errors[0]
    assert named in errors[0]


def test_a_broken_spec_is_one_plugin_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\npaths: [\n", encoding="utf-8")
    config = load_config(str(make_site(tmp_path / "site", {"spec": str(broken)})))
    # MkDocs logs a plugin's `PluginError` as one line, then aborts the build.
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="BuildError"):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith("restref: ")
    assert "broken.yaml:3:1: invalid YAML" in errors[0]
    assert "Traceback" not in caplog.text


def test_templates_option_overrides_a_page(tmp_path: Path) -> None:
    templates = tmp_path / "house"
    templates.mkdir()
    (templates / "index.md.jinja2").write_text("# {{ api.title }}\n\nHouse style overview.\n")
    options = {"spec": LIBRARY, "out": "api", "templates": "house"}
    site = build_site(make_site(tmp_path, options))
    assert "House style overview." in text(site, "api/index.html")
    assert "/books/{isbn}" in text(site, "api/books/get-books-isbn/index.html")


def test_a_docs_file_in_the_way_of_a_generated_page_stops_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = make_site(tmp_path, {"spec": LIBRARY, "out": "api"})
    (tmp_path / "docs" / "api").mkdir()
    (tmp_path / "docs" / "api" / "index.md").write_text("# Mine\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(config_file)))
    assert "restref: docs/api/index.md exists" in caplog.text
    assert text(tmp_path / "docs" / "api", "index.md") == "# Mine\n"


def test_missing_markdown_extensions_are_added_and_the_users_kept(tmp_path: Path) -> None:
    config_file = make_site(tmp_path, {"spec": LIBRARY})
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["markdown_extensions"] = [{"toc": {"permalink": "#"}}]
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    loaded = load_config(str(config_file))
    loaded.plugins.on_config(loaded)
    assert "pymdownx.tabbed" in loaded.markdown_extensions
    assert loaded.mdx_configs["pymdownx.tabbed"] == {"alternate_style": True}
    assert loaded.mdx_configs["toc"] == {"permalink": "#"}


def test_repository_mkdocs_yml_repeats_the_site_defaults() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    restref = next(
        p["restref"] for p in config["plugins"] if isinstance(p, dict) and "restref" in p
    )
    theme = defaults.theme()
    assert config["theme"]["name"] == theme["name"] == "material"
    assert config["theme"]["features"] == theme["features"] != []
    assert config["theme"]["palette"] == theme["palette"] != []
    assert (
        config["not_in_nav"].strip()
        == defaults.not_in_nav(restref["out"])
        == ("/reference/schemas/*.md")
    )
    # Every extension the pages need, with the same settings; the site may add more.
    extensions = defaults.markdown_extensions()
    assert [e for e in config["markdown_extensions"] if e in extensions] == extensions


def test_standalone_config_uses_the_site_defaults(tmp_path: Path) -> None:
    config = default_config("<b>Shop</b>", Source(spec=tmp_path / "a.json"), RenderOptions())
    assert config["theme"] == defaults.theme()
    assert config["markdown_extensions"] == defaults.markdown_extensions()
    assert config["not_in_nav"] == "/schemas/*.md"
    assert config["site_name"] == "\u2039b\u203aShop\u2039/b\u203a"
    assert config["plugins"][1] == {
        "restref": {"spec": str(tmp_path / "a.json"), "out": "", "base_url": ""}
    }


def test_generated_files_come_in_the_order_mkdocs_walks_a_docs_dir(tmp_path: Path) -> None:
    config = load_config(str(make_site(tmp_path / "site", {"spec": LIBRARY, "out": "api"})))
    config = config.plugins.on_config(config)
    added = [f.src_uri for f in config.plugins.on_files(Files([]), config=config)]
    # The same paths as real files: MkDocs' own walk gives the order an automatic nav uses.
    on_disk = tmp_path / "docs"
    for uri in added:
        (on_disk / uri).parent.mkdir(parents=True, exist_ok=True)
        (on_disk / uri).write_text("x\n", encoding="utf-8")
    config.docs_dir = str(on_disk)
    walked = [f.src_uri for f in get_files(config)]
    pages = [uri for uri in added if uri.endswith(".md")]
    assert len(pages) > 5
    assert pages[0] == "api/index.md"
    assert pages == [uri for uri in walked if uri.endswith(".md")]


class Server:
    """Records what `mkdocs serve` would be told to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def serve(config: MkDocsConfig, server: Server) -> None:
    """Send `on_serve` through MkDocs' plugin collection, with the recording server standing in."""
    config.plugins.on_serve(cast("LiveReloadServer", server), config=config, builder=lambda: None)


@pytest.mark.parametrize("enabled", [True, False])
def test_serve_watches_the_spec_and_templates(tmp_path: Path, enabled: bool) -> None:
    (tmp_path / "house").mkdir()
    options = {"spec": LIBRARY, "templates": "house", "enabled": enabled}
    config = load_config(str(make_site(tmp_path, options)))
    server = Server()
    serve(config, server)
    assert server.watched == ([LIBRARY, str(tmp_path / "house")] if enabled else [])


def test_serve_watches_the_users_app_package(tmp_path: Path) -> None:
    config = load_config(str(make_site(tmp_path, {"app": "tests.fixtures.shop_app:app"})))
    server = Server()
    serve(config, server)
    assert server.watched == [str(ROOT / "tests")]
