"""Component schemas as pages: title, slug, field rows, example, and who uses them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.examples.synthesis import build_example
from generator.layout import SlugAllocator, schema_page, slugify
from generator.model.resolver import SchemaIndex, look_through
from generator.model.shapes import Field, Shape, fields_of, shape_of
from generator.model.usage import RawOperation, operations_using, schemas_using

if TYPE_CHECKING:
    from generator.model.api import Operation


@dataclass(frozen=True)
class SchemaDef:
    """A component schema with a page of its own."""

    name: str
    title: str
    slug: str
    description: str
    shape: Shape
    fields: tuple[Field, ...]
    example: Any
    # The operations (document order, then webhooks) that use this schema.
    used_by: tuple[Operation, ...] = field(compare=False, repr=False)
    referenced_by: tuple[str, ...]  # names of the schemas whose fields refer to this one
    deprecated: bool

    @property
    def page(self) -> str:
        """The schema's page, relative to the output folder."""
        return schema_page(self.slug)


def schema_defs(
    index: SchemaIndex, raw_ops: list[RawOperation], operations: Sequence[Operation]
) -> tuple[SchemaDef, ...]:
    """One `SchemaDef` per component schema, in document order, with slugs that never clash.

    `operations` are the built operations of `raw_ops`, position for position.
    """
    usage = operations_using(index, raw_ops)
    parents = schemas_using(index)
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
                description=str(look_through(node, index).node.get("description") or "").strip(),
                shape=shape_of(node, index),
                fields=fields_of(
                    {"$ref": f"#/components/schemas/{_escape(name)}"}, index, "schema"
                ),
                example=build_example(node, index, "response"),
                used_by=tuple(operations[i] for i in usage.get(str(name), ())),
                referenced_by=parents.get(str(name), ()),
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
