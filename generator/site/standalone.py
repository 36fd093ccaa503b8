"""`restref build` and `restref serve`: a complete site for users who have no `mkdocs.yml`.

The document is loaded once and handed to the plugin as a spec file in a temporary folder, with
a default Material configuration; the build itself is MkDocs'.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from generator import layout
from generator.errors import GeneratorError
from generator.load import dump_document
from generator.pipeline import Source
from generator.render.pages import RenderOptions
from generator.site.plugin import MARKDOWN_EXTENSIONS, safe_title


def default_config(title: str, source: Source, options: RenderOptions) -> dict[str, Any]:
    """The MkDocs configuration of a standalone reference site."""
    where = {"app": source.app} if source.app else {"spec": str(source.spec)}
    plugin: dict[str, Any] = {**where, "out": "", "base_url": options.base_url}
    if options.templates is not None:
        plugin["templates"] = str(options.templates.resolve())
    if options.trusted_html:
        plugin["trusted_html"] = True
    return {
        "site_name": safe_title(title),
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "features": [
                "navigation.indexes",
                "navigation.prune",  # the nav has a link per operation: render only the open part
                "navigation.top",
                "content.code.copy",
                "content.tabs.link",
                "search.suggest",
            ],
        },
        "markdown_extensions": [{name: settings} for name, settings in MARKDOWN_EXTENSIONS.items()],
        "plugins": ["search", {"restref": plugin}],
        "nav": [{"API reference": "./"}],
        "not_in_nav": f"/{layout.SCHEMA_FOLDER}/*.md",
    }


@contextmanager
def _project(source: Source, options: RenderOptions, *, live: bool = False) -> Iterator[Path]:
    """A temporary MkDocs project around the restref plugin.

    A build loads the document once and hands the plugin a copy; a live server hands it the
    user's own spec file or app target, so that every rebuild sees their latest changes.
    """
    doc = source.load()
    with tempfile.TemporaryDirectory(prefix="restref-site-") as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        if live:
            plugin_source = Source(source.app, source.spec.resolve() if source.spec else None)
        else:
            copy = root / layout.DOCUMENT
            copy.write_text(dump_document(doc), encoding="utf-8")
            plugin_source = Source(spec=copy)
        title = str((doc.get("info") or {}).get("title") or "API reference")
        config = default_config(title, plugin_source, options)
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
        yield root / "mkdocs.yml"


def build_site(source: Source, options: RenderOptions, site_dir: Path) -> None:
    """Build the static HTML site into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _project(source, options) as config_file:
        try:
            config = load_config(str(config_file), site_dir=str(site_dir.resolve()))
            build(config)
        except MkDocsException as e:
            raise GeneratorError(f"mkdocs: {e}") from e


def serve_site(source: Source, options: RenderOptions, dev_addr: str) -> None:
    """Serve the site with live reload until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    with _project(source, options, live=True) as config_file:
        try:
            serve(str(config_file), dev_addr=dev_addr, livereload=True)
        except MkDocsException as e:
            raise GeneratorError(f"mkdocs: {e}") from e
