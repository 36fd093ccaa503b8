"""The OpenAPI document as frozen dataclasses, in the document's own order.

`build_api` is pure: it reads a dict and returns an `Api`. Noise that FastAPI adds to every
operation (the automatic 422 response, an optional header sent everywhere) is recognised by
how often it repeats, not by name, and shown once instead of on every page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.errors import SpecError
from generator.examples import build_example, spec_example
from generator.schemas import SchemaIndex
from generator.shapes import Field, Mode, Shape, constraints_of, default_of, fields_of, shape_of
from generator.slugs import SlugAllocator, operation_slug, slugify
from generator.usage import schema_usage

METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
UNTAGGED = "Other"
SCHEMA_FOLDER = "schemas"
_PARAMETER_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query, header or cookie
    required: bool
    description: str
    shape: Shape
    default: str
    constraints: tuple[str, ...]
    deprecated: bool
    example: Any


@dataclass(frozen=True)
class Body:
    description: str
    required: bool
    media_types: tuple[str, ...]
    shape: Shape
    fields: tuple[Field, ...]
    example: Any
    has_example: bool


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    media_type: str | None
    shape: Shape | None
    fields: tuple[Field, ...]
    example: Any
    has_example: bool
    headers: tuple[Parameter, ...]
    common: bool  # the same response on most operations: shown in one line


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str
    operation_id: str
    summary: str
    description: str
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    common_parameters: tuple[str, ...]  # names of the API-wide optional headers it accepts
    request_body: Body | None
    responses: tuple[Response, ...]
    slug: str
    page: str  # relative to the output folder, e.g. "flows/post-flows-filter.md"

    @property
    def title(self) -> str:
        return self.summary or self.operation_id or f"{self.method} {self.path}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    description: str
    operations: tuple[Operation, ...]

    @property
    def page(self) -> str:
        return f"{self.slug}/index.md"


@dataclass(frozen=True)
class SchemaDef:
    name: str
    title: str
    slug: str
    description: str
    shape: Shape
    fields: tuple[Field, ...]
    example: Any
    used_by: tuple[tuple[str, str], ...]  # operation keys, document order
    deprecated: bool

    @property
    def page(self) -> str:
        return f"{SCHEMA_FOLDER}/{self.slug}.md"


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    openapi_version: str
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    schemas: tuple[SchemaDef, ...]
    common_parameters: tuple[Parameter, ...]
    warnings: tuple[str, ...]

    def schema(self, name: str) -> SchemaDef | None:
        return _schema_lookup(self).get(name)

    def operation(self, method: str, path: str) -> Operation | None:
        return next((o for o in self.operations if o.key == (method.upper(), path)), None)


def _schema_lookup(api: Api) -> dict[str, SchemaDef]:
    cached: dict[str, SchemaDef] | None = api.__dict__.get("_by_name")
    if cached is None:
        cached = {s.name: s for s in api.schemas}
        object.__setattr__(api, "_by_name", cached)
    return cached


def build_api(doc: dict[str, Any]) -> Api:
    """Build the model of a whole OpenAPI 3.x document."""
    index = SchemaIndex(doc)
    raw_ops = list(_raw_operations(doc, index))
    common = _common_parameters(raw_ops, index)
    common_responses = _common_responses(raw_ops, index)
    tag_slugs = SlugAllocator("tag")
    tag_names = _tag_order(doc, raw_ops)
    slug_of_tag = {name: tag_slugs.claim(slugify(name, "tag")) for name in tag_names}
    per_folder: dict[str, SlugAllocator] = {}
    operations = []
    for method, path, op, params in raw_ops:
        op_tags = tuple(str(t) for t in op.get("tags") or []) or (UNTAGGED,)
        folder = slug_of_tag[op_tags[0]]
        slug = per_folder.setdefault(folder, SlugAllocator("op")).claim(
            operation_slug(method, path)
        )
        operations.append(
            _operation(method, path, op, params, op_tags, index, common, common_responses)
            | {"slug": slug, "page": f"{folder}/{slug}.md"}
        )
    ops = tuple(Operation(**o) for o in operations)
    info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
    descriptions = _tag_descriptions(doc)
    tags = tuple(
        Tag(
            name,
            slug_of_tag[name],
            descriptions.get(name, ""),
            tuple(o for o in ops if name in o.tags),
        )
        for name in tag_names
    )
    return Api(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or ""),
        openapi_version=str(doc.get("openapi", "")),
        tags=tags,
        operations=ops,
        schemas=_schemas(doc, index, raw_ops),
        common_parameters=tuple(_parameter(p, index) for p in common.values()),
        warnings=tuple(dict.fromkeys(index.warnings)),
    )


RawOperation = tuple[str, str, dict[str, Any], list[dict[str, Any]]]


def _raw_operations(doc: dict[str, Any], index: SchemaIndex) -> list[RawOperation]:
    found = []
    for path, item in (doc.get("paths") or {}).items():
        item = index.resolve(item).node
        if not isinstance(item, dict):
            raise SpecError(f"paths/{path}: a path item must be an object")
        shared = [index.resolve(p).node for p in item.get("parameters") or []]
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            own = [index.resolve(p).node for p in op.get("parameters") or []]
            names = {(p.get("name"), p.get("in")) for p in own}
            params = own + [p for p in shared if (p.get("name"), p.get("in")) not in names]
            params = [p for p in params if isinstance(p.get("name"), str)]
            params.sort(key=lambda p: _PARAMETER_ORDER.get(str(p.get("in")), 9))
            found.append((method.upper(), str(path), op, params))
    return found


def _common_parameters(raw_ops: list[RawOperation], index: SchemaIndex) -> dict[str, Any]:
    """Optional headers sent on most operations (Prefect's `x-prefect-api-version`)."""
    counts: Counter[str] = Counter()
    seen: dict[str, dict[str, Any]] = {}
    for _m, _p, _op, params in raw_ops:
        for p in params:
            if p.get("in") == "header" and not p.get("required"):
                counts[p["name"]] += 1
                seen.setdefault(p["name"], p)
    threshold = max(2, len(raw_ops) // 2 + 1)
    return {name: seen[name] for name, n in counts.items() if n >= threshold}


def _response_signature(status: str, response: Any, index: SchemaIndex) -> tuple[str, ...]:
    resolved = index.resolve(response).node
    content = resolved.get("content")
    media: Any = next(iter(content.values()), {}) if isinstance(content, dict) and content else {}
    schema = media.get("schema") if isinstance(media, dict) else None
    schema = schema if isinstance(schema, dict) else {}
    return (status, str(resolved.get("description")), str(schema.get("$ref", "")))


def _common_responses(raw_ops: list[RawOperation], index: SchemaIndex) -> set[tuple[str, ...]]:
    """Responses repeated on most operations, such as FastAPI's automatic 422."""
    counts: Counter[tuple[str, ...]] = Counter()
    for _m, _p, op, _params in raw_ops:
        for status, response in (op.get("responses") or {}).items():
            counts[_response_signature(str(status), response, index)] += 1
    threshold = max(2, len(raw_ops) // 2 + 1)
    return {sig for sig, n in counts.items() if n >= threshold and sig[2] and sig[0][0] in "45"}


def _operation(
    method: str,
    path: str,
    op: dict[str, Any],
    params: list[dict[str, Any]],
    tags: tuple[str, ...],
    index: SchemaIndex,
    common: dict[str, Any],
    common_responses: set[tuple[str, ...]],
) -> dict[str, Any]:
    return {
        "method": method,
        "path": path,
        "operation_id": str(op.get("operationId") or ""),
        "summary": str(op.get("summary") or ""),
        "description": str(op.get("description") or ""),
        "tags": tags,
        "deprecated": op.get("deprecated") is True,
        "parameters": tuple(
            _parameter(p, index)
            for p in params
            if not (p.get("in") == "header" and p["name"] in common and not p.get("required"))
        ),
        "common_parameters": tuple(
            p["name"] for p in params if p.get("in") == "header" and p["name"] in common
        ),
        "request_body": _body(op.get("requestBody"), index),
        "responses": tuple(
            _response(str(status), r, index, common_responses)
            for status, r in (op.get("responses") or {}).items()
        ),
    }


def _parameter(p: dict[str, Any], index: SchemaIndex) -> Parameter:
    schema_node = p.get("schema")
    if schema_node is None and isinstance(p.get("content"), dict) and p["content"]:
        schema_node = next(iter(p["content"].values())).get("schema")
    schema = index.resolve(schema_node or {}).node
    has_example, example = spec_example(p, schema)
    return Parameter(
        name=str(p["name"]),
        location=str(p.get("in", "query")),
        required=p.get("required") is True or p.get("in") == "path",
        description=str(p.get("description") or "").strip(),
        shape=shape_of(schema_node or {}, index),
        default=default_of(schema),
        constraints=constraints_of(schema),
        deprecated=p.get("deprecated") is True,
        example=example if has_example else build_example(schema_node or {}, index, "request"),
    )


def _pick_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(content, dict) or not content:
        return None
    for media_type, media in content.items():
        if re.search(r"[/+]json\b", str(media_type)) and isinstance(media, dict):
            return str(media_type), media
    media_type, media = next(iter(content.items()))
    return str(media_type), media if isinstance(media, dict) else {}


def _payload(media: dict[str, Any], index: SchemaIndex, mode: Mode) -> dict[str, Any]:
    node = media.get("schema") or {}
    schema = index.resolve(node).node
    has_example, example = spec_example(media, schema)
    if not has_example:
        example = build_example(node, index, mode)
    return {
        "shape": shape_of(node, index),
        "fields": fields_of(node, index, mode),
        "example": example,
        "has_example": has_example,
    }


def _body(node: Any, index: SchemaIndex) -> Body | None:
    if node is None:
        return None
    body = index.resolve(node).node
    picked = _pick_media(body.get("content"))
    if picked is None:
        return None
    return Body(
        description=str(body.get("description") or "").strip(),
        required=body.get("required") is True,
        media_types=tuple(str(m) for m in body["content"]),
        **_payload(picked[1], index, "request"),
    )


def _response(status: str, node: Any, index: SchemaIndex, common: set[tuple[str, ...]]) -> Response:
    response = index.resolve(node).node
    picked = _pick_media(response.get("content"))
    headers = tuple(
        _parameter({**index.resolve(h).node, "name": name, "in": "header"}, index)
        for name, h in (response.get("headers") or {}).items()
    )
    payload = (
        _payload(picked[1], index, "response")
        if picked
        else {"shape": None, "fields": (), "example": None, "has_example": False}
    )
    return Response(
        status=status,
        description=str(response.get("description") or "").strip(),
        media_type=picked[0] if picked else None,
        headers=headers,
        common=_response_signature(status, node, index) in common,
        **payload,
    )


def _tag_order(doc: dict[str, Any], raw_ops: list[RawOperation]) -> list[str]:
    """Declared tags first (in their order), then tags in order of first use."""
    names = [str(t["name"]) for t in doc.get("tags") or [] if isinstance(t, dict) and "name" in t]
    for _m, _p, op, _params in raw_ops:
        names += [str(t) for t in op.get("tags") or []] or [UNTAGGED]
    used = {str(t) for _m, _p, op, _ in raw_ops for t in op.get("tags") or []}
    if any(not op.get("tags") for _m, _p, op, _ in raw_ops):
        used.add(UNTAGGED)
    return [n for n in dict.fromkeys(names) if n in used]


def _tag_descriptions(doc: dict[str, Any]) -> dict[str, str]:
    return {
        str(t["name"]): str(t.get("description") or "")
        for t in doc.get("tags") or []
        if isinstance(t, dict) and "name" in t
    }


def _schemas(
    doc: dict[str, Any], index: SchemaIndex, raw_ops: list[RawOperation]
) -> tuple[SchemaDef, ...]:
    usage = schema_usage(index, raw_ops)
    body_titles = _body_titles(raw_ops)
    slugs = SlugAllocator("schema")
    result = []
    for name, node in index.components.items():
        schema = index.resolve(node).node
        result.append(
            SchemaDef(
                name=str(name),
                title=body_titles.get(str(name), str(name)),
                slug=slugs.claim(slugify(str(name), "schema")),
                description=str(schema.get("description") or "").strip(),
                shape=shape_of(node, index),
                fields=fields_of(
                    {"$ref": f"#/components/schemas/{_escape(name)}"}, index, "schema"
                ),
                example=build_example(node, index, "response"),
                used_by=usage.get(str(name), ()),
                deprecated=schema.get("deprecated") is True,
            )
        )
    return tuple(result)


def _escape(name: str) -> str:
    return str(name).replace("~", "~0").replace("/", "~1")


def _body_titles(raw_ops: list[RawOperation]) -> dict[str, str]:
    """Readable titles for FastAPI's generated `Body_<operationId>` schemas."""
    titles = {}
    for _m, _p, op, _params in raw_ops:
        operation_id = op.get("operationId")
        if operation_id:
            title = op.get("summary") or operation_id
            titles[f"Body_{operation_id}"] = f"{title} (request body)"
    return titles
