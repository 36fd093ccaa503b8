"""Markdown and commands for the filtering section of an operation page and the guide.

The filters stage describes what a filter body accepts; this module writes it: value types as
table cells whose spec values are code spans, the titles and explanations of worked examples
(prose with quoted names), and their curl commands (built by `samples.curl`, the one writer of
shell commands).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.filters import Code, FilterExample, OperationFilters, Prose, ValueType
from generator.model.security import SecurityScheme
from generator.render import samples
from generator.render.escape import inline_code, table_cell

# Formats worth naming in a value type; other strings are just `string`.
_NAMED_FORMATS = ("date-time", "uuid", "date")


@dataclass(frozen=True)
class FilterText:
    """Writes the parts of the filtering templates that are more than one escape filter."""

    base_url: str
    trusted_html: bool = False
    schemes: tuple[SecurityScheme, ...] = ()  # the document's: filter commands authenticate

    def value_type(self, value: ValueType) -> str:
        """A table cell: `list of `StateType`: `FAILED`, ...` or `date-time`."""
        if value.enum:
            name = code_cell(value.enum_name) if value.enum_name else "enum"
            text = f"{name}: {', '.join(code_cell(v) for v in value.enum)}"
        else:
            shown = value.format if value.format in _NAMED_FORMATS else value.base
            text = table_cell(str(shown), trusted_html=self.trusted_html)
        return f"list of {text}" if value.is_list else text

    def value_types(self, values: Iterable[ValueType]) -> str:
        """Several value types in one table cell, each once, separated by semicolons."""
        return "; ".join(dict.fromkeys(self.value_type(v) for v in values))

    def prose(self, parts: Prose) -> str:
        """Markdown for a title or explanation: quoted names and values become code spans.

        The result is still to be escaped as a whole (`md`, `title`), which leaves the code
        spans alone and makes the text between them safe.
        """
        return "".join(inline_code(p.text) if isinstance(p, Code) else p for p in parts)

    def curl(self, filters: OperationFilters, example: FilterExample) -> str:
        """The command sending `example`; path parameters are left as `<name>`."""
        request = samples.example_request(
            filters.operation,
            self.base_url,
            example.body,
            has_body=True,
            placeholders=True,
            schemes=self.schemes,
        )
        return samples.curl(request)


def code_cell(text: str) -> str:
    """Spec text as a code span that is safe in a table cell (one line, pipes escaped)."""
    return inline_code(" ".join(text.split())).replace("|", "\\|")
