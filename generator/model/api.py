"""The OpenAPI document as frozen dataclasses, in the document's own order.

`build_api` is pure: it reads a dict and returns an `Api`. Noise that FastAPI adds to every
operation (the automatic 422 response, an optional header sent everywhere) is recognised by
how often it repeats, not by name, and shown once instead of on every page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.errors import SpecError
from generator.layout import (
    TOP_LEVEL,
    WEBHOOK_FOLDER,
    SlugAllocator,
    operation_page,
    operation_slug,
    slugify,
    tag_page,
)
from generator.model.parts import (
    Body,
    Parameter,
    Response,
    ResponseKey,
    parameter,
    patch_target,
    request_body,
    response,
    response_signature,
    server_urls,
)
from generator.model.resolver import SchemaIndex
from generator.model.schema_pages import SchemaDef, schema_defs
from generator.model.security import Requirement, SecurityScheme, requirements, security_schemes
from generator.model.usage import RawOperation

__all__ = [
    "METHODS",
    "Api",
    "Body",
    "Callback",
    "Operation",
    "Parameter",
    "Response",
    "SchemaDef",
    "Tag",
]

METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
UNTAGGED = "Other"
_PARAMETER_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}


@dataclass(frozen=True)
class Callback:
    """A request the server sends back to the client (OpenAPI `callbacks`)."""

    name: str
    expression: str  # the runtime expression of the URL, e.g. `{$request.body#/url}`
    method: str
    summary: str
    description: str
    request_body: Body | None
    responses: tuple[Response, ...]


@dataclass(frozen=True, eq=False)  # an operation is itself: identity, so it can key a dict
class Operation:
    """One HTTP operation (or webhook), with its parameters, body and responses."""

    method: str  # upper case
    path: str  # for a webhook: its name
    operation_id: str
    summary: str
    description: str
    # The tags it is listed under, linked after building (`Tag.operations` points back).
    tags: tuple[Tag, ...] = field(compare=False, repr=False)
    deprecated: bool
    parameters: tuple[Parameter, ...]
    common_parameters: tuple[str, ...]  # names of the API-wide optional headers it accepts
    request_body: Body | None
    responses: tuple[Response, ...]
    security: tuple[Requirement, ...] | None  # None: the document says nothing
    callbacks: tuple[Callback, ...]
    slug: str
    page: str  # relative to the output folder, e.g. "flows/post-flows-filter.md"
    webhook: bool = False
    unlisted_tags: tuple[str, ...] = ()  # a webhook's tag names that no tag page lists
    servers: tuple[str, ...] = ()  # its own `servers` (operation's, else path item's), resolved

    @property
    def tag_names(self) -> tuple[str, ...]:
        """Names of the tags it is listed under, then those no tag page lists."""
        return tuple(t.name for t in self.tags) + self.unlisted_tags

    @property
    def title(self) -> str:
        """Its summary, else its operationId, else `METHOD path`."""
        return self.summary or self.operation_id or f"{self.method} {self.path}"

    @property
    def key(self) -> tuple[str, str]:
        """`(METHOD, path)`, unique within the document."""
        return (self.method, self.path)


@dataclass(frozen=True)
class Tag:
    """A tag and the operations listed under it, in document order."""

    name: str
    slug: str
    description: str
    operations: tuple[Operation, ...]

    @property
    def page(self) -> str:
        """The tag's page, relative to the output folder."""
        return tag_page(self.slug)


