"""The reference's navigation, as MkDocs `nav` data (lists of `{title: page or section}`).

Pure functions of the model: the plugin puts their result in place of the user's placeholder
entry (`- API reference: reference/`). Titles come from the spec, so every one of them passes
through `nav_title` (the escaping module's rule for titles themes print unescaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator import layout
from generator.model.api import Api
from generator.pipeline import NavPage
from generator.render.escape import nav_title

DEFAULT_SECTION = "API reference"  # the title of a placeholder that has none


def folder_prefix(out: str) -> str:
    """The page-path prefix of the output folder: `reference/`, or "" for the site root."""
    out = out.strip("/")
    return f"{out}/" if out else ""


def reference_nav(api: Api, prefix: str, extra_pages: Sequence[NavPage] = ()) -> list[Any]:
    """Overview, extra pages (the filtering guide), one section per tag, webhooks, schemas."""
    nav: list[Any] = [{"Overview": f"{prefix}{layout.INDEX}"}]
    nav += [{nav_title(extra.title): f"{prefix}{extra.page}"} for extra in extra_pages]
    for tag in api.tags:
        pages: list[Any] = [f"{prefix}{tag.page}"]
        # An operation with several tags has one page, in the nav of its first tag.
        pages += [
            {nav_title(op.title): f"{prefix}{op.page}"}
            for op in tag.operations
            if op.tags[0] is tag
        ]
        nav.append({nav_title(tag.name): pages})
    if api.webhooks:
        nav.append(
            {"Webhooks": [{nav_title(op.title): f"{prefix}{op.page}"} for op in api.webhooks]}
        )
    nav.append({"Schema index": f"{prefix}{layout.SCHEMA_INDEX}"})
    return nav


def replace_placeholder(nav: Any, prefix: str, reference: list[Any]) -> Any:
    """`nav` with each entry pointing at the output folder replaced by `reference`.

    The placeholder is the folder with or without its slash (`reference/`, `reference`; `./` or
    `/` for the site root), titled (`- API: reference/`) or not; it may sit in any section.
    """
    wanted = {prefix, prefix.rstrip("/")} if prefix else {"./", "/"}
    if isinstance(nav, list):
        return [replace_placeholder(item, prefix, reference) for item in nav]
    if isinstance(nav, str) and nav in wanted:
        return {DEFAULT_SECTION: reference}
    if isinstance(nav, dict) and len(nav) == 1:
        ((title, value),) = nav.items()
        if isinstance(value, str) and value in wanted:
            return {title: reference}
        return {title: replace_placeholder(value, prefix, reference)}
    return nav
