"""Strings that match a `pattern`, built and checked within bounds.

`string_matching` builds a short string from the pattern's parse tree. Deterministic: the first
branch of each alternation, the first character of each class, the minimum count of each repeat
(at least one for open-ended ones). Returns None for what it cannot build (look-arounds,
back-references) and for what would pass `MAX_PATTERN_OUTPUT` characters or `MAX_PATTERN_STEPS`.

`search` is `re.search` for patterns from an untrusted document. Python's `re` backtracks and
cannot be interrupted, so the work a check could take is estimated from the parse tree first
(`_Profile`); a check estimated above `MAX_MATCH_WORK` is not run.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from re import _parser as sre_parse  # type: ignore[attr-defined]  # re's own parser (3.11+)
from typing import Any

from generator.limits import MAX_MATCH_WORK, MAX_PATTERN_OUTPUT, MAX_PATTERN_STEPS

_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
}
_MAX_REPEAT = 64  # a longer fixed repeat makes a poor example: the caller falls back
_TOO_LONG = f"a matching string would pass {MAX_PATTERN_OUTPUT:,} characters"
_BOUNDED_REPEAT = 64  # a repeat with at most this many choices of count costs a constant factor
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_SHOWN_PATTERN_CHARS = 60  # a pattern quoted in a warning is cut to this length


class _Unsupported(Exception):
    pass


class _TooLarge(_Unsupported):
    """A bound was reached; the message says which."""


def string_matching(pattern: str, warn: list[str] | None = None) -> str | None:
    """A string `re.search(pattern, ...)` accepts, or None.

    When the reason is a bound (the string or the work to build or check it), a warning naming
    the pattern is added to `warn`.
    """
    try:
        text = _Builder().sequence(sre_parse.parse(pattern))
    except _TooLarge as e:
        _warn(warn, pattern, str(e))
        return None
    except (_Unsupported, re.error, RecursionError, OverflowError):
        return None
    if costly(pattern, len(text)):
        _warn(warn, pattern, "checking a string against it could backtrack for very long")
        return None
    return text if search(pattern, text) else None


def _warn(warn: list[str] | None, pattern: str, reason: str) -> None:
    if warn is not None:
        cut = pattern[: _SHOWN_PATTERN_CHARS - 3] + "..."
        shown = pattern if len(pattern) <= _SHOWN_PATTERN_CHARS else cut
        warn.append(f"pattern {shown!r}: {reason}; the example ignores the pattern")


def search(pattern: str, text: str) -> bool | None:
    """Whether `pattern` matches somewhere in `text`, or None when that cannot be told safely.

    None when the pattern is invalid or the check could backtrack beyond `MAX_MATCH_WORK` steps
    (so it is not run).
    """
    profile = _profile(pattern)
    if profile is None or not profile.affordable(len(text)):
        return None
    try:
        return re.search(pattern, text) is not None
    except (re.error, RecursionError, OverflowError):
        return None


def costly(pattern: str, length: int) -> bool:
    """Whether checking a string of `length` characters against a valid `pattern` is refused."""
    profile = _profile(pattern)
    return profile is not None and not profile.affordable(length)


@dataclass
class _Profile:
    """What bounds a backtracking match of a text of length n.

    A polynomial in n whose degree is the number of open-ended repeats, times the choices of
    bounded repeats and alternations (`log_choices`), times `ambiguity ** n` when choice points
    sit inside a repeated body (the body can then split the same text in several ways: `(a+)+`,
    `(a|a)*`).
    """

    degree: int = 0
    log_choices: float = 0.0
    ambiguity: int = 1

    def affordable(self, length: int) -> bool:
        log_work = (
            math.log(length + 1) * (1 + self.degree)
            + self.log_choices
            + length * math.log(self.ambiguity)
        )
        return log_work <= math.log(MAX_MATCH_WORK)


@functools.lru_cache(maxsize=1024)
def _profile(pattern: str) -> _Profile | None:
    try:
        tree = sre_parse.parse(pattern)
        re.compile(pattern)
        profile = _Profile()
        _measure(tree, profile, repeated=False)
    except (re.error, RecursionError, OverflowError):
        return None
    return profile


def _measure(items: Any, profile: _Profile, repeated: bool) -> None:
    """Add the choice points of `items` to `profile` (see `_Profile`)."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, body = arg
            if low == high:  # a fixed count: the body's choices, that many times
                inner = _Profile()
                _measure(body, inner, repeated)
                profile.degree += low * inner.degree
                profile.log_choices += low * inner.log_choices
                profile.ambiguity = max(profile.ambiguity, inner.ambiguity)
                continue
            if high - low > _BOUNDED_REPEAT:
                profile.degree += 1
            else:
                profile.log_choices += math.log(high - low + 1)
            if repeated:
                profile.ambiguity += 1
            _measure(body, profile, repeated=repeated or (high > 1 and not _delimited(body)))
            continue
        if name == "BRANCH":
            profile.log_choices += math.log(len(arg[1]))
            if repeated:
                profile.ambiguity += len(arg[1]) - 1
        for sub in _subpatterns(arg):
            _measure(sub, profile, repeated)


