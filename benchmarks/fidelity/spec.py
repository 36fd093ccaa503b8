"""Read an OpenAPI 3.x or Swagger 2.0 document into the few facts the checker compares.

Independent of `generator`: its own loader, bounded `$ref` resolution and Swagger 2.0 reading
(`in: body` / `in: formData` parameters, `consumes` / `produces`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = {"accept", "content-type", "authorization"}  # OpenAPI: SHALL be ignored
MAX_REF_HOPS = 32
Node = dict[str, Any]


@dataclass
class Media:
    """One media type of a body: its schema and the examples the spec gives for it.

    Examples are (label, value) pairs; the label says where the value came from.
    """

    name: str
    schema: Any
    examples: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Body:
    """A request or response body."""

    required: bool
    media: list[Media]


@dataclass
class Param:
    """A path/query/header/cookie parameter."""

    name: str
    location: str
    required: bool
    schema: Any


@dataclass
class Response:
    """One status code: headers (name -> schema) and its body, if any."""

    status: str
    headers: dict[str, Any]
    body: Body | None


@dataclass
class Operation:
    """One operation of the document."""

    method: str
    path: str
    params: list[Param]
    body: Body | None
    responses: list[Response]


def load(path: Path) -> Node:
    """Parse a JSON or YAML document (YAML dates stay `datetime.date` objects)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        doc = json.loads(text)
    else:
        import yaml

        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(doc, dict):
        raise ValueError(f"{path.name}: not a mapping")
    return doc


def version(doc: Node) -> str:
    """'2.0', '3.0' or '3.1'."""
    raw = str(doc.get("openapi") or doc.get("swagger") or "?")
    return ".".join(raw.split(".")[:2])


def jsonable(value: Any) -> Any:
    """The value as JSON would carry it: YAML dates and datetimes become ISO strings."""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


class Doc:
    """A document with `$ref` resolution bounded by hop count (cycles end as `{}`)."""

    def __init__(self, doc: Node) -> None:
        self.doc = doc
        self.version = version(doc)

    def pointer(self, ref: str) -> Any:
        """The node a local `#/...` pointer names, or None."""
        if not ref.startswith("#"):
            return None
        node: Any = self.doc
        for raw in ref[2:].split("/") if ref != "#" else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def deref(self, node: Any) -> Any:
        """Follow `$ref`s until a node without one; unresolvable refs give `{}`."""
        for _ in range(MAX_REF_HOPS):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            target = self.pointer(node["$ref"])
            if target is None:
                return {}
            node = target
        return {}

    def operations(self) -> list[Operation]:
        """Every operation under `paths`, path-level parameters merged in."""
        found = []
        for path, raw_item in (self.doc.get("paths") or {}).items():
            item = self.deref(raw_item)
            if not isinstance(item, dict) or str(path).startswith("x-"):
                continue
            for method in METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found.append(self._operation(method.upper(), str(path), item, op))
        return found

    def _operation(self, method: str, path: str, item: Node, op: Node) -> Operation:
        merged: dict[tuple[str, str], Node] = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            p = self.deref(raw)
            if isinstance(p, dict) and "name" in p and "in" in p:
                merged[(str(p["name"]), str(p["in"]))] = p
        params = [p for (_, where), p in merged.items() if where not in ("body", "formData")]
        if self.version == "2.0":
            body = self._swagger_body(op, list(merged.values()))
        else:
            body = self._body(op.get("requestBody"))
        responses = [
            self._response(str(status), raw, op)
            for status, raw in (op.get("responses") or {}).items()
            if not str(status).startswith("x-")
        ]
        return Operation(method, path, [self._param(p) for p in params], body, responses)

    def _param(self, p: Node) -> Param:
        schema = p.get("schema")
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            schema = next(iter(p["content"].values())).get("schema")
        if schema is None:  # Swagger 2.0: the schema keywords sit on the parameter
            schema = {k: v for k, v in p.items() if k not in ("name", "in", "required")}
        location = str(p["in"])
        required = bool(p.get("required")) or location == "path"
        return Param(str(p["name"]), location, required, schema)

    def _examples(self, media: Node) -> list[tuple[str, Any]]:
        if "example" in media:
            return [("example", jsonable(media["example"]))]
        found = []
        for name, raw in (media.get("examples") or {}).items():
            example = self.deref(raw)
            via = " ($ref)" if isinstance(raw, dict) and "$ref" in raw else ""
            if isinstance(example, dict) and "value" in example:
                found.append((f"examples.{name}{via}", jsonable(example["value"])))
        return found

    def _body(self, raw: Any) -> Body | None:
        body = self.deref(raw)
        if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
            return None
        media = [
            Media(str(name), m.get("schema"), self._examples(m))
            for name, m in body["content"].items()
            if isinstance(m, dict)
        ]
        return Body(bool(body.get("required")), media) if media else None

    def _swagger_body(self, op: Node, params: list[Node]) -> Body | None:
        consumes = op.get("consumes") or self.doc.get("consumes") or ["application/json"]
        for p in params:
            if p.get("in") == "body":
                schema = p.get("schema")
                given = (p.get("x-examples") or {}).items()
                examples = [(f"x-examples.{k}", jsonable(v)) for k, v in given]
                media = [Media(str(c), schema, examples) for c in consumes]
                return Body(bool(p.get("required")), media)
        form = [p for p in params if p.get("in") == "formData"]
        if not form:
            return None
        props = {
            str(p["name"]): {k: v for k, v in p.items() if k not in ("name", "in", "required")}
            for p in form
        }
        required = [str(p["name"]) for p in form if p.get("required")]
        form_schema: Node = {"type": "object", "properties": props}
        if required:
            form_schema["required"] = required
        has_file = any(p.get("type") == "file" for p in form)
        kinds = [c for c in consumes if "form" in str(c)] or [
            "multipart/form-data" if has_file else "application/x-www-form-urlencoded"
        ]
        return Body(bool(required), [Media(str(c), form_schema) for c in kinds])

    def _response(self, status: str, raw: Any, op: Node) -> Response:
        resp = self.deref(raw)
        if not isinstance(resp, dict):
            return Response(status, {}, None)
        headers = {str(k): self._header_schema(v) for k, v in (resp.get("headers") or {}).items()}
        if self.version != "2.0":
            return Response(status, headers, self._body(resp))
        if "schema" not in resp:
            return Response(status, headers, None)
        produces = op.get("produces") or self.doc.get("produces") or ["application/json"]
        given = resp.get("examples") or {}
        media = [
            Media(str(p), resp["schema"], [("examples", jsonable(given[p]))] if p in given else [])
            for p in produces
        ]
        return Response(status, headers, Body(False, media))

    def _header_schema(self, raw: Any) -> Any:
        header = self.deref(raw)
        if not isinstance(header, dict):
            return {}
        if "schema" in header:
            return header["schema"]
        return {k: v for k, v in header.items() if k not in ("description", "required")}
