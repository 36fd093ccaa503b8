"""Parameters, request bodies and responses: the parts of one operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.examples.synthesis import (
    build_example,
    parameter_example,
    spec_example,
    spec_examples,
)
from generator.model.resolver import (
    SchemaIndex,
    look_through,
    merge_all_of,
    schema_types,
    split_null,
)
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
# An author's example: (label, value); the label is its summary or key, "" for a lone `example`.
Named = tuple[str, Any]


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
    examples: tuple[Named, ...] = ()  # the authors' examples, all of them, in document order
    files: tuple[str, ...] = ()  # top-level fields holding files (binary), for multipart bodies
    deep_objects: tuple[str, ...] = ()  # form fields the `encoding` asks for as `deepObject`
    # The schema node of `media_type` as written (a `$ref` stays one), for later stages that
    # read structure the field rows flatten away, such as the filters stage.
    schema: Any = field(default=None, compare=False, repr=False)

    @property
    def is_json(self) -> bool:
        """Whether the media type shown is JSON."""
        return is_json_media(self.media_type)

    @property
    def kind(self) -> str:
        """How the body is sent: see `media_kind`."""
        return media_kind(self.media_type, self.shape)


@dataclass(frozen=True)
class Media:
    """One media type of a response, with its own schema."""

    name: str
    shape: Shape | None


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
    examples: tuple[Named, ...] = ()  # the authors' examples, all of them, in document order
    media: tuple[Media, ...] = ()  # every media type it is sent as, `media_type` among them

    @property
    def kind(self) -> str:
        """How the body of `media_type` is written: see `media_kind`."""
        return media_kind(self.media_type, self.shape) if self.media_type else ""


def parameter(p: dict[str, Any], index: SchemaIndex) -> Parameter:
    """The `Parameter` of a parameter object (its schema from `schema` or `content`)."""
    schema_node = p.get("schema")
    if schema_node is None and isinstance(p.get("content"), dict) and p["content"]:
        schema_node = next(iter(p["content"].values())).get("schema")
    schema = look_through(schema_node or {}, index).node  # constraints inside `Optional[...]`
    has_example, example = spec_example(p, schema, index)
    if not has_example and isinstance(p.get("content"), dict) and p["content"]:
        media = next(iter(p["content"].values()))
        has_example, example = spec_example(media if isinstance(media, dict) else {}, {}, index)
    if not has_example:
        example = parameter_example(str(p["name"]), schema_node or {}, index)
    return Parameter(
        name=str(p["name"]),
        location=str(p.get("in", "query")),
        required=p.get("required") is True or p.get("in") == "path",
        description=str(p.get("description") or "").strip(),
        shape=shape_of(schema_node or {}, index),
        default=default_of(schema),
        constraints=constraints_of(schema),
        deprecated=p.get("deprecated") is True,
        example=example,
    )


def is_json_media(media_type: str) -> bool:
    """Whether a media type carries JSON.

    That is `application/json` (with any parameters, such as a charset) or a `+json` structured
    syntax suffix (`application/problem+json`).
    """
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = ("application/octet-stream", "application/pdf", "application/zip", "*/*")


def media_kind(media_type: str, shape: Shape | None = None) -> str:
    """How a body of this media type is written in samples.

    `json`, `form` (URL-encoded fields), `multipart` (fields and files), `text` (a string as
    it is) or `binary` (a file's bytes). `*/*` carries JSON when its schema is structured.
    """
    essence = media_type.split(";", 1)[0].strip().lower()
    structured = shape is not None and bool(set(shape.types) & {"object", "array"} or shape.ref)
    if is_json_media(essence) or (essence == "*/*" and structured):
        return "json"
    kinds = {"application/x-www-form-urlencoded": "form"}
    if essence.startswith("multipart/"):
        return "multipart"
    if essence.startswith(_BINARY_PREFIXES) or essence in _BINARY_TYPES:
        return "binary"
    if essence.startswith("text/") or essence.endswith(("+xml", "/xml", "+yaml", "/yaml")):
        return "text"
    return kinds.get(essence, "binary")


def _pick_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The media type samples and tables show: the first JSON one, else the first listed."""
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
    examples = spec_examples(media, schema, index)
    has_example = bool(examples)
    example = examples[0][1] if examples else build_example(node, index, mode)
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
        "examples": examples,
    }


def _files(schema_node: Any, index: SchemaIndex) -> tuple[str, ...]:
    """Top-level properties holding files: binary strings, or arrays of them."""
    schema = merge_all_of(index.resolve(schema_node).node, index)
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return ()
    found = []
    for name, sub in properties.items():
        prop = index.resolve(sub).node
        if schema_types(prop)[0] == ("array",):
            prop = index.resolve(prop.get("items")).node
        binary = prop.get("format") in ("binary", "base64") or "contentMediaType" in prop
        if binary and prop.get("contentEncoding") is None:
            found.append(str(name))
    return tuple(found)


def _deep_objects(media: dict[str, Any]) -> tuple[str, ...]:
    encoding = media.get("encoding")
    if not isinstance(encoding, dict):
        return ()
    return tuple(
        str(name)
        for name, e in encoding.items()
        if isinstance(e, dict) and e.get("style") == "deepObject"
    )


