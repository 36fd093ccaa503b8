"""The bounds restref keeps on untrusted input, in one place.

A spec file or an app's document is untrusted: it can be written to exhaust memory or time
(a YAML alias bomb, a regular expression that backtracks forever, `minLength: 1e10`). Each
constant below bounds one such attack. Real documents stay far inside every one of them; the
values and the message each gives are listed in the docs (Command line, "Limits").
"""

from __future__ import annotations

import math
from typing import Any

MAX_NESTING = 128
"""Levels of objects and arrays in one document (Prefect's deepest is 15).

Later stages walk schemas recursively, so deeper documents are refused at load time, checked
with an explicit stack (a recursive check would itself run out of stack)."""

MAX_ALIAS_NODES = 1_000_000
"""YAML nodes that aliases (`*name`) may add beyond the nodes written in the file.

An alias bomb (each anchor a list of aliases to the previous one) grows ninefold per line; it
is refused before any Python object is built from it."""

MAX_REF_CHAIN = 64
"""`$ref` hops followed from one reference (with or without sibling keys) before giving up."""

MAX_NAMED_EXAMPLES = 20
"""Named examples kept for one media type or parameter (each may be a `$ref`)."""

MAX_EXAMPLE_STRING = 10_000
"""Characters in one built example string; a larger `minLength` is not honoured."""

MAX_EXAMPLE_ITEMS = 1_000
"""Items in one built example array; a larger `minItems` is not honoured."""

MAX_EXAMPLE_SIZE = 100_000
"""Size of one built example, in characters of its compact JSON text.

Arrays get fewer items and objects fewer optional fields once an example would pass it."""

MAX_PATTERN_OUTPUT = 10_000
"""Characters of a string built to match a `pattern` (`(((b{64}){64}){64}){64}` would be 16 M)."""

MAX_PATTERN_STEPS = 100_000
"""Parse-tree nodes visited while building a string that matches one `pattern`."""

MAX_MATCH_WORK = 10_000_000
"""Estimated backtracking steps allowed when checking a string against a `pattern`.

Python's `re` cannot be interrupted, so a check that could backtrack longer than this (nested
or alternated repeats over a long string) is not run: the example falls back to a plain value."""

MAX_FIELD_ROWS = 2_000
"""Rows of one field table (Prefect's largest has 143). Past it, nested objects are not
expanded: their rows link to the schema's own page instead, so a schema whose fields each lead
to another wide schema cannot multiply into millions of rows."""


def count_constraint(schema: dict[str, Any], key: str, warn: list[str]) -> int | None:
    """`schema[key]` as a non-negative integer (`minLength`, `minItems`...); None when absent.

    Anything else (`"abc"`, `1.5`, `-1`, nan, true) is read as no constraint, with a warning.
    """
    value = schema.get(key)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        value = int(value)  # 3.0 is an integer in JSON Schema; inf and nan are not
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        warn.append(f"{key} {_short(value)} is not a non-negative integer; ignored")
        return None
    return value


def number_constraint(schema: dict[str, Any], key: str, warn: list[str]) -> int | float | None:
    """`schema[key]` as a finite number (`minimum`, `multipleOf`...); None when absent.

    Booleans (`exclusiveMinimum: true`, OpenAPI 3.0) pass through as they are; nan, inf,
    integers wider than 128 bits and anything not a number are read as no constraint, with a
    warning.
    """
    value = schema.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value.bit_length() <= _MAX_INT_BITS:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    warn.append(f"{key} {_short(value)} is not a finite number; ignored")
    return None


_MAX_INT_BITS = 128  # wider integers are not a range any example needs (and overflow floats)
_SHOWN_VALUE_CHARS = 40  # a value quoted in a warning is cut to this length


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) <= _SHOWN_VALUE_CHARS:
        return text
    return text[: _SHOWN_VALUE_CHARS - 3] + "..."


MAX_DIFF_DEPTH = 64
"""Levels of nested schemas `restref diff` follows (cycles stop earlier, at the repeat)."""

MAX_DIFF_NODES = 2_000_000
"""Schema node pairs `restref diff` compares in one run (Prefect 3.8.8 -> 3.9.1: 14,000);
past it the comparison stops with a warning, so schemas that fan out cannot run for hours."""

MAX_DIFF_INPUT = 256 * 1024 * 1024
"""Bytes a gzip-compressed document given to `restref diff` may inflate to (a zip bomb)."""
