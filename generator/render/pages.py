"""Model -> pages, through Jinja templates the user can override one by one.

Each page kind has one small function with an explicit template context. Markdown is the output,
so autoescaping is off and spec text goes through the filters registered in `make_environment`.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import layout
from generator.errors import GeneratorError
from generator.filters import FilterMode, QueryLanguage
from generator.layout import Page
from generator.model.api import Api, Operation, SchemaDef, Tag
from generator.model.shapes import Shape
from generator.render import escape, samples
from generator.render.filtering import FilterText
from generator.render.labels import type_label
from generator.render.macros import DefaultMacroExtension
from generator.render.markdown_extension import GENERATED_MARKER
from generator.render.request import body_text
from generator.render.tables import TableWriter

_PACKAGE = Path(__file__).parents[1]
DEFAULT_TEMPLATES = _PACKAGE / "templates"  # in a wheel, the templates are inside the package
if not DEFAULT_TEMPLATES.is_dir():  # a source checkout: templates/ sits beside the package
    DEFAULT_TEMPLATES = _PACKAGE.parent / "templates"


@dataclass(frozen=True)
class Example:
    """A request body example shown on a page (listed in the manifest exactly as shown)."""

    method: str
    path: str
    title: str
    body: Any


@dataclass(frozen=True)
class RenderOptions:
    """How the pages are rendered; the same choices as the command line's options."""

    base_url: str = ""
    """Prefix of the URLs in code samples; when empty, the document's first server, if any."""
    templates: Path | None = None
    """A folder of templates that override the defaults one by one."""
    trusted_html: bool = False
    """Keep raw HTML from the document's descriptions (off: it is shown as text)."""
    filters: FilterMode = "auto"
    """Filtering sections and guide: `auto` where the API's structure proves a filter language,
    `on` wherever filter-like bodies are found, `off` never."""


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process.

    A bucket is keyed by the template's name and file and carries its source's checksum, so an
    edited template (in `serve`, or a user's folder) is compiled again; the rest is reused by
    every later `Renderer` instead of being compiled once per run.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill `bucket` from memory, if this template was compiled before."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code just compiled."""
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def make_environment(options: RenderOptions, link_base: str | None = None) -> jinja2.Environment:
    """Templates from the user's folder first, then ours (also reachable as `default/...`).

    `link_base` (the document's `externalDocs` URL) resolves site-relative description links.
    """
    defaults = jinja2.FileSystemLoader(DEFAULT_TEMPLATES)
    loaders: list[jinja2.BaseLoader] = []
    if options.templates is not None:
        if not options.templates.is_dir():
            raise GeneratorError(f"--templates {options.templates}: not a folder")
        loaders.append(jinja2.FileSystemLoader(options.templates))
    loaders += [jinja2.PrefixLoader({"default": defaults}), defaults]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do", DefaultMacroExtension],
        bytecode_cache=_COMPILED,
    )
    # Every filter comes from the one escaping module; templates print spec text through them.
    env.filters.update(escape.filters(options.trusted_html, link_base))
    return env


class Renderer:
    """Renders every page of one `Api`; links are made relative to the page being written."""

    def __init__(
        self, api: Api, options: RenderOptions, language: QueryLanguage | None = None
    ) -> None:
        self.api = api
        self.options = options
        self.language = language
        self.env = make_environment(options, api.docs_url)
        base = options.base_url or (api.servers[0] if api.servers else "")
        self.base_url = base
        self._filter_text = FilterText(base, options.trusted_html, api.security_schemes)

    def site(self) -> tuple[list[Page], list[Example]]:
        """Every page of the site, and the examples written on them."""
        pages = [self.index()]
        if self.language is not None and self.language.operations:
            pages.append(self.filtering_guide(self.language))
        examples: list[Example] = []
        pages += [self.tag(tag) for tag in self.api.tags]
        for op in self.api.operations:
            page, shown = self.operation(op)
            pages.append(page)
            examples += shown
        for hook in self.api.webhooks:
            page, shown = self.operation(hook)
            pages.append(page)
            examples += shown
        pages.append(self.schemas_index())
        pages += [self.schema(s) for s in self.api.schemas]
        return pages, examples

    def _render(self, template: str, page: str, **context: Any) -> Page:
        try:
            link = self._linker(page)
            type_label = self._typer(page)
            tables = TableWriter(self.api, link, type_label, self.options.trusted_html)
            text = self.env.get_template(template).render(
                api=self.api,
                page=page,
                link=link,
                type_label=type_label,
                tables=tables,
                options=self.options,
                layout=layout,
                **context,
            )
        except jinja2.TemplateError as e:
            where = getattr(e, "filename", None) or template
            line = getattr(e, "lineno", None)
            raise GeneratorError(f"template {where}{f':{line}' if line else ''}: {e}") from e
        # The marker lets the `restref` Markdown extension sanitise our pages and only ours.
        return Page(page, f"{tidy(text)}\n{GENERATED_MARKER}\n")

    def index(self) -> Page:
        """The overview page."""
        return self._render("index.md.jinja2", layout.INDEX)

    def tag(self, tag: Tag) -> Page:
        """The page of one tag."""
        return self._render("tag.md.jinja2", tag.page, tag=tag)

    def operation(self, op: Operation) -> tuple[Page, list[Example]]:
        """The page of one operation, and the examples it shows."""
        body = op.request_body
        request = samples.example_request(
            op,
            self.base_url,
            body.example if body else None,
            body is not None,
            schemes=self.api.security_schemes,
        )
        code = {
            "curl": samples.curl(request),
            "Python": samples.python_httpx(request),
            "JavaScript": samples.javascript_fetch(request),
        }
        shown = [Example(op.method, op.path, "Example request", body.example)] if body else []
        filtering = self.language.for_operation(op) if self.language is not None else None
        if filtering is not None:
            title = self._filter_text.prose
            shown += [
                Example(op.method, op.path, title(e.title), e.body) for e in filtering.examples
            ]
        page = self._render(
            "operation.md.jinja2",
            op.page,
            op=op,
            samples=code,
            sample_request=request,
            body_text=body_text,
            filtering=filtering,
            filter_text=self._filter_text,
            base_url=self.base_url,
        )
        return page, shown

    def filtering_guide(self, language: QueryLanguage) -> Page:
        """The guide to the API's filter language."""
        return self._render(
            "filtering_guide.md.jinja2",
            layout.GUIDE,
            language=language,
            filter_text=self._filter_text,
        )

    def schemas_index(self) -> Page:
        """The list of schema pages."""
        return self._render("schemas.md.jinja2", layout.SCHEMA_INDEX)

    def schema(self, schema: SchemaDef) -> Page:
        """The page of one component schema."""
        return self._render("schema.md.jinja2", schema.page, schema=schema)

    def _linker(self, here: str) -> Callable[[str], str]:
        base = posixpath.dirname(here) or "."
        return lambda target: _relative(target, base)

    def _typer(self, here: str) -> Callable[..., str]:
        link = self._linker(here)

        def label(shape: Shape | None, *, expand: bool = False) -> str:
            return type_label(shape, self.api, link, expand=expand)

        return label


@functools.lru_cache(maxsize=65536)  # pages in one folder link to the same few hundred pages
def _relative(target: str, base: str) -> str:
    return posixpath.relpath(target, base)


def tidy(text: str) -> str:
    """One blank line at most between blocks, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def render_pages(
    api: Api, options: RenderOptions, language: QueryLanguage | None = None
) -> tuple[list[Page], list[Example]]:
    """Every Markdown page of the reference, and the request examples they show."""
    return Renderer(api, options, language).site()
