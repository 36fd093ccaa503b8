"""`generator.model.shapes`: nullable unions, allOf, arrays, maps, tuples, constraints, fields."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.shapes import (
    MAX_DEPTH,
    Shape,
    constraints_of,
    default_of,
    fields_of,
    shape_of,
)
from tests.unit.specs import index, ref

PET = {"type": "object", "properties": {"name": {"type": "string"}}}
STRING = Shape(types=("string",))


def shape(node: Any, **schemas: Any) -> Shape:
    return shape_of(node, index({"Pet": PET, **schemas}))


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize(
    "node",
    [
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"oneOf": [{"type": "null"}, {"type": "string"}]},
        {"type": ["string", "null"]},
        {"type": "string", "nullable": True},
        {"anyOf": [{"type": "string"}, {"enum": [None]}]},
    ],
    ids=["anyOf", "oneOf", "3.1 type array", "3.0 nullable", "null enum"],
)
def test_nullable_forms_become_one_nullable_shape(node: dict[str, Any]) -> None:
    assert shape(node) == Shape(types=("string",), nullable=True)


def test_a_ref_keeps_its_name_and_a_nullable_ref_stays_a_ref() -> None:
    assert shape(ref("Pet")) == Shape(types=("object",), ref="Pet")
    assert shape({"anyOf": [ref("Pet"), {"type": "null"}]}) == Shape(
        types=("object",), ref="Pet", nullable=True
    )


def test_alternatives_are_kept_with_their_combinator() -> None:
    found = shape({"oneOf": [ref("Pet"), {"type": "string"}, {"type": "null"}]})
    assert found.combinator == "oneOf"
    assert found.nullable
    assert found.options == (Shape(types=("object",), ref="Pet"), STRING)


def test_a_discriminator_maps_values_to_component_names() -> None:
    node = {
        "oneOf": [ref("Pet"), ref("Toy")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"pet": "#/components/schemas/Pet", "toy": "Toy"},
        },
    }
    found = shape(node, Toy={"type": "object"})
    assert found.discriminator == "kind"
    assert found.mapping == (("pet", "Pet"), ("toy", "Toy"))


def test_all_of_with_one_member_is_that_member() -> None:
    assert shape({"allOf": [ref("Pet")]}) == Shape(types=("object",), ref="Pet")
    assert shape({"allOf": [ref("Pet")], "nullable": True}).nullable


def test_all_of_with_several_members_is_an_object() -> None:
    assert shape({"allOf": [ref("Pet"), {"properties": {"x": {}}}]}).types == ("object",)


def test_arrays_maps_and_tuples() -> None:
    assert shape({"type": "array", "items": ref("Pet")}).items == Shape(
        types=("object",), ref="Pet"
    )
    assert shape({"type": "object", "additionalProperties": {"type": "string"}}).values == STRING
    # a map's value type only when there are no named properties
    assert (
        shape(
            {"type": "object", "properties": {"a": {}}, "additionalProperties": {"type": "string"}}
        ).values
        is None
    )
    pair = shape({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]})
    assert pair.prefix == (STRING, Shape(types=("integer",)))


def test_enums_and_consts_give_their_types() -> None:
    assert shape({"enum": ["a", 1, None]}) == Shape(types=("string", "integer"), enum=("a", 1))
    assert shape({"const": True}) == Shape(types=("boolean",), enum=(True,))
    assert shape({"type": "string", "format": "uuid"}).format == "uuid"


def test_an_unresolved_ref_is_marked() -> None:
    assert shape(ref("Missing")) == Shape(unresolved="#/components/schemas/Missing")


def test_shapes_of_a_component_are_worked_out_once() -> None:
    pets = index({"Pet": PET})
    assert shape_of(ref("Pet"), pets) is shape_of(ref("Pet"), pets)


# ---------------------------------------------------------------- constraints and defaults


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"minimum": 1, "maximum": 10.0}, ("minimum 1", "maximum 10")),
        ({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5}, ("more than 0", "less than 1.5")),
        ({"minimum": 0, "exclusiveMinimum": True}, ("minimum 0",)),  # 3.0: a flag on minimum
        ({"multipleOf": 5}, ("multiple of 5",)),
        ({"minLength": 1, "maxLength": 80}, ("min length 1", "max length 80")),
        (
            {"minItems": 1, "maxItems": 3, "uniqueItems": True},
            ("min items 1", "max items 3", "unique items"),
        ),
        ({"minProperties": 1, "maxProperties": 2}, ("min properties 1", "max properties 2")),
        ({"pattern": "^[a-z]+$"}, ("pattern `^[a-z]+$`",)),
        ({"minimum": "1", "uniqueItems": "yes"}, ()),
    ],
)
def test_constraints(schema: dict[str, Any], expected: tuple[str, ...]) -> None:
    assert constraints_of(schema) == expected


def test_long_patterns_are_shortened() -> None:
    (found,) = constraints_of({"pattern": "x" * 100})
    assert found == f"pattern `{'x' * 39}…`"


def test_defaults_are_json_text() -> None:
    assert default_of({"default": None}) == "null"
    assert default_of({"default": {"ü": [1, True]}}) == '{"ü": [1, true]}'
    assert default_of({}) == ""


# ---------------------------------------------------------------- field rows


def rows(node: Any, mode: Any = "schema", **schemas: Any) -> list[tuple[str, int, bool]]:
    found = fields_of(node, index({"Pet": PET, **schemas}), mode)
    return [(f.path, f.depth, f.required) for f in found]


def test_nested_objects_are_expanded_with_dotted_paths() -> None:
    node = {
        "type": "object",
        "required": ["pet"],
        "properties": {"pet": ref("Pet"), "pets": {"type": "array", "items": ref("Pet")}},
    }
    assert rows(node) == [
        ("pet", 0, True),
        ("pet.name", 1, False),
        ("pets", 0, False),
        ("pets[].name", 1, False),
    ]


def test_read_only_fields_leave_requests_and_write_only_fields_leave_responses() -> None:
    node = {"properties": {"id": {"readOnly": True}, "secret": {"writeOnly": True}, "x": {}}}
    assert [r[0] for r in rows(node, "request")] == ["secret", "x"]
    assert [r[0] for r in rows(node, "response")] == ["id", "x"]
    assert [r[0] for r in rows(node, "schema")] == ["id", "secret", "x"]


def test_a_self_reference_is_collapsed_to_a_link() -> None:
    node_schemas = {"Node": {"type": "object", "properties": {"next": ref("Node"), "v": {}}}}
    found = fields_of(ref("Node"), index(node_schemas), "schema")
    assert [(f.path, f.collapsed) for f in found] == [("next", "Node"), ("v", None)]


def test_nesting_stops_at_max_depth() -> None:
    level: dict[str, Any] = {"type": "object", "properties": {"leaf": {}}}
    for _ in range(MAX_DEPTH + 2):
        level = {"type": "object", "properties": {"n": level}}
    depths = [f.depth for f in fields_of(level, index(), "schema")]
    assert max(depths) == MAX_DEPTH


def test_all_of_members_contribute_fields() -> None:
    node = {"allOf": [ref("Pet"), {"required": ["age"], "properties": {"age": {}}}]}
    assert rows(node) == [("name", 0, False), ("age", 0, True)]


def test_nullable_object_fields_are_expanded() -> None:
    node = {"properties": {"pet": {"anyOf": [ref("Pet"), {"type": "null"}]}}}
    assert rows(node) == [("pet", 0, False), ("pet.name", 1, False)]


def test_extra_keys_get_rows() -> None:
    node = {
        "properties": {"a": {}},
        "patternProperties": {"^x-": {"type": "string"}},
        "additionalProperties": {"type": "integer", "description": "Counts."},
    }
    found = fields_of(node, index(), "schema")
    assert [(f.path, f.description) for f in found] == [
        ("a", ""),
        ("/^x-/", "Keys matching this pattern."),
        ("*", "Any other key. Counts."),
    ]


def test_field_details() -> None:
    node = {
        "properties": {
            "n": {
                "type": "integer",
                "description": " Count \n",
                "default": 3,
                "minimum": 0,
                "deprecated": True,
            }
        }
    }
    (row,) = fields_of(node, index(), "schema")
    assert (row.name, row.description, row.default, row.constraints, row.deprecated) == (
        "n",
        "Count",
        "3",
        ("minimum 0",),
        True,
    )
    assert row.shape == Shape(types=("integer",))


# ---------------------------------------------------------------- wrappers and unions


def test_constraints_and_format_inside_a_nullable_union_are_found() -> None:
    node = {
        "properties": {
            "n": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
            "s": {
                "anyOf": [{"type": "string", "maxLength": 100, "format": "uri"}, {"type": "null"}],
                "description": "Link.",
            },
        }
    }
    n, s = fields_of(node, index(), "schema")
    assert (n.constraints, n.shape) == (("minimum 0",), Shape(types=("integer",), nullable=True))
    assert (s.constraints, s.shape.format, s.description) == (("max length 100",), "uri", "Link.")


def test_all_of_with_a_description_member_is_the_referenced_type() -> None:
    node = {"properties": {"pet": {"allOf": [ref("Pet"), {"description": "The pet."}]}}}
    rows = fields_of(node, index({"Pet": PET}), "schema")
    assert (rows[0].shape.ref, rows[0].description) == ("Pet", "The pet.")
    assert [r.path for r in rows] == ["pet", "pet.name"]


def test_alternatives_are_named_by_title_and_discriminator_value() -> None:
    node = {
        "oneOf": [
            {"title": "Cat", "type": "object", "properties": {"kind": {"const": "cat"}}},
            {"type": "object", "properties": {"kind": {"enum": ["dog"]}}},
            ref("Pet"),
        ],
        "discriminator": {"propertyName": "kind", "mapping": {"p": "#/components/schemas/Pet"}},
    }
    cat, dog, pet = shape(node).options
    assert (cat.title, cat.tag, cat.has_fields) == ("Cat", "cat", True)
    assert (dog.title, dog.tag) == (None, "dog")
    assert (pet.ref, pet.tag, pet.has_fields) == ("Pet", "p", False)


def test_a_property_each_alternative_fixes_tells_them_apart() -> None:
    create = {"properties": {"op": {"const": "create"}, "key": {"type": "string"}}}
    delete = {"properties": {"op": {"enum": ["delete"]}, "key": {"type": "string"}}}
    found = shape({"oneOf": [create, delete]})
    assert found.discriminator == "op"
    assert [o.tag for o in found.options] == ["create", "delete"]
    # Not when two alternatives share the value, or one does not fix it.
    assert shape({"oneOf": [create, create]}).discriminator is None
    assert shape({"oneOf": [create, {"properties": {"key": {}}}]}).discriminator is None


def test_inline_union_members_get_rows_of_their_own() -> None:
    node = {
        "properties": {
            "pet": {
                "anyOf": [
                    {"title": "Cat", "type": "object", "properties": {"meow": {}}},
                    {"type": "object", "properties": {"bark": {}}},
                    ref("Pet"),
                    {"type": "string"},
                ]
            }
        }
    }
    assert [r.path for r in fields_of(node, index({"Pet": PET}), "schema")] == [
        "pet",
        "pet (Cat)",
        "pet (Cat).meow",
        "pet (option 2)",
        "pet (option 2).bark",
    ]


def test_a_union_schema_lists_its_members_fields_on_its_page_only() -> None:
    node = {
        "oneOf": [
            {"title": "A", "type": "object", "properties": {"a": {}}},
            {"type": "null"},
            {"title": "B", "type": "object", "properties": {"b": {}}},
        ]
    }
    assert [r.path for r in fields_of(node, index(), "schema")] == ["(A)", "(A).a", "(B)", "(B).b"]
    assert fields_of(node, index(), "request") == ()  # bodies show alternatives instead


def test_closed_objects_and_dynamic_references_are_marked() -> None:
    assert shape({"type": "object", "additionalProperties": False}).closed
    assert shape({"$dynamicRef": "#T"}) == Shape(dynamic="#T")


def test_a_union_of_null_alone_is_null() -> None:
    assert shape({"anyOf": [{"type": "null"}]}) == Shape(types=("null",))
