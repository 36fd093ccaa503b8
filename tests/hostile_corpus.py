"""A hostile OpenAPI document: every place spec text lands, times every way it can break out.

Each *vector* is one payload planted in one field. Its payload carries the vector's number
(`alert(17)`, `data-rr=17`), so a dialog in the browser or live markup in a page names the
field and the payload that got through. `build_document` plants all vectors into one document
(one operation, tag, schema ... per vector where the field is a name), so a single `generate`
and a single site build check them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# How text breaks out of Markdown: raw HTML, <title> decoding, line breaks that end code spans
# and fences (CR, U+2028, U+0085), backtick runs, control characters before a link scheme,
# attr_list braces, autolinks, reference definitions, entity-spelled schemes.
PAYLOADS: dict[str, Callable[[int], str]] = {
    "html": lambda n: f"<img src=x onerror=alert({n})>",
    "script": lambda n: f"<script>alert({n})</script>",
    "title": lambda n: f"x </title><script>alert({n})</script>",
    "cr": lambda n: f"\r\r<img src=x onerror=alert({n})>\r\r",
    "fence": lambda n: f"\n```\n\n<img src=x onerror=alert({n})>\n\n```\n",
    "ls": lambda n: f"\u2028\u2028<img src=x onerror=alert({n})>\u2028\u2028",
    "nel": lambda n: f"\x85```\x85<img src=x onerror=alert({n})>\x85",
    "backtick": lambda n: f"`<img src=x onerror=alert({n})>`",
    "link": lambda n: f"[d](\x01javascript:alert({n}))",
    "attr": lambda n: f"x\n{{: onmouseover=alert({n}) }}",
    "autolink": lambda n: f"<javascript:alert({n})>",
    "refdef": lambda n: f"[r]\n\n[r]: javascript:alert({n})",
    "entity": lambda n: f"[e](&#106;avascript:alert({n}))",
    # Other engines' syntax: mkdocs-macros evaluates Jinja anywhere in a page, even in code;
    # pymdownx.snippets includes a file named on a line of its own, even inside a fence.
    "macro": lambda n: f"{{{{ 'MACRO' ~ 'RAN' ~ {n} }}}}",
    "snippet": lambda n: f'x\n--8<-- "{SECRET_FILE}"\n{n}',
}
SECRET_FILE = "secret.txt"
SECRET = "SECRET-CANARY-7d1f"  # the content of SECRET_FILE in the test site's root
MACRO_RAN = "MACRORAN"

# Payloads for names that become keys or slugs: the line-break ones are the interesting ones.
NAME_PAYLOADS = ("html", "title", "cr", "ls", "backtick")
TEXT_PAYLOADS = tuple(PAYLOADS)


@dataclass(frozen=True)
class Vector:
    """One payload in one field; `number` is what `alert()` and markers carry."""

    number: int
    field: str
    payload: str

    @property
    def text(self) -> str:
        return PAYLOADS[self.payload](self.number)


# Fields whose text is prose (descriptions) or short text shown inline, and fields that are
# names (keys, identifiers). Each maps to a function planting the text into the document.
Plant = Callable[[dict[str, Any], str, int], None]


def _operation(doc: dict[str, Any], n: int, **extra: Any) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"op{n}",
        "summary": f"Operation {n}",
        "tags": ["Vectors"],
        "responses": {"200": {"description": "OK"}},
        **extra,
    }
    doc["paths"][f"/v{n}"] = {"post": op}
    return op


def _schema(doc: dict[str, Any], n: int, schema: dict[str, Any]) -> None:
    doc["components"]["schemas"][f"S{n}"] = schema
    _operation(
        doc,
        n,
        requestBody={
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/S{n}"}}}
        },
    )


def _filter_body(doc: dict[str, Any], n: int, field: str, where: str) -> None:
    """A Prefect-style filter body whose field name, operator value or sort value is hostile."""
    value = {"type": "array", "items": {"type": "string", "enum": ["a", field]}}
    criterion = {
        "type": "object",
        "properties": {"any_": value, "like_": {"type": "string"}},
    }
    entity = {
        "type": "object",
        "properties": {
            (field if where == "name" else "name"): criterion,
            "tags": {"type": "object", "properties": {"all_": {"type": "array"}}},
            "operator": {"type": "string", "enum": ["and_", "or_"]},
        },
    }
    sort = ["NAME_ASC", f"{field}_DESC" if where == "sort" else "NAME_DESC"]
    body = {
        "type": "object",
        "properties": {
            "things": entity,
            "sort": {"type": "string", "enum": sort},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    }
    _schema(doc, n, body)


def _set(path: str) -> Plant:
    """Plant into a field of a fresh operation given as a dotted path under the operation."""

    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        op = _operation(doc, n)
        keys = path.split(".")
        node = op
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = text

    return plant


def _parameter(key: str, location: str = "query") -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        param: dict[str, Any] = {"name": f"p{n}", "in": location, "schema": {"type": "string"}}
        if key == "name":
            param["name"] = text
        elif key == "example":
            param["example"] = text
        elif key == "default":
            param["schema"]["default"] = text
        elif key == "enum":
            param["schema"]["enum"] = ["a", text]
        else:
            param[key] = text
        _operation(doc, n, parameters=[param])

    return plant


def _property(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        prop: dict[str, Any] = {"type": "string"}
        name = f"f{n}"
        if key == "name":
            name = text
        elif key in ("enum", "const"):
            prop[key] = ["a", text] if key == "enum" else text
        elif key == "examples":
            prop["examples"] = [text]
        else:
            prop[key] = text
        _schema(doc, n, {"type": "object", "properties": {name: prop}, "required": [name]})

    return plant


def _response(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        response: dict[str, Any] = {"description": "OK"}
        status = "200"
        if key == "status":
            status = f"2{text}"
        elif key == "description":
            response["description"] = text
        elif key == "header":
            response["headers"] = {text: {"schema": {"type": "string"}}}
        elif key == "header-description":
            response["headers"] = {"X-H": {"description": text, "schema": {"type": "string"}}}
        elif key == "header-example":
            response["headers"] = {"X-H": {"example": text, "schema": {"type": "string"}}}
        elif key == "media":
            response["content"] = {text: {"schema": {"type": "string"}}}
        elif key == "example":
            response["content"] = {
                "application/json": {"schema": {"type": "object"}, "example": {"k": text}}
            }
        _operation(doc, n, responses={status: response})

    return plant


def _info(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        doc["info"][key] = f"{doc['info'].get(key, '')} {text}"

    return plant


def _server(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        server = {"url": f"https://h{n}.example", key: text} if key != "url" else {"url": text}
        doc["servers"].append(server)

    return plant


def _tag(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        name = text if key == "name" else f"Tag {n}"
        doc["tags"].append({"name": name, **({"description": text} if key != "name" else {})})
        _operation(doc, n)["tags"] = [name]

    return plant


def _schema_named(doc: dict[str, Any], text: str, n: int) -> None:
    doc["components"]["schemas"][text] = {"type": "object", "title": f"T{n}"}
    _operation(
        doc,
        n,
        requestBody={
            "content": {"application/json": {"schema": {"$ref": _pointer(text)}}},
        },
    )


def _pointer(name: str) -> str:
    return "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")


def _path_key(doc: dict[str, Any], text: str, n: int) -> None:
    doc["paths"][f"/p{n}/{text}"] = {"get": {"responses": {"200": {"description": "OK"}}}}


def _webhook(doc: dict[str, Any], text: str, n: int) -> None:
    doc.setdefault("webhooks", {})[text] = {
        "post": {"summary": f"Hook {n}", "responses": {"200": {"description": "OK"}}}
    }


def _callback(doc: dict[str, Any], text: str, n: int) -> None:
    _operation(
        doc,
        n,
        callbacks={
            f"cb{n}": {text: {"post": {"responses": {"200": {"description": "OK"}}}}},
        },
    )


def _security(key: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        name = text if key == "scheme" else f"oauth{n}"
        scope = text if key == "scope" else "read"
        doc["components"]["securitySchemes"][name] = {
            "type": "oauth2",
            "description": text if key == "description" else "OAuth",
            "flows": {
                "clientCredentials": {"tokenUrl": "https://t.example", "scopes": {scope: "s"}}
            },
        }
        _operation(doc, n, security=[{name: [scope]}])

    return plant


def _unresolved_ref(doc: dict[str, Any], text: str, n: int) -> None:
    _operation(
        doc,
        n,
        requestBody={"content": {"application/json": {"schema": {"$ref": f"#/nope/{text}"}}}},
    )


def _filter(where: str) -> Plant:
    def plant(doc: dict[str, Any], text: str, n: int) -> None:
        _filter_body(doc, n, text, where)

    return plant


TEXT_FIELDS: dict[str, Plant] = {
    "info.title": _info("title"),
    "info.description": _info("description"),
    "info.version": _info("version"),
    "server.url": _server("url"),
    "server.description": _server("description"),
    "tag.description": _tag("description"),
    "operation.summary": _set("summary"),
    "operation.description": _set("description"),
    "operation.operationId": _set("operationId"),
    "parameter.description": _parameter("description"),
    "parameter.example": _parameter("example"),
    "parameter.default": _parameter("default"),
    "parameter.enum": _parameter("enum"),
    "header-parameter.example": _parameter("example", "header"),
    "property.description": _property("description"),
    "property.title": _property("title"),
    "property.default": _property("default"),
    "property.enum": _property("enum"),
    "property.const": _property("const"),
    "property.examples": _property("examples"),
    "property.pattern": _property("pattern"),
    "property.format": _property("format"),
    "response.description": _response("description"),
    "response.header-description": _response("header-description"),
    "response.header-example": _response("header-example"),
    "response.example": _response("example"),
    "security.description": _security("description"),
}

NAME_FIELDS: dict[str, Plant] = {
    "tag.name": _tag("name"),
    "schema.name": _schema_named,
    "path.key": _path_key,
    "parameter.name": _parameter("name"),
    "header-parameter.name": _parameter("name", "header"),
    "property.name": _property("name"),
    "response.status": _response("status"),
    "response.header": _response("header"),
    "response.media": _response("media"),
    "webhook.name": _webhook,
    "callback.expression": _callback,
    "security.scheme": _security("scheme"),
    "security.scope": _security("scope"),
    "ref.unresolved": _unresolved_ref,
    "filter.field": _filter("name"),
    "filter.sort": _filter("sort"),
}


def vectors() -> list[Vector]:
    """Every (field, payload) pair, numbered from 1 in a fixed order."""
    pairs = [(f, p) for f in TEXT_FIELDS for p in TEXT_PAYLOADS]
    pairs += [(f, p) for f in NAME_FIELDS for p in NAME_PAYLOADS]
    return [Vector(i, field, payload) for i, (field, payload) in enumerate(pairs, start=1)]


def build_document(selected: list[Vector] | None = None) -> dict[str, Any]:
    """One OpenAPI 3.1 document with every vector planted."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "servers": [],
        "tags": [{"name": "Vectors"}],
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}},
    }
    for vector in selected if selected is not None else vectors():
        plant = TEXT_FIELDS.get(vector.field) or NAME_FIELDS[vector.field]
        plant(doc, vector.text, vector.number)
    return doc
