"""The type grammar: one label per `Shape`, unambiguous and safe in a table cell.

    label   := union | of | atom
    union   := "A or B or C"          (anyOf; a nullable shape adds "or null")
             | "one of: A, B, C"      (oneOf)
    of      := "array of X" | "map of X"   (X in parentheses when it is a union)
    atom    := [Component](…) | string (uuid) | tuple (A, B) | Title | option 2 | any

A nullable `of` reads "array of string, or null"; nested, "array of (string or null)": whose
null it is never depends on how the reader groups the words. No `|` is ever written, and every
piece of spec text goes through `generator.render.escape`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum

from generator.model.api import Api
from generator.model.shapes import Shape, option_name
from generator.render.escape import code_cell, table_cell

Link = Callable[[str], str]


class _Level(IntEnum):
    """How tightly a label binds: a looser label is parenthesised inside a tighter one."""

    UNION = 0
    OF = 1
    ATOM = 2


def type_label(shape: Shape | None, api: Api, link: Link, *, expand: bool = False) -> str:
    """Markdown for a type: `string (uuid)`, `array of [Flow](…)`, `one of: Cat, Dog`.

    `expand` describes a component's own shape instead of linking to it (on its page).
    """
    if shape is None:
        return ""
    if expand and shape.ref:
        shape = replace(shape, ref=None)
    return _label(shape, api, link)[0]


def _label(shape: Shape, api: Api, link: Link) -> tuple[str, _Level]:
    text, level = _base(shape, api, link)
    if not shape.nullable:
        return text, level
    if shape.options and shape.combinator == "oneOf":
        return f"{text}, or null", _Level.UNION
    if level == _Level.OF:
        return f"{text}, or null", _Level.UNION
    return f"{text} or null", _Level.UNION


def _base(shape: Shape, api: Api, link: Link) -> tuple[str, _Level]:
    schema = api.schema(shape.ref) if shape.ref else None
    if shape.unresolved:
        text, level = f"unresolved {code_cell(shape.unresolved)}", _Level.ATOM
    elif shape.dynamic is not None:
        text, level = f"any (dynamic reference {code_cell(shape.dynamic)})", _Level.ATOM
    elif schema is not None:
        text, level = f"[{table_cell(schema.title)}]({link(schema.page)})", _Level.ATOM
    elif shape.options:
        names = [_option(o, n, api, link) for n, o in enumerate(shape.options, start=1)]
        one_of = shape.combinator == "oneOf"
        text = "one of: " + ", ".join(names) if one_of else " or ".join(names)
        level = _Level.UNION
    elif shape.prefix:
        inner = ", ".join(_nested(p, api, link, _Level.OF) for p in shape.prefix)
        text, level = f"tuple ({inner})", _Level.ATOM
    elif shape.items is not None:
        text, level = f"array of {_nested(shape.items, api, link, _Level.OF)}", _Level.OF
    elif shape.values is not None:
        text, level = f"map of {_nested(shape.values, api, link, _Level.OF)}", _Level.OF
    else:
        text = " or ".join(table_cell(t) for t in shape.types) or "any"
        if shape.format:
            text += f" ({table_cell(shape.format)})"
        level = _Level.UNION if len(shape.types) > 1 else _Level.ATOM
    return text, level


def _nested(shape: Shape, api: Api, link: Link, within: _Level) -> str:
    """A label inside another: in parentheses when it binds more loosely than `within` allows."""
    text, level = _label(shape, api, link)
    return f"({text})" if level < within else text


def _option(option: Shape, number: int, api: Api, link: Link) -> str:
    """An alternative of a union, by its component link, title or tag, else by its type."""
    if option.ref and api.schema(option.ref) is not None:
        return _nested(option, api, link, _Level.ATOM)
    named = option.title or option.tag
    if named:
        return table_cell(named) + (" or null" if option.nullable else "")
    if option.has_fields:  # its rows are named so: `pet (option 2).name`
        return option_name(option, number)
    if option.enum:  # `one of: "a", "b"`, not `one of: string, string`
        values = [value_code(json.dumps(v, ensure_ascii=False)) for v in option.enum]
        shown = values[0] if len(values) == 1 else _some(values)
        return shown + (" or null" if option.nullable else "")
    return _nested(option, api, link, _Level.ATOM)


_MAX_VALUES = 4  # enum values named in a label; the constraints list them all


def _some(values: list[str]) -> str:
    more = ", …" if len(values) > _MAX_VALUES else ""
    return f"({', '.join(values[:_MAX_VALUES])}{more})"


def value_code(json_text: str) -> str:
    """A JSON value as code; the empty string, easy to miss as `""`, is named too."""
    return code_cell(json_text) + (" (empty string)" if json_text == '""' else "")
