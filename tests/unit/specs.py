"""Small inline OpenAPI documents for the unit tests: a few lines each, no files, no network."""

from __future__ import annotations

from typing import Any

from generator.model.resolver import SchemaIndex

OK = {"200": {"description": "ok"}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def operation(**fields: Any) -> dict[str, Any]:
    """An operation with one plain 200 response, plus `fields`."""
    return {"responses": OK, **fields}


def document(
    paths: dict[str, Any] | None = None,
    schemas: dict[str, Any] | None = None,
    version: str = "3.1.0",
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": operation()}} if paths is None else paths,
    }
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def index(schemas: dict[str, Any] | None = None, **components: Any) -> SchemaIndex:
    """A `SchemaIndex` over a document holding `schemas` (and other component kinds)."""
    return SchemaIndex(
        {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas or {}, **components}}
    )
