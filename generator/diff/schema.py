"""Structural comparison of two schema nodes: a bounded, cycle-safe walk over both at once.

The walk reports schema kinds (`generator.diff.rules.SCHEMA_RULES`) with the field path where
they happen (`flows.name.any_`, `[]` for array items, `{}` for map values); which side sends
the data is decided by the caller. It stops at `MAX_DIFF_DEPTH` levels, at a pair of
components already being compared further up (a cycle), and after `MAX_DIFF_NODES` node pairs
in one document comparison (with a warning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from generator.diff.shape import (
    LOWER_BOUNDS,
    MISSING,
    UPPER_BOUNDS,
    Shape,
    accepts,
    applies,
    canonical,
    same_default,
    shape,
    signature,
)
from generator.limits import MAX_DIFF_DEPTH, MAX_DIFF_NODES
from generator.model.resolver import SchemaIndex

Emit = Callable[[str, str, str, str], None]
"""`emit(kind, field, old, new)`: one schema-level difference."""


@dataclass
class Budget:
    """Node pairs left for one document comparison, and whether it ran out."""

    left: int = MAX_DIFF_NODES
    exhausted: bool = False


@dataclass
class SchemaWalk:
    """Compares schema nodes of the old document (`old`) with the new one's (`new`)."""

    old: SchemaIndex
    new: SchemaIndex
    budget: Budget = field(default_factory=Budget)
    # Shapes by node identity, per side: components recur across operations.
    _shapes: dict[tuple[bool, int], tuple[Any, Shape]] = field(default_factory=dict)

    def shape(self, node: Any, *, new: bool) -> Shape:
        """The `Shape` of a node of the new (`new=True`) or old document, cached."""
        key = (new, id(node))
        cached = self._shapes.get(key)
        if cached is not None and cached[0] is node:
            return cached[1]
        result = shape(node, self.new if new else self.old)
        self._shapes[key] = (node, result)  # the node is kept, so its id is not reused
        return result

    def compare(self, old: Any, new: Any, emit: Emit, path: str = "") -> None:
        """Report every difference between schema nodes `old` and `new` through `emit`."""
        self._node(old, new, emit, path, (), 0)

    def _node(
        self, old: Any, new: Any, emit: Emit, path: str, stack: tuple[Any, ...], depth: int
    ) -> None:
        if depth > MAX_DIFF_DEPTH or self.budget.left <= 0:
            self.budget.exhausted = self.budget.exhausted or self.budget.left <= 0
            return
        self.budget.left -= 1
        a, b = self.shape(old, new=False), self.shape(new, new=True)
        if bool(a.variants) != bool(b.variants):  # a union against a plain schema
            a, b = self._lift(a, new=False, like=b), self._lift(b, new=True, like=a)
        pair = (a.ref, b.ref)
        if a.ref is not None and b.ref is not None:
            if pair in stack:
                return
            stack = (*stack, pair)
        _scalars(a, b, emit, path, (self._types(a, new=False), self._types(b, new=True)))
        self._properties(a, b, emit, path, stack, depth)
        if a.items is not None and b.items is not None:
            self._node(a.items, b.items, emit, f"{path}[]", stack, depth + 1)
        self._additional(a, b, emit, path, stack, depth)
        self._variants(a, b, emit, path, stack, depth)

    def _properties(
        self, a: Shape, b: Shape, emit: Emit, path: str, stack: tuple[Any, ...], depth: int
    ) -> None:
        for name in sorted(a.properties.keys() | b.properties.keys()):
            where = f"{path}.{name}" if path else name
            was_required, is_required = name in a.required, name in b.required
            if name not in a.properties:
                kind = "property-added-required" if is_required else "property-added"
                emit(kind, where, "", "")
            elif name not in b.properties:
                kind = "property-removed-required" if was_required else "property-removed"
                emit(f"{kind}-rejected" if b.additional is False else kind, where, "", "")
            else:
                if was_required != is_required:
                    kind = "property-became-required" if is_required else "property-became-optional"
                    emit(kind, where, "", "")
                old, new = a.properties[name], b.properties[name]
                self._node(old, new, emit, where, stack, depth + 1)

    def _additional(
        self, a: Shape, b: Shape, emit: Emit, path: str, stack: tuple[Any, ...], depth: int
    ) -> None:
        closed_a, closed_b = a.additional is False, b.additional is False
        if closed_a != closed_b:
            kind = "additional-properties-closed" if closed_b else "additional-properties-opened"
            emit(kind, path, "", "")
        if isinstance(a.additional, dict) and isinstance(b.additional, dict):
            self._node(a.additional, b.additional, emit, f"{path}{{}}", stack, depth + 1)

    def _variants(
        self, a: Shape, b: Shape, emit: Emit, path: str, stack: tuple[Any, ...], depth: int
    ) -> None:
        """Union members are matched by their types, never by their component names."""
        if not a.variants or not b.variants:
            return  # a union against a plain schema: compared by their types only
        old = self._by_signature(a.variants, new=False)
        new = self._by_signature(b.variants, new=True)
        for sig in sorted(old.keys() | new.keys()):
            left, right = old.get(sig, []), new.get(sig, [])
            for _ in range(len(right) - len(left)):
                emit("variant-added", path, "", sig)
            for _ in range(len(left) - len(right)):
                emit("variant-removed", path, sig, "")
            for x, y in zip(left, right, strict=False):
                self._node(x, y, emit, path, stack, depth + 1)

    def _lift(self, s: Shape, *, new: bool, like: Shape) -> Shape:
        """A union seen as its member shaped like `like`, the union's own keys first.

        `string` becoming `anyOf [number, string(duration)]` widens the type; the string's
        format, pattern and lengths are compared with the member that is still a string.
        """
        if not s.variants:
            return s
        members = [self.shape(v, new=new) for v in s.variants]
        match = next((m for m in members if signature(m) == signature(like)), None)
        if match is None:
            return s
        return replace(
            s,
            format=s.format or match.format,
            pattern=s.pattern or match.pattern,
            enum=s.enum if s.enum is not None else match.enum,
            constraints={**match.constraints, **s.constraints},
            properties=s.properties or match.properties,
            required=s.required or match.required,
            items=s.items if s.items is not None else match.items,
            additional=s.additional if s.additional is not MISSING else match.additional,
        )

    def _types(self, s: Shape, *, new: bool) -> frozenset[str]:
        """The types of a node; of a union, those of its members (empty if one takes any)."""
        if not s.variants:
            return s.types
        members = [self.shape(v, new=new).types for v in s.variants]
        return frozenset() if not all(members) else frozenset().union(*members)

    def _by_signature(self, variants: tuple[Any, ...], *, new: bool) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = {}
        for variant in variants:
            grouped.setdefault(signature(self.shape(variant, new=new)), []).append(variant)
        return grouped