@dataclass(frozen=True)
class Api:
    """The whole document as the pages show it: the root of the model."""

    title: str
    version: str
    description: str
    openapi_version: str
    servers: tuple[str, ...]
    tags: tuple[Tag, ...]
    operations: tuple[Operation, ...]
    webhooks: tuple[Operation, ...]
    schemas: tuple[SchemaDef, ...]
    common_parameters: tuple[Parameter, ...]
    security_schemes: tuple[SecurityScheme, ...]
    warnings: tuple[str, ...]
    # The document's `externalDocs` URL when it is a web address: site-relative links in
    # descriptions (`/docs/guide`) are resolved against it.
    docs_url: str | None
    # The resolver of the document, shared with the stages that read schema structure.
    index: SchemaIndex = field(compare=False, repr=False)

    def schema(self, name: str) -> SchemaDef | None:
        """The component schema called `name`, if any."""
        return _lookup(self, "_schemas", lambda: {s.name: s for s in self.schemas}).get(name)

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation or webhook at `method` and `path`, if any."""
        by_key = _lookup(
            self, "_operations", lambda: {o.key: o for o in self.operations + self.webhooks}
        )
        return by_key.get((method.upper(), path))


def _lookup(api: Api, name: str, build: Any) -> dict[Any, Any]:
    """A per-instance cache on a frozen dataclass (the model never changes after building)."""
    cached: dict[Any, Any] | None = api.__dict__.get(name)
    if cached is None:
        cached = build()
        object.__setattr__(api, name, cached)
    return cached


def build_api(doc: dict[str, Any]) -> Api:
    """Build the model of a whole OpenAPI 3.x document."""
    index = SchemaIndex(doc)
    raw_ops = _raw_operations(doc.get("paths"), index, "paths")
    raw_hooks = _raw_operations(doc.get("webhooks"), index, "webhooks")
    builder = _OperationBuilder(
        doc,
        index,
        _common_parameters(raw_ops),
        _common_responses(raw_ops, index),
    )
    tag_names = _tag_order(doc, raw_ops)
    tag_slugs = SlugAllocator("tag", taken=TOP_LEVEL)
    slug_of_tag = {name: tag_slugs.claim(slugify(name, "tag")) for name in tag_names}
    per_folder: dict[str, SlugAllocator] = {}

    def page_of(method: str, path: str, folder: str) -> dict[str, str]:
        slug = per_folder.setdefault(folder, SlugAllocator("op")).claim(
            operation_slug(method, path)
        )
        return {"slug": slug, "page": operation_page(folder, slug)}

    op_tags = [_tags_of(raw[2]) or (UNTAGGED,) for raw in raw_ops]
    ops = tuple(
        builder.operation(raw, page_of(raw[0], raw[1], slug_of_tag[names[0]]))
        for raw, names in zip(raw_ops, op_tags, strict=True)
    )
    hooks = tuple(
        builder.operation(raw, page_of(raw[0], raw[1], WEBHOOK_FOLDER), webhook=True)
        for raw in raw_hooks
    )
    info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
    descriptions = _tag_descriptions(doc)
    tags = tuple(
        Tag(
            name,
            slug_of_tag[name],
            descriptions.get(name, ""),
            tuple(o for o, names in zip(ops, op_tags, strict=True) if name in names),
        )
        for name in tag_names
    )
    _link_tags(ops, op_tags, tags)
    _link_tags(hooks, [_tags_of(raw[2]) for raw in raw_hooks], tags)
    return Api(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or ""),
        openapi_version=str(doc.get("openapi", "")),
        servers=server_urls(doc.get("servers")),
        tags=tags,
        operations=ops,
        webhooks=hooks,
        schemas=schema_defs(index, raw_ops + raw_hooks, ops + hooks),
        common_parameters=tuple(parameter(p, index) for p in builder.common.values()),
        security_schemes=security_schemes(doc),
        warnings=tuple(dict.fromkeys(index.warnings)),
        docs_url=_docs_url(doc.get("externalDocs")),
        index=index,
    )


def _docs_url(external: Any) -> str | None:
    """The `externalDocs` URL if it is an absolute web address (never a script or a path)."""
    url = external.get("url") if isinstance(external, dict) else None
    if isinstance(url, str) and re.match(r"https?://[^\s/?#]+", url.strip(), re.I):
        return url.strip()
    return None


def _link_tags(
    ops: tuple[Operation, ...], names: list[tuple[str, ...]], tags: tuple[Tag, ...]
) -> None:
    """Point each operation at its `Tag` objects, once they exist (frozen: set in place)."""
    by_name = {t.name: t for t in tags}
    for op, wanted in zip(ops, names, strict=True):
        listed = tuple(by_name[n] for n in dict.fromkeys(wanted) if n in by_name)
        object.__setattr__(op, "tags", listed)
        unlisted = tuple(n for n in wanted if n not in by_name)
        if unlisted:
            object.__setattr__(op, "unlisted_tags", unlisted)


def _tags_of(op: dict[str, Any]) -> tuple[str, ...]:
    tags = op.get("tags")
    return tuple(str(t) for t in tags if t is not None) if isinstance(tags, list) else ()


def _raw_operations(paths: Any, index: SchemaIndex, where: str) -> list[RawOperation]:
    if paths is None:
        return []
    if not isinstance(paths, dict):
        raise SpecError(f"{where}: must be an object, not {type(paths).__name__}")
    found = []
    for path, node in paths.items():
        if not isinstance(node, dict):
            index.warnings.append(f"{where}/{path}: not an object; skipped")
            continue
        item = index.resolve(node).node
        shared = _parameters(item.get("parameters"), index)
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            own = _parameters(op.get("parameters"), index)
            names = {(p.get("name"), p.get("in")) for p in own}
            params = own + [p for p in shared if (p.get("name"), p.get("in")) not in names]
            params.sort(key=lambda p: _PARAMETER_ORDER.get(str(p.get("in")), 9))
            if "servers" not in op and isinstance(item.get("servers"), list):
                op = {**op, "servers": item["servers"]}  # the path item's servers apply
            found.append((method.upper(), str(path), op, params))
    return found


def _parameters(nodes: Any, index: SchemaIndex) -> list[dict[str, Any]]:
    if not isinstance(nodes, list):
        return []
    resolved = (index.resolve(p).node for p in nodes)
    return [p for p in resolved if isinstance(p.get("name"), str)]


def _common_parameters(raw_ops: list[RawOperation]) -> dict[str, Any]:
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


def _responses_of(op: dict[str, Any]) -> dict[str, Any]:
    responses = op.get("responses")
    return {str(k): v for k, v in responses.items()} if isinstance(responses, dict) else {}


def _common_responses(raw_ops: list[RawOperation], index: SchemaIndex) -> set[ResponseKey]:
    """Error responses repeated on most operations, such as FastAPI's automatic 422.

    A response with headers or examples of its own is never compacted: its page shows them.
    """
    counts: Counter[ResponseKey] = Counter()
    for _m, _p, op, _params in raw_ops:
        for status, node in _responses_of(op).items():
            if not _has_detail(index.resolve(node).node):
                counts[response_signature(status, node, index)] += 1
    threshold = max(2, len(raw_ops) // 2 + 1)
    return {sig for sig, n in counts.items() if n >= threshold and sig[2] and sig[0][:1] in "45"}


def _has_detail(response: Any) -> bool:
    """Whether a response declares headers or examples (which the "also returned" line omits)."""
    if not isinstance(response, dict):
        return False
    content = response.get("content")
    media = content.values() if isinstance(content, dict) else ()
    return bool(response.get("headers")) or any(
        isinstance(m, dict) and ("example" in m or m.get("examples")) for m in media
    )


@dataclass(frozen=True)
class _OperationBuilder:
    doc: dict[str, Any]
    index: SchemaIndex
    common: dict[str, Any]
    common_responses: set[ResponseKey]

    def operation(
        self, raw: RawOperation, page: dict[str, str], webhook: bool = False
    ) -> Operation:
        method, path, op, params = raw
        try:
            return self._operation(method, path, op, params, page, webhook)
        except SpecError:
            raise
        except Exception as e:  # malformed input deep inside an operation: say where
            where = f"{'webhooks' if webhook else 'paths'}/{path}/{method.lower()}"
            raise SpecError(f"{where}: cannot be rendered ({type(e).__name__}: {e})") from e

    def _operation(
        self,
        method: str,
        path: str,
        op: dict[str, Any],
        params: list[dict[str, Any]],
        page: dict[str, str],
        webhook: bool,
    ) -> Operation:
        index, common = self.index, self.common
        return Operation(
            method=method,
            path=path,
            operation_id=str(op.get("operationId") or ""),
            summary=str(op.get("summary") or ""),
            description=str(op.get("description") or ""),
            tags=(),  # linked once the tags exist
            deprecated=op.get("deprecated") is True,
            parameters=tuple(
                parameter(p, index)
                for p in params
                if not (p.get("in") == "header" and p["name"] in common and not p.get("required"))
            ),
            common_parameters=tuple(
                p["name"] for p in params if p.get("in") == "header" and p["name"] in common
            ),
            request_body=request_body(op.get("requestBody"), index, patch_target(op, index)),
            responses=tuple(
                response(status, r, index, self.common_responses)
                for status, r in _responses_of(op).items()
            ),
            security=requirements(op, {} if webhook else self.doc),
            callbacks=self._callbacks(op.get("callbacks")),
            webhook=webhook,
            servers=server_urls(op.get("servers")),
            slug=page["slug"],
            page=page["page"],
        )

    def _callbacks(self, node: Any) -> tuple[Callback, ...]:
        if not isinstance(node, dict):
            return ()
        found = []
        for name, callback_node in node.items():
            callback = self.index.resolve(callback_node).node
            for expression, item_node in callback.items():
                item = self.index.resolve(item_node).node
                for method in METHODS:
                    op = item.get(method) if isinstance(item, dict) else None
                    if isinstance(op, dict):
                        found.append(
                            Callback(
                                name=str(name),
                                expression=str(expression),
                                method=method.upper(),
                                summary=str(op.get("summary") or ""),
                                description=str(op.get("description") or ""),
                                request_body=request_body(op.get("requestBody"), self.index),
                                responses=tuple(
                                    response(s, r, self.index, set())
                                    for s, r in _responses_of(op).items()
                                ),
                            )
                        )
        return tuple(found)


def _tag_order(doc: dict[str, Any], raw_ops: list[RawOperation]) -> list[str]:
    """Declared tags first (in their order), then tags in order of first use."""
    names = list(_tag_descriptions(doc))
    for _m, _p, op, _params in raw_ops:
        names += _tags_of(op) or (UNTAGGED,)
    used = {t for _m, _p, op, _ in raw_ops for t in _tags_of(op) or (UNTAGGED,)}
    return [n for n in dict.fromkeys(names) if n in used]


def _tag_descriptions(doc: dict[str, Any]) -> dict[str, str]:
    tags: list[Any] = doc["tags"] if isinstance(doc.get("tags"), list) else []
    return {
        str(t["name"]): str(t.get("description") or "")
        for t in tags
        if isinstance(t, dict) and "name" in t
    }
