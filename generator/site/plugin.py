"""The MkDocs plugin `restref`: the reference pages added in memory during a build.

Pages are `File.generated` (nothing is written into `docs_dir`). A nav entry equal to the
output folder (`- API reference: reference/`) is replaced by the reference's own navigation.
During `mkdocs serve` the spec file, the templates and a local app package are watched.
"""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import layout
from generator.errors import GeneratorError
from generator.model.api import Api
from generator.pipeline import NavPage, Result, Source, generate_pages
from generator.render.pages import DEFAULT_TEMPLATES, RenderOptions
from generator.site.sanitize import clean_html

log = get_plugin_logger(__name__)

# What the default templates use; added to the site's config when missing.
MARKDOWN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "tables": {},
    "attr_list": {},
    "admonition": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "toc": {"permalink": True},
}


class RestrefConfig(base.Config):
    app = c.Optional(c.Type(str))
    """App object or zero-argument factory, as `module.path:attr`."""
    spec = c.Optional(c.Type(str))
    """OpenAPI file (JSON or YAML), relative to `mkdocs.yml`."""
    out = c.Type(str, default="reference")
    """Folder of the site that holds the reference ("" for the site root)."""
    base_url = c.Type(str, default="")
    """Base URL used in code samples, e.g. `http://127.0.0.1:4200/api`."""
    templates = c.Optional(c.Type(str))
    """Folder of templates overriding the defaults, relative to `mkdocs.yml`."""
    trusted_html = c.Type(bool, default=False)
    """Keep raw HTML from the spec's descriptions (off: it is shown as text)."""


class RestrefPlugin(BasePlugin[RestrefConfig]):
    def __init__(self) -> None:
        self.result: Result | None = None
        self._generated: set[str] = set()

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        root = Path(config.config_file_path or ".").resolve().parent
        return (root / value).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if bool(self.config.app) == bool(self.config.spec):
            raise PluginError("restref: set exactly one of 'app' and 'spec'")
        spec = self._path(config, self.config.spec) if self.config.spec else None
        templates = self._path(config, self.config.templates) if self.config.templates else None
        options = RenderOptions(self.config.base_url, templates, self.config.trusted_html)
        try:
            self.result = generate_pages(Source(self.config.app, spec).load(), options)
        except GeneratorError as e:
            raise PluginError(f"restref: {e}") from e
        for warning in self.result.api.warnings:
            log.warning(warning)
        for name, settings in MARKDOWN_EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, settings)
        if layout.STYLESHEET not in config.extra_css:
            config.extra_css.append(layout.STYLESHEET)
        if config.nav is not None:
            config.nav = _replace_placeholder(
                config.nav, self._prefix(), self.result.api, self.result.extra_pages
            )
        return config

    def _prefix(self) -> str:
        out = self.config.out.strip("/")
        return f"{out}/" if out else ""

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.result is not None
        prefix = self._prefix()
        for page in self.result.pages:
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
        page.title = safe_title(str(page.title or ""))
        return clean_html(html, trusted_html=self.config.trusted_html)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        watched = []
        if self.config.spec:
            watched.append(self._path(config, self.config.spec))
        if self.config.templates:
            watched.append(self._path(config, self.config.templates))
        if self.config.app:
            watched += _local_package(self.config.app)
        for path in watched:
            server.watch(str(path))
        return server


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


def reference_nav(api: Api, prefix: str, extra_pages: Sequence[NavPage] = ()) -> list[Any]:
    """Navigation of the reference: overview, one section per tag, schemas."""
    nav: list[Any] = [{"Overview": f"{prefix}{layout.INDEX}"}]
    nav += [{_nav_title(extra.title): f"{prefix}{extra.page}"} for extra in extra_pages]
    for tag in api.tags:
        pages: list[Any] = [f"{prefix}{tag.page}"]
        # An operation with several tags has one page, in the nav of its first tag.
        pages += [
            {_nav_title(op.title): f"{prefix}{op.page}"}
            for op in tag.operations
            if op.tags[0] is tag
        ]
        nav.append({_nav_title(tag.name): pages})
    if api.webhooks:
        hooks = [{_nav_title(op.title): f"{prefix}{op.page}"} for op in api.webhooks]
        nav.append({"Webhooks": hooks})
    nav.append({"Schema index": f"{prefix}{layout.SCHEMA_INDEX}"})
    return nav


def _nav_title(text: str) -> str:
    return safe_title(" ".join(text.split()) or "Untitled")


def safe_title(text: str) -> str:
    """A title that stays text wherever a theme puts it.

    Themes insert titles unescaped, and Material's `striptags` even decodes entities first, so
    escaping alone is not enough: angle brackets and quotes become look-alike characters.
    """
    text = html.unescape(text)
    for raw, shown in (
        ("&", "&amp;"),
        ("<", "\u2039"),
        (">", "\u203a"),
        ('"', "\u201d"),
        ("'", "\u2019"),
    ):
        text = text.replace(raw, shown)
    return text


def _replace_placeholder(nav: Any, prefix: str, api: Api, extra: Sequence[NavPage]) -> Any:
    wanted = {prefix, prefix.rstrip("/")} if prefix else {"./", "/"}
    if isinstance(nav, list):
        return [_replace_placeholder(item, prefix, api, extra) for item in nav]
    if isinstance(nav, str) and nav in wanted:
        return {"API reference": reference_nav(api, prefix, extra)}
    if isinstance(nav, dict) and len(nav) == 1:
        ((title, value),) = nav.items()
        if isinstance(value, str) and value in wanted:
            return {title: reference_nav(api, prefix, extra)}
        return {title: _replace_placeholder(value, prefix, api, extra)}
    return nav
