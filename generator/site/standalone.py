"""`restref build` and `restref serve`: a complete site for users who have no `mkdocs.yml`.

The document is loaded once and handed to the plugin as a spec file in a temporary folder, with
a default Material configuration; the build itself is MkDocs'.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from generator import __version__, layout
from generator.errors import GeneratorError, OutputError
from generator.layout import OutputFile, Page, SiteFile
from generator.load import dump_document
from generator.pipeline import Source
from generator.render.escape import theme_title
from generator.render.pages import RenderOptions
from generator.site import defaults
from generator.write import WriteReport, sha256, write_pages


def default_config(title: str, source: Source, options: RenderOptions) -> dict[str, Any]:
    """The MkDocs configuration of a standalone reference site."""
    where = {"app": source.app} if source.app else {"spec": str(source.spec)}
    plugin: dict[str, Any] = {**where, "out": "", "base_url": options.base_url}
    if options.templates is not None:
        plugin["templates"] = str(options.templates.resolve())
    if options.trusted_html:
        plugin["trusted_html"] = True
    if options.filters != "auto":
        plugin["filters"] = options.filters
    return {
        "site_name": theme_title(title),
        "docs_dir": "docs",
        "theme": defaults.theme(),
        "markdown_extensions": defaults.markdown_extensions(),
        "plugins": ["search", {"restref": plugin}],
        "nav": [{"API reference": "./"}],
        "not_in_nav": defaults.not_in_nav(""),
    }


@contextmanager
def _project(source: Source, options: RenderOptions, *, live: bool = False) -> Iterator[Path]:
    """A temporary MkDocs project around the restref plugin.

    A build loads the document once and hands the plugin a copy; a live server hands it the
    user's own spec file or app target, so that every rebuild sees their latest changes.
    """
    if options.templates is not None and not options.templates.is_dir():
        raise GeneratorError(f"--templates {options.templates}: not a folder")
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


def build_site(
    source: Source, options: RenderOptions, site_dir: Path, *, force: bool = False
) -> WriteReport:
    """Build the static HTML site into `site_dir`, with the same file rules as `generate`.

    MkDocs builds into a temporary folder; the files are then written into `site_dir` with a
    manifest, so a rebuild replaces or removes only files an earlier build wrote: files of the
    user's stay. A non-empty folder that no build made is refused unless `force` is given.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    check_site_dir(site_dir, force=force)
    with _project(source, options) as config_file:
        built = config_file.parent / "site"
        try:
            config = load_config(str(config_file), site_dir=str(built))
            build(config)
        except MkDocsException as e:
            raise GeneratorError(f"mkdocs: {e}") from e
        files = _site_files(built)
    return write_pages(site_dir, files, force=True)


def _site_files(built: Path) -> list[OutputFile]:
    """Every file MkDocs built, in path order, and a manifest listing them last."""
    files: list[OutputFile] = [
        SiteFile(path.relative_to(built).as_posix(), path.read_bytes())
        for path in sorted(built.rglob("*"))
        if path.is_file()
    ]
    digests = {f.path: sha256(f.data) for f in files}
    manifest = {"generator": f"restref {__version__}", "files": digests}
    files.append(Page(layout.MANIFEST, json.dumps(manifest, indent=2) + "\n"))
    return files


def check_site_dir(site_dir: Path, *, force: bool = False) -> None:
    """Refuse a non-empty folder that no build made (hidden entries such as `.git` aside)."""
    if site_dir.exists() and not site_dir.is_dir():
        raise OutputError(f"--site-dir {site_dir}: not a folder")
    entries = site_dir.iterdir() if site_dir.is_dir() else iter(())
    visible = [p for p in entries if not p.name.startswith(".")]
    if visible and not force and not (site_dir / layout.MANIFEST).is_file():
        raise OutputError(
            f"--site-dir {site_dir}: the folder is not empty and was not made by restref "
            f"(no {layout.MANIFEST}); choose another folder, or pass --force to build into it "
            "(your files are kept; a file where the site needs one is refused)"
        )


def serve_site(source: Source, options: RenderOptions, dev_addr: str) -> None:
    """Serve the site with live reload until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    with _project(source, options, live=True) as config_file:
        try:
            serve(str(config_file), dev_addr=dev_addr, livereload=True)
        except MkDocsException as e:
            raise GeneratorError(f"mkdocs: {e}") from e
