"""The MkDocs plugin `restref`: the reference pages added in memory during a build.

MkDocs glue only: the pages come from `generate_pages`, the navigation from `site.nav`, the
Markdown extensions from `site.defaults`. Pages are `File.generated`; nothing is written into
`docs_dir`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, cast

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import layout
from generator.errors import GeneratorError
from generator.filters import FilterMode
from generator.pipeline import Result, Source, generate_pages
from generator.render.escape import theme_title
from generator.render.pages import DEFAULT_TEMPLATES, RenderOptions
from generator.site import nav
from generator.site.defaults import MARKDOWN_EXTENSIONS
from generator.site.sanitize import clean_html

log = get_plugin_logger(__name__)


class RestrefConfig(base.Config):
    """The plugin's options in `mkdocs.yml`."""

    enabled = c.Type(bool, default=True)
    """Off: the plugin adds nothing to the site (`!ENV` can set it from the environment)."""
    app = c.Optional(c.Type(str))
    """App object or zero-argument factory, as `module.path:attr`; set this or `spec`."""
    spec = c.Optional(c.File(exists=True))
    """OpenAPI file (JSON or YAML), relative to `mkdocs.yml`; set this or `app`."""
    out = c.Type(str, default="reference")
    """Folder of the site that holds the reference ("" for the site root)."""
    base_url = c.Type(str, default="")
    """Base URL used in code samples, e.g. `http://127.0.0.1:4200/api`."""
    templates = c.Optional(c.Dir(exists=True))
    """Folder of templates overriding the defaults, relative to `mkdocs.yml`."""
    trusted_html = c.Type(bool, default=False)
    """Keep raw HTML from the spec's descriptions (off: it is shown as text)."""
    filters = c.Choice(("auto", "on", "off"), default="auto")
    """Filtering sections: where the schemas prove a filter language, always, or never."""

    def validate(self) -> tuple[list[Any], list[Any]]:
        """MkDocs' checks, plus: exactly one of `app` and `spec` when enabled."""
        failed, warnings = super().validate()
        if not failed and self.enabled and bool(self.app) == bool(self.spec):
            failed.append(("app", ValidationError("set exactly one of 'app' and 'spec'")))
        return failed, warnings


class RestrefPlugin(BasePlugin[RestrefConfig]):
    """The MkDocs plugin: the reference pages as generated files, nothing written to `docs_dir`."""

    def __init__(self) -> None:
        self.result: Result | None = None
        self._generated: set[str] = set()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Generate the pages and add the Markdown extensions they need."""
        if not self.config.enabled:
            return config
        spec, templates = self.config.spec, self.config.templates
        options = RenderOptions(
            self.config.base_url,
            Path(templates) if templates else None,
            self.config.trusted_html,
            cast("FilterMode", self.config.filters),  # c.Choice checked the value
        )
        try:
            source = Source(self.config.app, Path(spec) if spec else None)
            self.result = generate_pages(source.load(), options)
        except GeneratorError as e:
            raise PluginError(f"restref: {e}") from e
        for warning in self.result.api.warnings:
            log.warning(warning)
        for name, settings in MARKDOWN_EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, dict(settings))
        if layout.STYLESHEET not in config.extra_css:
            config.extra_css.append(layout.STYLESHEET)
        if config.nav is not None:
            prefix = nav.folder_prefix(self.config.out)
            reference = nav.reference_nav(self.result.api, prefix, self.result.extra_pages)
            config.nav = nav.replace_placeholder(config.nav, prefix, reference)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages, refusing any that would hide a file of the user's."""
        if self.result is None:
            return files
        prefix = nav.folder_prefix(self.config.out)
        # In the order MkDocs walks `docs_dir`, so an automatic nav lists them the same way.
        pages = sorted(self.result.pages, key=lambda page: _walk_order(page.path))
        for page in pages:
            if page.path == layout.MANIFEST:
                continue
            uri = prefix + page.path
            existing = files.get_file_from_path(uri)
            if existing is not None and not existing.generated_by:
                raise PluginError(f"restref: docs/{uri} exists; it would hide a generated page")
            files.append(File.generated(config, uri, content=page.text))
            self._generated.add(uri)
        css = (DEFAULT_TEMPLATES / "assets" / "restref.css").read_text(encoding="utf-8")
        files.append(File.generated(config, layout.STYLESHEET, content=css))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise the HTML of generated pages; their text comes from an untrusted spec."""
        if page.file.src_uri not in self._generated:
            return html
        page.title = theme_title(str(page.title or ""))
        return clean_html(html, trusted_html=self.config.trusted_html)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when the spec file, the templates or the user's own app package change."""
        if not self.config.enabled:
            return server
        watched = [p for p in (self.config.spec, self.config.templates) if p]
        if self.config.app:
            watched += [str(p) for p in _local_package(self.config.app)]
        for path in watched:
            server.watch(path)
        return server


def _walk_order(path: str) -> tuple[tuple[str, ...], bool, str]:
    """Folder by folder, a folder's own files first, `index.md` first among them."""
    *folders, name = path.split("/")
    return tuple(folders), name != layout.INDEX, name


def _local_package(target: str) -> list[Path]:
    """The app's top-level package folder, when it is the user's code (not site-packages)."""
    top = target.split(":", 1)[0].split(".", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin or "site-packages" in spec.origin:
        return []
    origin = Path(spec.origin)
    return [origin.parent if origin.name == "__init__.py" else origin]
