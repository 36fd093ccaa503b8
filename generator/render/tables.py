"""Field and parameter tables as Markdown.

Tables are the bulk of every page (Prefect's filter bodies run to 150 rows), so they are built
here in Python rather than by a Jinja macro per cell; the templates call them through
`field_table` and `parameter_table` and can still replace them with macros of their own. Every
cell goes through `generator.render.escape`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from generator.model.api import Api
from generator.model.parts import Parameter
from generator.model.shapes import Field
from generator.render.escape import code_cell, path_code, table_cell

Link = Callable[[str], str]
TypeLabel = Callable[..., str]


class TableWriter:
    """Renders tables for one page: `link` makes paths relative to it."""

    def __init__(self, api: Api, link: Link, type_label: TypeLabel, trusted_html: bool) -> None:
        self.api = api
        self.link = link
        self.type_label = type_label
        self.trusted_html = trusted_html

    def field_table(self, fields: Iterable[Field]) -> str:
        """A Markdown table of field rows: name, type and description."""
        lines = ["| Field | Type | Description |", "| --- | --- | --- |"]
        for f in fields:
            name = path_code(f.path) + (" *required*" if f.required else "")
            lines.append(f"| {name} | {self.type_label(f.shape)} | {self.details(f)} |")
        return "\n".join(lines) + "\n\n"  # a blank line ends the table

    def parameter_table(self, parameters: Iterable[Parameter]) -> str:
        """A Markdown table of parameters."""
        lines = [
            "| Name | In | Type | Required | Default | Constraints | Description |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for p in parameters:
            default = code_cell(p.default) if p.default else ""
            lines.append(
                f"| {code_cell(p.name)} | {table_cell(p.location)} | {self.type_label(p.shape)} | "
                f"{'yes' if p.required else 'no'} | {default} | {self.constraints(p)} | "
                f"{self._text(p)} |"
            )
        return "\n".join(lines) + "\n\n"  # a blank line ends the table

    def details(self, item: Field) -> str:
        """Description, then default and constraints on their own line."""
        facts = []
        if item.default:
            facts.append(f"Default: {code_cell(item.default)}.")
        limits = self.constraints(item)
        if limits:
            facts.append(limits[:1].upper() + limits[1:] + ".")
        return "<br>".join(part for part in (self._text(item), " ".join(facts)) if part)

    def constraints(self, item: Field | Parameter) -> str:
        """The constraints cell: limits, allowed values and such."""
        parts = [table_cell(c, trusted_html=self.trusted_html) for c in item.constraints]
        if item.shape.enum and not item.shape.ref:
            values = ", ".join(
                code_cell(json.dumps(v, ensure_ascii=False)) for v in item.shape.enum
            )
            parts.append(f"one of {values}")
        return "; ".join(parts)

    def _text(self, item: Field | Parameter) -> str:
        flags = []
        if item.deprecated:
            flags.append("**Deprecated.**")
        if isinstance(item, Field):
            if item.read_only:
                flags.append("*Read-only.*")
            if item.write_only:
                flags.append("*Write-only.*")
            schema = self.api.schema(item.collapsed) if item.collapsed else None
            if schema is not None:
                title = table_cell(schema.title, trusted_html=self.trusted_html)
                flags.append(f"Fields: see [{title}]({self.link(schema.page)}).")
        description = table_cell(
            item.description, trusted_html=self.trusted_html, link_base=self.api.docs_url
        )
        return " ".join(part for part in (*flags, description) if part)
