"""Schema look-ups shared by the model and the example builder.

`$ref`s are resolved with `referencing` over the whole document; sibling keys next to a `$ref`
win over the target's, and the name of the component a node came from is kept for links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from generator.limits import MAX_REF_CHAIN

COMPONENT_PREFIX = "#/components/schemas/"
_BASE_URI = "urn:restref:document"
_MAX_ALL_OF_DEPTH = 8  # nested `allOf` folded at most; deeper parts are left as they are

Node = dict[str, Any]
_NULL_MARKER = frozenset({"nullable", "type"})  # `{type: object, nullable: true}` alone


@dataclass(frozen=True)
class Resolved:
    """A schema node with its `$ref` chain followed: the merged node and the component name."""

    node: Node
    ref: str | None = None  # name under components/schemas, when the node is one
    unresolved: str | None = None  # the pointer that could not be resolved


@dataclass
class SchemaIndex:
    """Resolves references of one document; results are cached, so look-ups are cheap."""

    document: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    _cache: dict[str, Resolved] = field(default_factory=dict)
    # Results derived from a component by other stages (its shape, its field rows), keyed by
    # (kind, $ref, ...): components recur across operations, so each is worked out once.
    derived: dict[tuple[str, ...], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        resource: Resource[Any] = Resource.opaque(self.document)
        self._resolver = Registry().with_resource(_BASE_URI, resource).resolver(_BASE_URI)

    @property
    def components(self) -> dict[str, Any]:
        """The document's `components/schemas`, or an empty mapping."""
        components = self.document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        return schemas if isinstance(schemas, dict) else {}

    def resolve(self, node: Any) -> Resolved:
        """Follow `node`'s `$ref` chain; sibling keys of each `$ref` override the target's."""
        if not isinstance(node, dict):
            return Resolved({} if node is True or node is None else {"not": {}})
        if "$ref" not in node:
            return Resolved(node)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        target = self.lookup(node["$ref"])
        if not siblings:
            return target
        return Resolved({**target.node, **siblings}, target.ref, target.unresolved)

    def lookup(self, ref: Any) -> Resolved:
        """The node a `$ref` string points at (cached); unresolvable refs warn once."""
        if not isinstance(ref, str):
            return Resolved({}, unresolved=repr(ref))
        cached = self._cache.get(ref)
        if cached is not None:
            return cached
        self._cache[ref] = Resolved({}, unresolved=ref)  # a guard while the chain is followed
        result = self._follow(ref)
        self._cache[ref] = result
        return result

    def _follow(self, ref: str) -> Resolved:
        """Follow `ref` through `$ref`s with sibling keys too, iteratively and within bounds.

        Each reference met on the way is cached with its own result, as a recursive lookup
        would; a chain longer than `MAX_REF_CHAIN` hops is left unresolved with a warning.
        """
        frames: list[tuple[str, Node]] = []  # (reference, sibling keys of the node it names)
        current = ref
        while True:
            found = self._plain_chain(current)
            if isinstance(found, Resolved):
                inner = found
                break
            node, target = found
            if not (isinstance(node, dict) and "$ref" in node):
                if not isinstance(node, dict):
                    node = {} if node is True else {"not": {}}
                inner = Resolved(node, component_name(target))
                break
            frames.append((current, {k: v for k, v in node.items() if k != "$ref"}))
            following = node["$ref"]
            if not isinstance(following, str):
                inner = Resolved({}, unresolved=repr(following))
                break
            if following in self._cache:  # done already, or being followed (a cycle)
                inner = self._cache[following]
                break
            if len(frames) >= MAX_REF_CHAIN:
                self.warnings.append(f"$ref chain longer than {MAX_REF_CHAIN} hops at {ref!r}")
                inner = Resolved({}, unresolved=following)
                break
            self._cache[following] = Resolved({}, unresolved=following)  # a guard, as in lookup
            current = following
        for start, siblings in reversed(frames):
            inner = Resolved(
                {**inner.node, **siblings}, component_name(start) or inner.ref, inner.unresolved
            )
            self._cache[start] = inner
        return inner

    def _plain_chain(self, ref: str) -> tuple[Any, str] | Resolved:
        """The first node along `ref` that is not a bare `{$ref}`, and its pointer."""
        seen = {ref}
        current = ref
        node: Any = None
        for _ in range(MAX_REF_CHAIN):
            try:
                node = self._resolver.lookup(current).contents
            except (Unresolvable, ValueError, KeyError, TypeError, IndexError):
                self.warnings.append(f"unresolvable $ref {current!r}")
                return Resolved({}, unresolved=current)
            if not (isinstance(node, dict) and set(node) == {"$ref"}):
                break
            current = node["$ref"]
            if not isinstance(current, str) or current in seen:
                self.warnings.append(f"$ref cycle at {ref!r}")
                return Resolved({}, unresolved=ref)
            seen.add(current)
        return node, current


def component_name(ref: str) -> str | None:
    """`#/components/schemas/Flow` -> `Flow`; None for any other pointer."""
    if ref.startswith(COMPONENT_PREFIX):
        name = ref[len(COMPONENT_PREFIX) :]
        if "/" not in name:
            return name.replace("~1", "/").replace("~0", "~")
    return None