def _delimited(body: Any) -> bool:
    """Whether a repeated body starts with a literal that nothing else in it can match.

    As in `(-[a-z]+)*`: each repetition then starts at a known character, so the body cannot
    split the same text in several ways.
    """
    items = list(body)
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":  # a group around the body
        items = list(items[0][1][-1])
    if not items or str(items[0][0]) != "LITERAL":
        return False
    char = chr(items[0][1])
    return not any(_may_match(op, arg, char) for op, arg in items[1:])


def _may_match(op: Any, arg: Any, char: str) -> bool:
    """Whether the item can match `char` (True when unsure)."""
    name = str(op)
    if name == "LITERAL":
        return chr(arg) == char
    if name == "IN":  # a negated class may match anything not listed
        negated = any(str(o) == "NEGATE" for o, _ in arg)
        return negated or any(_in_item_matches(o, a, char) for o, a in arg)
    if name == "AT":
        return False
    if name in _REPEATS or name == "SUBPATTERN":  # both keep their body last
        return any(_may_match(o, a, char) for o, a in arg[-1])
    return True


def _in_item_matches(op: Any, arg: Any, char: str) -> bool:
    name = str(op)
    if name == "LITERAL":
        return chr(arg) == char
    if name == "RANGE":
        return bool(arg[0] <= ord(char) <= arg[1])
    return True


def _subpatterns(arg: Any) -> list[Any]:
    if isinstance(arg, sre_parse.SubPattern):
        return [arg]
    if isinstance(arg, tuple | list):
        return [sub for part in arg for sub in _subpatterns(part)]
    return []


class _Builder:
    """Walks a parse tree once (a repeat's body is built once and copied), within bounds."""

    def __init__(self) -> None:
        self.steps = 0

    def sequence(self, items: Any) -> str:
        parts = []
        length = 0
        for op, arg in items:
            part = self.item(op, arg)
            length += len(part)
            if length > MAX_PATTERN_OUTPUT:
                raise _TooLarge(_TOO_LONG)
            parts.append(part)
        return "".join(parts)

    def item(self, op: Any, arg: Any) -> str:
        self.steps += 1
        if self.steps > MAX_PATTERN_STEPS:
            raise _TooLarge(f"building a matching string takes over {MAX_PATTERN_STEPS:,} steps")
        name = str(op)
        if name in _REPEATS:
            return self.repeat(*arg)
        build = _ITEM_TEXT.get(name)
        if build is None:
            raise _Unsupported(name)
        return build(self, arg)

    def repeat(self, low: int, high: int, body: Any) -> str:
        """The body as often as the repeat needs at least (once for `*`-like repeats)."""
        count = low if low > 0 else (1 if high != 0 else 0)
        if count > _MAX_REPEAT:
            raise _Unsupported("repeat count")
        text = self.sequence(body) if count else ""
        if len(text) * count > MAX_PATTERN_OUTPUT:
            raise _TooLarge(_TOO_LONG)
        return text * count


# The text for one parse-tree item other than a repeat, by its opcode.
_ITEM_TEXT: dict[str, Callable[[_Builder, Any], str]] = {
    "LITERAL": lambda _, arg: chr(arg),
    "NOT_LITERAL": lambda _, arg: "a" if chr(arg) != "a" else "b",
    "ANY": lambda _, arg: "a",
    "IN": lambda _, arg: _in(arg),
    "SUBPATTERN": lambda builder, arg: builder.sequence(arg[-1]),
    "ATOMIC_GROUP": lambda builder, arg: builder.sequence(arg),
    "BRANCH": lambda builder, arg: builder.sequence(arg[1][0]),  # the first alternative
    "AT": lambda _, arg: "",  # anchors match no text
    "CATEGORY": lambda _, arg: _CATEGORY.get(str(arg), "a"),
}


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
