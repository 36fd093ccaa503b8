"""Swagger 2.0 documents converted to the OpenAPI 3.0 structure the model reads.

Only the structure changes: definitions, parameters and responses move under `components`,
body and form parameters become request bodies, response schemas get a media type, and
`host`/`basePath`/`schemes` become `servers`. Text and schemas are kept as they are.
"""

from __future__ import annotations

from typing import Any

_REF_PREFIXES = {
    "#/definitions/": "#/components/schemas/",
    "#/parameters/": "#/components/parameters/",
    "#/responses/": "#/components/responses/",
}
_SCHEMA_KEYS = (
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
    "uniqueItems", "multipleOf",
)  # fmt: skip
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def convert(doc: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 document as OpenAPI 3.0.3."""
    doc = _rewrite_refs(doc)
    # Body and form parameters have no OpenAPI 3 counterpart: references to them are inlined.
    payloads = {n: p for n, p in _dict(doc.get("parameters")).items() if _is_payload(p)}
    consumes = _list(doc.get("consumes")) or ["application/json"]
    produces = _list(doc.get("produces")) or ["application/json"]
    out: dict[str, Any] = {"openapi": "3.0.3", "info": doc.get("info") or {}}
    servers = _servers(doc)
    if servers:
        out["servers"] = servers
    for key in ("tags", "security", "externalDocs"):
        if key in doc:
            out[key] = doc[key]
    paths = {}
    for path, item in _dict(doc.get("paths")).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        new_item = {k: v for k, v in item.items() if k not in _METHODS and k != "parameters"}
        shared = [_inline(p, payloads) for p in _list(item.get("parameters"))]
        new_item["parameters"] = [_parameter(p) for p in shared if not _is_payload(p)]
        for method in _METHODS:
            if isinstance(item.get(method), dict):
                own = [_inline(p, payloads) for p in _list(item[method].get("parameters"))]
                new_item[method] = _operation(item[method], own, shared, consumes, produces)
        paths[path] = new_item
    out["paths"] = paths
    components: dict[str, Any] = {"schemas": _dict(doc.get("definitions"))}
    components["parameters"] = {
        name: _parameter(p)
        for name, p in _dict(doc.get("parameters")).items()
        if name not in payloads
    }
    components["responses"] = {
        name: _response(r, produces) for name, r in _dict(doc.get("responses")).items()
    }
    schemes = _dict(doc.get("securityDefinitions"))
    if schemes:
        components["securitySchemes"] = {n: _security(s) for n, s in schemes.items()}
    out["components"] = components
    return out


def _operation(
    op: dict[str, Any], own: list[Any], shared: list[Any], consumes: list[str], produces: list[str]
) -> dict[str, Any]:
    names = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
    params = own + [
        p for p in shared if isinstance(p, dict) and (p.get("name"), p.get("in")) not in names
    ]
    consumes = _list(op.get("consumes")) or consumes
    produces = _list(op.get("produces")) or produces
    new = {k: v for k, v in op.items() if k not in ("parameters", "consumes", "produces")}
    new["parameters"] = [_parameter(p) for p in own if not _is_payload(p)]
    body = _request_body([p for p in params if _is_payload(p)], consumes)
    if body:
        new["requestBody"] = body
    new["responses"] = {
        str(status): _response(r, produces) for status, r in _dict(op.get("responses")).items()
    }
    return new


def _inline(p: Any, payloads: dict[str, Any]) -> Any:
    """A reference to a body or form parameter, replaced by that parameter."""
    ref = p.get("$ref") if isinstance(p, dict) else None
    name = ref.removeprefix("#/components/parameters/") if isinstance(ref, str) else None
    return payloads.get(name, p) if name else p


def _is_payload(p: Any) -> bool:
    return isinstance(p, dict) and p.get("in") in ("body", "formData")


def _parameter(p: Any) -> Any:
    if not isinstance(p, dict) or "$ref" in p:
        return p
    new = {k: v for k, v in p.items() if k not in _SCHEMA_KEYS and k != "collectionFormat"}
    new["schema"] = {k: p[k] for k in _SCHEMA_KEYS if k in p}
    if new["schema"].get("type") == "file":  # an upload: OpenAPI 3 spells it a binary string
        new["schema"] = {**new["schema"], "type": "string", "format": "binary"}
    return new


def _request_body(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any] | None:
    body = next((p for p in params if p.get("in") == "body"), None)
    if body is not None:
        content = {media: {"schema": body.get("schema") or {}} for media in consumes}
        return {"description": body.get("description", ""), "required": bool(body.get("required")),
                "content": content}  # fmt: skip
    if not params:
        return None
    properties = {p["name"]: _parameter(p)["schema"] for p in params if "name" in p}
    required = [p["name"] for p in params if p.get("required") and "name" in p]
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    forms = [m for m in consumes if "form" in m] or ["application/x-www-form-urlencoded"]
    return {"content": {media: {"schema": schema} for media in forms}}


def _response(r: Any, produces: list[str]) -> Any:
    if not isinstance(r, dict) or "$ref" in r:
        return r
    new = {k: v for k, v in r.items() if k not in ("schema", "examples", "headers")}
    if "schema" in r:
        examples = _dict(r.get("examples"))
        new["content"] = {
            media: {"schema": r["schema"], **({"example": examples[media]} if media in examples
                                              else {})}
            for media in produces
        }  # fmt: skip
    if isinstance(r.get("headers"), dict):
        new["headers"] = {
            name: {"description": h.get("description", ""), "schema": _parameter(h)["schema"]}
            for name, h in r["headers"].items()
            if isinstance(h, dict)
        }
    return new


def _security(s: Any) -> Any:
    if not isinstance(s, dict):
        return s
    kind = s.get("type")
    if kind == "basic":
        return {"type": "http", "scheme": "basic", "description": s.get("description", "")}
    if kind == "oauth2":
        flow = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
                "accessCode": "authorizationCode"}.get(str(s.get("flow")), "implicit")  # fmt: skip
        details = {k: s[k] for k in ("authorizationUrl", "tokenUrl") if k in s}
        return {"type": "oauth2", "description": s.get("description", ""),
                "flows": {flow: {**details, "scopes": _dict(s.get("scopes"))}}}  # fmt: skip
    return s


def _servers(doc: dict[str, Any]) -> list[dict[str, str]]:
    host = doc.get("host")
    if not isinstance(host, str):
        return []
    base = str(doc.get("basePath") or "")
    schemes = [s for s in _list(doc.get("schemes")) if isinstance(s, str)] or ["https"]
    return [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        new = {k: _rewrite_refs(v) for k, v in node.items()}
        ref = new.get("$ref")
        if isinstance(ref, str):
            for old, replacement in _REF_PREFIXES.items():
                if ref.startswith(old):
                    new["$ref"] = replacement + ref[len(old) :]
        if new.get("x-nullable") is True:
            new["nullable"] = True
        return new
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
