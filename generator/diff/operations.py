"""Comparison of the operations of two documents: parameters, bodies, responses, security.

The model (`generator.model.api`) flattens schemas into field rows, which lose the structure a
comparison needs, so this module reads the operation objects of the document itself, with the
model's resolver for `$ref`s. Only the page paths, titles and filters come from the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diff.change import Change
from generator.diff.rules import level_of
from generator.diff.schema import SchemaWalk
from generator.model.api import METHODS
from generator.model.resolver import SchemaIndex

Node = dict[str, Any]


@dataclass(frozen=True)
class RawOperation:
    """One operation object of a document, with the path item's parameters merged in."""

    method: str
    path: str
    node: Node
    parameters: dict[tuple[str, str], Node]  # (location, name) -> parameter object
    security: frozenset[frozenset[tuple[str, frozenset[str]]]] | None


def raw_operations(doc: Node, index: SchemaIndex) -> dict[tuple[str, str], RawOperation]:
    """Every operation of `doc` under `paths`, keyed by `(METHOD, path)`."""
    found: dict[tuple[str, str], RawOperation] = {}
    paths = doc.get("paths")
    for path, item_node in (paths if isinstance(paths, dict) else {}).items():
        item = index.resolve(item_node).node
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                params = _parameters(item.get("parameters"), index)
                params.update(_parameters(op.get("parameters"), index))
                security = _security(op.get("security", doc.get("security")))
                found[(method.upper(), str(path))] = RawOperation(
                    method.upper(), str(path), op, params, security
                )
    return found


def _parameters(nodes: Any, index: SchemaIndex) -> dict[tuple[str, str], Node]:
    found = {}
    for node in nodes if isinstance(nodes, list) else []:
        p = index.resolve(node).node
        if isinstance(p.get("name"), str):
            where = str(p.get("in", "query"))
            name = p["name"].lower() if where == "header" else p["name"]
            found[(where, name)] = p
    return found


def _security(node: Any) -> frozenset[frozenset[tuple[str, frozenset[str]]]] | None:
    """The alternatives of a `security` list, each a set of (scheme, scopes); None if unsaid."""
    if not isinstance(node, list):
        return None
    return frozenset(
        frozenset(
            (
                str(name),
                frozenset(str(s) for s in scopes) if isinstance(scopes, list) else frozenset(),
            )
            for name, scopes in requirement.items()
        )
        for requirement in node
        if isinstance(requirement, dict)
    )


