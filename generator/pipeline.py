"""The whole flow in one place, one stage per subpackage.

1. `load`: an app target or a spec file -> the OpenAPI document (`Source.load`);
2. `model`: the document -> `Api`, walked and resolved once (`build_api`);
3. `filters`: the filter query language, read from the model (`filters.analyse`);
4. `render`: the model -> Markdown pages through the templates (`render_pages`), plus the
   document itself and the manifest;
5. `write`: pages -> files (`generator.write.write_pages`), called by the CLI only.

Both front ends, the CLI and the MkDocs plugin (`generator.site`), call `generate_pages`, so
they produce the same pages; the plugin hands them to MkDocs in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import __version__, filters, layout, redirects
from generator.layout import Page
from generator.load import dump_document, load_app, load_spec_file
from generator.model.api import Api, build_api
from generator.render.pages import Example, RenderOptions, render_pages
from generator.write import sha256


@dataclass(frozen=True)
class Source:
    """Where the OpenAPI document comes from: an app target or a spec file."""

    app: str | None = None
    """An app object or zero-argument factory, as `module.path:attr`."""
    spec: Path | None = None
    """An OpenAPI file (JSON or YAML; Swagger 2.0 is converted)."""

    def load(self) -> dict[str, Any]:
        """The OpenAPI document; an app is imported in a child process."""
        if self.app:
            return load_app(self.app)
        if self.spec is None:
            raise ValueError("a Source needs an app target or a spec file")
        return load_spec_file(self.spec)


@dataclass(frozen=True)
class NavPage:
    """A generated page beyond the per-tag ones (such as a guide), for the navigation."""

    title: str
    """Its title in the navigation."""
    page: str
    """Its path relative to the output folder."""


@dataclass(frozen=True)
class Result:
    """What `generate_pages` made: the model and every file of the reference."""

    api: Api
    """The model of the document."""
    pages: list[Page]
    """The Markdown pages, `openapi.json`, then the manifest (always last)."""
    extra_pages: tuple[NavPage, ...] = ()
    """Pages beyond the per-tag ones, for the navigation (the filtering guide)."""
    redirects: Mapping[str, str] = field(default_factory=dict)
    """Pages of earlier runs that are gone -> the pages replacing them."""


def generate_pages(
    doc: dict[str, Any],
    options: RenderOptions,
    previous: Mapping[str, Any] | None = None,
    kept: Iterable[str] = (),
) -> Result:
    """Every file of the reference for one OpenAPI document. Pure: nothing is written.

    `previous` is the manifest of the output folder's earlier run: pages it had that are gone
    now get redirect pages (see `generator.redirects`), except `kept`, pages the user edited.
    """
    api = build_api(doc)
    language = filters.analyse(api, mode=options.filters)
    pages, examples = render_pages(api, options, language)
    moves = redirects.ledger(previous, api, (p.path for p in pages), kept)
    pages += redirects.redirect_pages(moves)
    document_text = dump_document(doc)
    pages.append(Page(layout.DOCUMENT, document_text))
    manifest = manifest_text(api, document_text, pages, examples, options, moves)
    pages.append(Page(layout.MANIFEST, manifest))
    extra = (NavPage("Filtering guide", layout.GUIDE),) if language.operations else ()
    return Result(api, pages, extra, moves)


def options_record(options: RenderOptions) -> dict[str, Any]:
    """The options that shaped the pages, as the manifest records them (and the CLI reuses)."""
    return {
        "base_url": options.base_url,
        "templates": None if options.templates is None else options.templates.as_posix(),
        "trusted_html": options.trusted_html,
        "filters": options.filters,
    }


def manifest_text(
    api: Api,
    document_text: str,
    pages: list[Page],
    examples: list[Example],
    options: RenderOptions,
    moves: Mapping[str, str],
) -> str:
    """The manifest that later tools rely on (see the output contract in the docs)."""
    manifest = {
        "generator": f"restref {__version__}",
        "openapi_sha256": sha256(document_text.encode("utf-8")),
        "options": options_record(options),
        "operations": [
            {
                "method": op.method,
                "path": op.path,
                "operation_id": op.operation_id,
                "tags": list(op.tag_names),
                "page": op.page,
            }
            for op in api.operations
        ],
        "schemas": {s.name: s.page for s in api.schemas},
        "redirects": dict(moves),
        "examples": [
            {"method": e.method, "path": e.path, "title": e.title, "body": e.body} for e in examples
        ],
        "files": {p.path: sha256(p.data) for p in pages},
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
