"""Parameters, request bodies and responses: the parts of one operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.examples.synthesis import build_example, spec_example
from generator.model.resolver import SchemaIndex, look_through, split_null
from generator.model.shapes import (
    Field,
    Mode,
    Shape,
    constraints_of,
    default_of,
    fields_of,
    shape_of,
)

ResponseKey = tuple[str, ...]


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter (also a response header)."""

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
class Alternative:
    """One branch of a oneOf/anyOf payload, with its own field table."""

    shape: Shape
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Body:
    """A request body: the media type shown, its shape, field rows and example."""

    description: str
    required: bool
    media_types: tuple[str, ...]
    media_type: str  # the one shown: the first JSON media type, else the first listed
    shape: Shape
    fields: tuple[Field, ...]
    example: Any
    has_example: bool
    alternatives: tuple[Alternative, ...] = ()
    # The schema node of `media_type` as written (a `$ref` stays one), for later stages that
    # read structure the field rows flatten away, such as the filters stage.
    schema: Any = field(default=None, compare=False, repr=False)

    @property
    def is_json(self) -> bool:
        """Whether the media type shown is JSON."""
        return is_json_media(self.media_type)


@dataclass(frozen=True)
class Response:
    """One response status: its media type, shape, field rows, headers and example."""

    status: str
    description: str
    media_type: str | None
    shape: Shape | None
    fields: tuple[Field, ...]
    example: Any
    has_example: bool
    headers: tuple[Parameter, ...]
    common: bool  # the same response on most operations: shown in one line
    alternatives: tuple[Alternative, ...] = ()


def parameter(p: dict[str, Any], index: SchemaIndex) -> Parameter:
    """The `Parameter` of a parameter object (its schema from `schema` or `content`)."""
    schema_node = p.get("schema")
    if schema_node is None and isinstance(p.get("content"), dict) and p["content"]:
        schema_node = next(iter(p["content"].values())).get("schema")
    schema = look_through(schema_node or {}, index).node  # constraints inside `Optional[...]`
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


def is_json_media(media_type: str) -> bool:
    """Whether a media type carries JSON.

    That is `application/json` (with any parameters, such as a charset) or a `+json` structured
    syntax suffix (`application/problem+json`).
    """
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _pick_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(content, dict) or not content:
        return None
    for media_type, media in content.items():
        if is_json_media(str(media_type)) and isinstance(media, dict):
            return str(media_type), media
    media_type, media = next(iter(content.items()))
    return str(media_type), media if isinstance(media, dict) else {}


def _payload(media: dict[str, Any], index: SchemaIndex, mode: Mode) -> dict[str, Any]:
    node = media.get("schema") or {}
    schema = index.resolve(node).node
    has_example, example = spec_example(media, schema)
    if not has_example:
        example = build_example(node, index, mode)
    options: list[Any] = next(
        (schema[k] for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list)), []
    )
    kept, _nullable = split_null(options, index)
    alternatives = tuple(
        Alternative(shape_of(option, index), fields_of(option, index, mode))
        for option in (kept if len(kept) > 1 else [])
    )
    return {
        "shape": shape_of(node, index),
        "fields": fields_of(node, index, mode),
        "example": example,
        "has_example": has_example,
        "alternatives": alternatives,
    }


def request_body(node: Any, index: SchemaIndex) -> Body | None:
    """The `Body` of a requestBody object, or None when it has no content."""
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
        media_type=picked[0],
        schema=picked[1].get("schema"),
        **_payload(picked[1], index, "request"),
    )


def response(status: str, node: Any, index: SchemaIndex, common: set[ResponseKey]) -> Response:
    """The `Response` for `status`; `common` marks responses shared by many operations."""
    response = index.resolve(node).node
    picked = _pick_media(response.get("content"))
    headers = tuple(
        parameter({**index.resolve(h).node, "name": name, "in": "header"}, index)
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
        common=response_signature(status, node, index) in common,
        **payload,
    )


def response_signature(status: str, response: Any, index: SchemaIndex) -> ResponseKey:
    """What makes two responses the same for compacting: status, description, schema ref."""
    resolved = index.resolve(response).node
    content = resolved.get("content")
    media: Any = next(iter(content.values()), {}) if isinstance(content, dict) and content else {}
    schema = media.get("schema") if isinstance(media, dict) else None
    schema = schema if isinstance(schema, dict) else {}
    return (status, str(resolved.get("description")), str(schema.get("$ref", "")))