def split_null(options: list[Any], index: SchemaIndex) -> tuple[list[Any], bool]:
    """Drop `{type: null}` members of an anyOf/oneOf; report whether there was one.

    OpenAPI 3.0 has no null type, so generators write `{type: object, nullable: true}` (OData,
    Microsoft Graph's 3,500 `anyOf: [{$ref}, ...]`) or `{nullable: true}`: those are null too.
    """
    kept = []
    nullable = False
    for option in options:
        resolved = index.resolve(option).node
        if (
            resolved.get("type") == "null"
            or resolved.get("enum") == [None]
            or _marks_null(resolved)
        ):
            nullable = True
        else:
            kept.append(option)
    return kept, nullable


def _marks_null(node: Node) -> bool:
    return (
        node.get("nullable") is True
        and node.keys() <= _NULL_MARKER
        and node.get("type", "object") == "object"
    )


def schema_types(node: Node) -> tuple[tuple[str, ...], bool]:
    """The JSON types a node declares (3.1 type arrays, 3.0 `nullable`) and its nullability."""
    declared = node.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or [])
    nullable = "null" in types or node.get("nullable") is True
    types = [t for t in types if t != "null" and isinstance(t, str)]
    if not types:
        if "properties" in node or "additionalProperties" in node:
            types = ["object"]
        elif "items" in node:
            types = ["array"]
    return tuple(types), nullable


def merge_all_of(node: Node, index: SchemaIndex, depth: int = 0) -> Node:
    """Fold `allOf` parts into one node: properties and required lists are combined."""
    parts = node.get("allOf")
    if not isinstance(parts, list) or depth > _MAX_ALL_OF_DEPTH:
        return node
    merged: Node = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        resolved = merge_all_of(index.resolve(part).node, index, depth + 1)
        properties.update(resolved.get("properties") or {})
        required += [r for r in resolved.get("required") or [] if r not in required]
        merged.update({k: v for k, v in resolved.items() if k not in ("properties", "required")})
    own = {k: v for k, v in node.items() if k != "allOf"}
    properties.update(own.pop("properties", None) or {})
    required += [r for r in own.pop("required", None) or [] if r not in required]
    merged.update(own)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


# Keys that describe a value without constraining its type: a wrapper made only of these around
# one member (`allOf: [{$ref: X}, {description: ...}]`) is that member.
ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "example",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "nullable",
        "externalDocs",
        "$comment",
        "xml",
    }
)
_MAX_LOOK_THROUGH = 6  # wrappers around wrappers followed at most


@dataclass(frozen=True)
class SeenThrough:
    """A schema with its wrappers looked through: the node that carries the constraints.

    `node` is the member's keys with the wrappers' keys on top (a description written on the
    wrapper wins); `ref` is the component the member came from, `nullable` whether a wrapper
    allowed null.
    """

    node: Node
    ref: str | None = None
    nullable: bool = False
    unresolved: str | None = None


def look_through(node: Any, index: SchemaIndex) -> SeenThrough:
    """The one look-through of wrappers around a single member, for shapes and constraints.

    A wrapper is a nullable union of one member (`anyOf: [X, {type: null}]`, FastAPI's
    `Optional[...]`) or an `allOf` of one member whose other members and sibling keys are
    annotations only. Constraints, format, enum and items written on the member are found; the
    wrapper's annotations stay on top. A component's own description is not taken over: it
    belongs on the component's page, not on every field that uses it.
    """
    resolved = index.resolve(node)
    current, ref, nullable = resolved.node, resolved.ref, False
    if resolved.unresolved:
        return SeenThrough({}, unresolved=resolved.unresolved)
    for _ in range(_MAX_LOOK_THROUGH):
        member, nullable_here, notes = _single_member(current, index)
        if member is None:
            break
        inner = index.resolve(member)
        if inner.unresolved:
            return SeenThrough({}, unresolved=inner.unresolved)
        own = {k: v for k, v in current.items() if k not in ("anyOf", "oneOf", "allOf")}
        taken = inner.node
        if inner.ref is not None:  # the component's structure, not its prose
            taken = {k: v for k, v in taken.items() if k not in ("description", "title")}
        current = {**taken, **notes, **own}
        ref = inner.ref or ref
        nullable = nullable or nullable_here
    return SeenThrough(current, ref, nullable or schema_types(current)[1])


def _single_member(schema: Node, index: SchemaIndex) -> tuple[Any, bool, Node]:
    """The one member a wrapper wraps (None when `schema` is no wrapper).

    Also whether the wrapper allows null, and the annotations written as members of its `allOf`.
    """
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            kept, nullable = split_null(options, index)
            return (kept[0], nullable, {}) if len(kept) == 1 else (None, False, {})
    parts = schema.get("allOf")
    if not isinstance(parts, list) or _structural(schema, allowed={"allOf", "type"}):
        return None, False, {}
    typed = [p for p in parts if not (isinstance(p, dict) and set(p) <= ANNOTATIONS)]
    if len(typed) != 1:
        return None, False, {}
    notes: Node = {}
    for part in parts:
        if part is not typed[0]:
            notes.update(part)
    return typed[0], False, notes


def _structural(schema: Node, allowed: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether `schema` has keys beyond annotations (and `allowed`)."""
    return any(k not in ANNOTATIONS and k not in allowed for k in schema)