def request_body(node: Any, index: SchemaIndex, target: Any = None) -> Body | None:
    """The `Body` of a requestBody object, or None when it has no content.

    `target` is the schema of the resource the operation answers with: a PATCH body whose own
    schema says nothing of its fields (Kubernetes' `Patch`) is exemplified from it.
    """
    if node is None:
        return None
    body = index.resolve(node).node
    picked = _pick_media(body.get("content"))
    if picked is None:
        return None
    payload = _payload(picked[1], index, "request")
    if not payload["has_example"]:
        patch = patch_example(picked[0], picked[1].get("schema"), target, index)
        payload["example"] = payload["example"] if patch is None else patch
    return Body(
        description=str(body.get("description") or "").strip(),
        required=body.get("required") is True,
        media_types=tuple(str(m) for m in body["content"]),
        media_type=picked[0],
        schema=picked[1].get("schema"),
        files=_files(picked[1].get("schema"), index),
        deep_objects=_deep_objects(picked[1]),
        **payload,
    )


# Fields that say what a resource is rather than hold its state: a patch replaces something else.
_IDENTITY = frozenset({"apiVersion", "kind", "id", "type", "object"})
_PATCH_DEPTH = 3


def patch_example(media_type: str, schema: Any, target: Any, index: SchemaIndex) -> Any:
    """A JSON Patch or merge patch, when the body's schema does not say what one looks like.

    JSON Patch (RFC 6902) is a list of operations: one `replace` of a field of the resource.
    A merge patch (RFC 7396, and Kubernetes' strategic merge patch) is an object with the
    fields to change. None when the media type is neither or the schema is already specific.
    """
    essence = media_type.split(";", 1)[0].strip().lower()
    own = merge_all_of(index.resolve(schema).node, index)
    if "json-patch" in essence:
        if schema_types(own)[0] == ("array",) or own.get("items"):
            return None  # the schema describes the operations itself
        # The fields a caller sets first; a resource that has none plain, any field of it.
        found = _first_leaf(_resource_example(target, index), ()) or _first_leaf(
            _resource_example(target, index, "response"), ()
        )
        keys, value = found if found is not None else (("name",), "new-name")
        path = "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in keys)
        return [{"op": "replace", "path": path, "value": value}]
    if "merge-patch" in essence and not own.get("properties"):
        return _resource_example(target, index) or None
    return None


def _first_leaf(value: dict[str, Any], keys: tuple[str, ...]) -> tuple[tuple[str, ...], Any] | None:
    """The first plain field of the resource, depth first (`/metadata/name`).

    At most `_PATCH_DEPTH` levels deep; the fields that say what the resource is are skipped.
    """
    for key, sub in value.items():
        if key in _IDENTITY or sub is None or isinstance(sub, list):
            continue
        if not isinstance(sub, dict):
            return (*keys, key), sub
        found = _first_leaf(sub, (*keys, key)) if len(keys) + 1 < _PATCH_DEPTH else None
        if found is not None:
            return found
    return None


def _resource_example(target: Any, index: SchemaIndex, mode: Mode = "request") -> dict[str, Any]:
    value = build_example(target, index, mode) if target is not None else None
    return value if isinstance(value, dict) else {}


def patch_target(op: dict[str, Any], index: SchemaIndex) -> Any:
    """The schema of the first successful JSON response: the resource a PATCH changes."""
    responses = op.get("responses")
    if not isinstance(responses, dict):
        return None
    for status, node in responses.items():
        if str(status).startswith("2"):
            picked = _pick_media(index.resolve(node).node.get("content"))
            if picked is not None and is_json_media(picked[0]):
                return picked[1].get("schema")
    return None


def response(status: str, node: Any, index: SchemaIndex, common: set[ResponseKey]) -> Response:
    """The `Response` for `status`; `common` marks responses shared by many operations."""
    response = index.resolve(node).node
    content = response.get("content")
    picked = _pick_media(content)
    headers = tuple(
        parameter({**index.resolve(h).node, "name": name, "in": "header"}, index)
        for name, h in (response.get("headers") or {}).items()
    )
    payload = (
        _payload(picked[1], index, "response")
        if picked
        else {"shape": None, "fields": (), "example": None, "has_example": False}
    )
    media = tuple(
        Media(str(name), shape_of(m.get("schema") or {}, index) if isinstance(m, dict) else None)
        for name, m in (content.items() if picked and isinstance(content, dict) else ())
    )
    return Response(
        status=status,
        description=str(response.get("description") or "").strip(),
        media_type=picked[0] if picked else None,
        headers=headers,
        common=response_signature(status, node, index) in common,
        media=media,
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


def server_urls(nodes: Any) -> tuple[str, ...]:
    """The URLs of a `servers` list, each variable `{name}` replaced by its default.

    A variable without a default keeps its first `enum` value, else stays `{name}`.
    """
    if not isinstance(nodes, list):
        return ()
    urls = []
    for server in nodes:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url: str = server["url"]
        variables = server.get("variables")
        for name, var in variables.items() if isinstance(variables, dict) else ():
            if not isinstance(var, dict):
                continue
            enum = var.get("enum")
            value = var.get("default", enum[0] if isinstance(enum, list) and enum else None)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                url = url.replace("{" + str(name) + "}", str(value))
        urls.append(url)
    return tuple(urls)
