"""A short string that matches a regular expression, built from the pattern's parse tree.

Deterministic: the first branch of each alternation, the first character of each class, the
minimum count of each repeat (at least one for open-ended ones). Returns None for what it cannot
build (look-arounds, back-references); callers check the result with `re.search` anyway.
"""

from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]  # re's own parser (3.11+)
from typing import Any

_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}
_MAX_REPEAT = 64


class _Unsupported(Exception):
    pass


def string_matching(pattern: str) -> str | None:
    """A string `re.search(pattern, ...)` accepts, or None."""
    try:
        tree = sre_parse.parse(pattern)
        text = _sequence(tree)
    except (_Unsupported, re.error, RecursionError, OverflowError):
        return None
    try:
        return text if re.search(pattern, text) else None
    except re.error:
        return None


def _sequence(items: Any) -> str:
    return "".join(_item(op, arg) for op, arg in items)


def _item(op: Any, arg: Any) -> str:
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "NOT_LITERAL":
        return "a" if chr(arg) != "a" else "b"
    if name == "ANY":
        return "a"
    if name == "IN":
        return _in(arg)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, sub = arg
        count = low if low > 0 else (1 if high != 0 else 0)
        if count > _MAX_REPEAT:
            raise _Unsupported
        return _sequence(sub) * count
    if name == "SUBPATTERN":
        return _sequence(arg[-1])
    if name == "ATOMIC_GROUP":
        return _sequence(arg)
    if name == "BRANCH":
        return _sequence(arg[1][0])
    if name == "AT":
        return ""
    if name == "CATEGORY":
        return _CATEGORY.get(str(arg), "a")
    raise _Unsupported(name)


def _in(items: Any) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if negate:
        excluded = {chr(a) for op, a in items if str(op) == "LITERAL"}
        for candidate in "a0A_-":
            if candidate not in excluded:
                return candidate
        raise _Unsupported("negated class")
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return _CATEGORY.get(str(arg), "a")
    raise _Unsupported("empty class")