@dataclass
class OperationDiff:
    """Collects the changes of one operation present in both documents."""

    walk: SchemaWalk
    old: RawOperation
    new: RawOperation
    changes: list[Change]

    def add(self, kind: str, location: str, field: str = "", old: str = "", new: str = "") -> None:
        """Record one change of this operation; its level comes from the rules."""
        level = level_of(kind)
        self.changes.append(
            Change(self.new.method, self.new.path, level, kind, location, field, old, new)
        )

    def schema(self, place: str, location: str, old: Any, new: Any) -> None:
        """Compare two schema nodes; `place` is `request`, `parameter` or `response`."""

        def emit(kind: str, field: str, before: str, after: str) -> None:
            self.add(f"{place}-{kind}", location, field, before, after)

        self.walk.compare(old, new, emit)

    def run(self) -> None:
        """Compare everything but the filters."""
        a, b = self.old.node, self.new.node
        if (b.get("deprecated") is True) != (a.get("deprecated") is True):
            self.add(
                "operation-deprecated" if b.get("deprecated") is True else "operation-undeprecated",
                "operation",
            )
        if a.get("operationId") and b.get("operationId") and a["operationId"] != b["operationId"]:
            self.add(
                "operation-id-changed",
                "operation",
                "",
                str(a["operationId"]),
                str(b["operationId"]),
            )
        self._parameters()
        self._request_body()
        self._responses()
        self._security()

    def _parameters(self) -> None:
        old, new = self.old.parameters, self.new.parameters
        for key in sorted(old.keys() | new.keys()):
            location = f"{key[0]} parameter {key[1]}"
            p, q = old.get(key), new.get(key)
            if p is None and q is not None:
                self.add(
                    "parameter-added-required" if _required(q) else "parameter-added", location
                )
            elif q is None:
                self.add("parameter-removed", location)
            elif p is not None:
                if _required(p) != _required(q):
                    kind = (
                        "parameter-became-required" if _required(q) else "parameter-became-optional"
                    )
                    self.add(kind, location)
                if q.get("deprecated") is True and p.get("deprecated") is not True:
                    self.add("parameter-deprecated", location)
                self.schema("parameter", location, _parameter_schema(p), _parameter_schema(q))

    def _request_body(self) -> None:
        old = _body(self.old.node, self.walk.old)
        new = _body(self.new.node, self.walk.new)
        if old is None:
            if new is not None:
                required = new.get("required") is True
                self.add(f"request-body-added{'-required' if required else ''}", "request body")
            return
        if new is None:
            self.add("request-body-removed", "request body")
            return
        required = new.get("required") is True
        if (old.get("required") is True) != required:
            became = "required" if required else "optional"
            self.add(f"request-body-became-{became}", "request body")
        self._content("request", "request body", old.get("content"), new.get("content"))

    def _content(self, place: str, location: str, old: Any, new: Any) -> None:
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
        for media in sorted(old.keys() | new.keys()):
            if media not in old:
                self.add(f"{place}-media-type-added", location, "", "", str(media))
            elif media not in new:
                self.add(f"{place}-media-type-removed", location, "", str(media), "")
            else:
                a, b = old[media], new[media]
                if isinstance(a, dict) and isinstance(b, dict):
                    self.schema(
                        place, f"{location} {media}", a.get("schema", {}), b.get("schema", {})
                    )

    def _responses(self) -> None:
        old, new = _responses(self.old.node), _responses(self.new.node)
        for status in sorted(old.keys() | new.keys()):
            location = f"response {status}"
            if status not in old:
                self.add("response-status-added", location)
            elif status not in new:
                success = status.startswith("2") or status.upper() == "2XX"
                self.add(
                    "response-success-status-removed" if success else "response-status-removed",
                    location,
                )
            else:
                a = self.walk.old.resolve(old[status]).node
                b = self.walk.new.resolve(new[status]).node
                self._content("response", location, a.get("content"), b.get("content"))
                self._headers(location, a.get("headers"), b.get("headers"))

    def _headers(self, location: str, old: Any, new: Any) -> None:
        """Response headers, by name in any case: one the client may read going away."""
        a = _parameters([{**h, "name": k, "in": "header"} for k, h in _items(old)], self.walk.old)
        b = _parameters([{**h, "name": k, "in": "header"} for k, h in _items(new)], self.walk.new)
        for key in sorted(a.keys() | b.keys()):
            where = f"{location} header {key[1]}"
            if key not in a:
                self.add("response-header-added", where)
            elif key not in b:
                required = a[key].get("required") is True
                self.add(f"response-header-removed{'-required' if required else ''}", where)
            else:
                self.schema("response", where, _parameter_schema(a[key]), _parameter_schema(b[key]))

    def _security(self) -> None:
        old, new = self.old.security or frozenset(), self.new.security or frozenset()
        # No list, an empty list or an empty alternative (`{}`): no authentication needed.
        open_before, open_now = not old or frozenset() in old, not new or frozenset() in new
        if old == new or (open_before and open_now):
            return
        if open_before:
            self.add("security-added", "security", new=_alternatives(new))
        elif open_now:
            self.add("security-removed", "security", old=_alternatives(old))
        else:
            if new - old:
                self.add("security-alternative-added", "security", new=_alternatives(new - old))
            if old - new:
                self.add("security-alternative-removed", "security", old=_alternatives(old - new))


def _body(op: Node, index: SchemaIndex) -> Node | None:
    """The operation's request body object, `$ref` followed; None when it has none."""
    return index.resolve(op["requestBody"]).node if "requestBody" in op else None


def _required(p: Node) -> bool:
    return p.get("required") is True or p.get("in") == "path"


def _parameter_schema(p: Node) -> Any:
    if "schema" in p:
        return p["schema"]
    content = p.get("content")
    if isinstance(content, dict) and content:
        first = next(iter(content.values()))
        return first.get("schema", {}) if isinstance(first, dict) else {}
    return {}


def _items(node: Any) -> list[tuple[str, Node]]:
    """The (name, object) pairs of a map of objects, `$ref`s left to the caller."""
    if not isinstance(node, dict):
        return []
    return [(str(k), v) for k, v in node.items() if isinstance(v, dict)]


def _responses(op: Node) -> dict[str, Any]:
    responses = op.get("responses")
    return {str(k): v for k, v in responses.items()} if isinstance(responses, dict) else {}


def _alternatives(alternatives: frozenset[frozenset[tuple[str, frozenset[str]]]]) -> str:
    """`api_key | oauth (read, write)`: each alternative, its schemes joined with `+`."""
    texts = sorted(
        " + ".join(
            sorted(
                name + (f" ({', '.join(sorted(scopes))})" if scopes else "") for name, scopes in alt
            )
        )
        or "none"
        for alt in alternatives
    )
    return " | ".join(texts)
