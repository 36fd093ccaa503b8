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
from generator.model.shapes import MIN_SHARED_ROWS, Field, Shape, option_name
from generator.render.escape import code_cell, path_code, table_cell, table_row
from generator.render.labels import value_code

Link = Callable[[str], str]
TypeLabel = Callable[..., str]


class TableWriter:
    """Renders tables for one page: `link` makes paths relative to it."""

    def __init__(self, api: Api, link: Link, type_label: TypeLabel, trusted_html: bool) -> None:
        self.api = api
        self.link = link
        self.type_label = type_label
        self.trusted_html = trusted_html
        self._shown: list[tuple[tuple[Field, ...], str]] = []  # big tables on this page

    def shown_as(self, fields: Iterable[Field], where: str) -> str:
        """Where the same field table is shown on this page already ("" when it is not).

        The first time a table of `MIN_SHARED_ROWS` rows or more is asked for it is recorded
        under `where` (Markdown, escaped by the caller): a 200 and a 201 returning the same
        schema show its fields once.
        """
        rows = tuple(fields)
        if len(rows) < MIN_SHARED_ROWS:
            return ""
        for earlier, name in self._shown:
            if earlier == rows:
                return name
        self._shown.append((rows, where))
        return ""

    def field_table(self, fields: Iterable[Field]) -> str:
        """A Markdown table of field rows: name, type and description."""
        lines = [table_row("Field", "Type", "Description"), table_row("---", "---", "---")]
        for f in fields:
            name = path_code(f.path) + (" *required*" if f.required else "")
            lines.append(table_row(name, self.type_label(f.shape), self.details(f)))
        return "\n".join(lines) + "\n\n"  # a blank line ends the table

    def parameter_table(self, parameters: Iterable[Parameter]) -> str:
        """A Markdown table of parameters."""
        header = ("Name", "In", "Type", "Required", "Default", "Constraints", "Description")
        lines = [table_row(*header), table_row(*["---"] * len(header))]
        lines += [
            table_row(
                code_cell(p.name),
                table_cell(p.location),
                self.type_label(p.shape),
                "yes" if p.required else "no",
                value_code(p.default) if p.default else "",
                self.constraints(p),
                self._text(p),
            )
            for p in parameters
        ]
        return "\n".join(lines) + "\n\n"  # a blank line ends the table

    def details(self, item: Field) -> str:
        """Description, then default and constraints on their own line."""
        facts = []
        if item.default:
            facts.append(f"Default: {value_code(item.default)}.")
        limits = self.constraints(item)
        if limits:
            facts.append(limits[:1].upper() + limits[1:] + ".")
        return "<br>".join(part for part in (self._text(item), " ".join(facts)) if part)

    def constraints(self, item: Field | Parameter) -> str:
        """The constraints cell: limits, allowed values and such."""
        parts = [self._constraint(c) for c in item.constraints]
        if item.shape.enum and not item.shape.ref:
            values = ", ".join(
                value_code(json.dumps(v, ensure_ascii=False)) for v in item.shape.enum
            )
            parts.append(f"one of {values}")
        return "; ".join(parts)

    def _constraint(self, text: str) -> str:
        # A pattern is code: `code_cell` keeps its pipes shown as written (a `\|` would show).
        if text.startswith(_PATTERN) and text.endswith("`"):
            return "pattern " + code_cell(text[len(_PATTERN) : -1])
        return table_cell(text, trusted_html=self.trusted_html)

    def _text(self, item: Field | Parameter) -> str:
        flags = []
        if item.deprecated:
            flags.append("**Deprecated.**")
        if isinstance(item, Field) and item.selected_by is not None:
            name, value = item.selected_by
            flags.append(f"When {code_cell(name)} is {code_cell(value)}.")
        flags += self._union_note(item.shape)
        if isinstance(item, Field):
            if item.read_only:
                flags.append("*Read-only.*")
            if item.write_only:
                flags.append("*Write-only.*")
            if item.same_as is not None:
                flags.append(f"Fields: as under {path_code(item.same_as)} above.")
            if item.shape.closed and not item.shape.ref:
                flags.append("*Closed: no other keys.*")
            schema = self.api.schema(item.collapsed) if item.collapsed else None
            if schema is not None:
                title = table_cell(schema.title, trusted_html=self.trusted_html)
                flags.append(f"Fields: see [{title}]({self.link(schema.page)}).")
        description = table_cell(
            item.description, trusted_html=self.trusted_html, link_base=self.api.docs_url
        )
        return " ".join(part for part in (*flags, description) if part)

    def _union_note(self, shape: Shape) -> list[str]:
        """Which property tells a union's alternatives apart, and the value of each."""
        if not shape.discriminator or shape.ref:  # a component's page says it
            return []
        values = [
            f"{code_cell(o.tag)} for {self.type_label(o) if o.ref else table_cell(name)}"
            for n, o in enumerate(shape.options, start=1)
            if o.tag and (name := option_name(o, n))
        ]
        told = f"Told apart by {code_cell(shape.discriminator)}"
        return [f"{told}: {', '.join(values)}." if values else f"{told}."]


_PATTERN = "pattern `"