def _scalars(
    a: Shape, b: Shape, emit: Emit, path: str, types: tuple[frozenset[str], frozenset[str]]
) -> None:
    """Type, nullability, format, enum, constraints, pattern, default and deprecation.

    `types` are the two nodes' types, a union's being those of its members; two unions are
    compared member by member instead.
    """
    ta, tb = types
    if ta != tb and not (a.variants and b.variants):
        old, new = ",".join(sorted(ta)) or "any", ",".join(sorted(tb)) or "any"
        if accepts(tb, ta):
            emit("type-widened", path, old, new)
        elif accepts(ta, tb):
            emit("type-narrowed", path, old, new)
        else:
            emit("type-changed", path, old, new)
    if a.nullable != b.nullable:
        emit("became-nullable" if b.nullable else "became-not-nullable", path, "", "")
    _keyword("format", a.format, b.format, emit, path)
    _enum(a, b, emit, path)
    _constraints(a, b, emit, path, types)
    _keyword("pattern", a.pattern, b.pattern, emit, path)
    if not same_default(a, b):
        old = "" if a.default is MISSING else canonical(a.default)
        new = "" if b.default is MISSING else canonical(b.default)
        kind = "default-added" if not old else "default-removed" if not new else "default-changed"
        emit(kind, path, old, new)
    if b.deprecated and not a.deprecated:
        emit("property-deprecated", path, "", "")


def _keyword(name: str, old: str | None, new: str | None, emit: Emit, path: str) -> None:
    """`<name>-added`, `-removed` or `-changed` when a keyword such as `format` differs."""
    if old == new:
        return
    change = "added" if old is None else "removed" if new is None else "changed"
    emit(f"{name}-{change}", path, old or "", new or "")


def _enum(a: Shape, b: Shape, emit: Emit, path: str) -> None:
    if a.enum is None and b.enum is not None:
        emit("enum-added", path, "", ", ".join(sorted(b.enum)))
    elif a.enum is not None and b.enum is None:
        emit("enum-removed", path, ", ".join(sorted(a.enum)), "")
    elif a.enum is not None and b.enum is not None:
        for value in sorted(b.enum - a.enum):
            emit("enum-value-added", path, "", value)
        for value in sorted(a.enum - b.enum):
            emit("enum-value-removed", path, value, "")


def _constraints(
    a: Shape, b: Shape, emit: Emit, path: str, types: tuple[frozenset[str], frozenset[str]]
) -> None:
    """Changed constraints that restrict a type both sides accept.

    A `minimum` on a newly allowed number is part of the widening, not a tightening of the
    strings accepted before.
    """
    for key in sorted(a.constraints.keys() | b.constraints.keys()):
        old, new = a.constraints.get(key, MISSING), b.constraints.get(key, MISSING)
        if canonical(old) == canonical(new) or not all(applies(key, t) for t in types):
            continue
        tighter = _tighter(key, old, new)
        kind = "constraint-tightened" if tighter else "constraint-loosened"
        text_old = "" if old is MISSING else f"{key}: {canonical(old)}"
        text_new = "" if new is MISSING else f"{key}: {canonical(new)}"
        emit(kind, path, text_old, text_new)


def _tighter(key: str, old: Any, new: Any) -> bool:
    """Whether the constraint `key` going from `old` to `new` accepts fewer values."""
    if new is MISSING:
        return False
    if old is MISSING:
        return new is not False  # `uniqueItems: false` added restricts nothing
    if key == "uniqueItems":
        return bool(new)
    numbers = (int, float)
    if isinstance(old, bool) or isinstance(new, bool) or not isinstance(old, numbers):
        return True  # OpenAPI 3.0's boolean exclusive bounds, or a value that is not a number
    if not isinstance(new, numbers) or key not in LOWER_BOUNDS | UPPER_BOUNDS:
        return True  # `multipleOf` changed: other values are accepted
    return bool(new > old) if key in LOWER_BOUNDS else bool(new < old)
