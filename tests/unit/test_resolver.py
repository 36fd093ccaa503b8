"""`generator.model.resolver`: `$ref` resolution, sibling keys, cycles, unresolved references."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.resolver import (
    SeenThrough,
    component_name,
    look_through,
    merge_all_of,
    schema_types,
    split_null,
)
from tests.unit.specs import index, ref

PET = {"type": "object", "properties": {"name": {"type": "string"}}}


def test_a_node_without_ref_is_returned_as_it_is() -> None:
    node = {"type": "string"}
    resolved = index().resolve(node)
    assert resolved.node is node
    assert resolved.ref is None
    assert resolved.unresolved is None


def test_a_ref_gives_the_target_and_its_component_name() -> None:
    resolved = index({"Pet": PET}).resolve(ref("Pet"))
    assert (resolved.node, resolved.ref, resolved.unresolved) == (PET, "Pet", None)


def test_escaped_names_are_unescaped() -> None:
    schemas = index({"a/b": {"type": "string"}, "c~d": {"type": "integer"}})
    assert schemas.resolve({"$ref": "#/components/schemas/a~1b"}).ref == "a/b"
    assert schemas.resolve({"$ref": "#/components/schemas/c~0d"}).node == {"type": "integer"}


def test_sibling_keys_override_the_target_and_keep_its_name() -> None:
    pet = index({"Pet": {**PET, "description": "A pet"}})
    resolved = pet.resolve({**ref("Pet"), "description": "The owner's pet", "readOnly": True})
    assert resolved.ref == "Pet"
    assert resolved.node["description"] == "The owner's pet"
    assert resolved.node["readOnly"]
    assert resolved.node["properties"] == PET["properties"]
    assert pet.resolve(ref("Pet")).node["description"] == "A pet"  # the target is untouched


def test_a_chain_of_refs_ends_at_the_last_target() -> None:
    resolved = index({"A": ref("B"), "B": ref("C"), "C": PET}).resolve(ref("A"))
    assert resolved.node == PET
    assert resolved.ref == "C"


def test_a_ref_with_siblings_inside_a_chain_keeps_them() -> None:
    schemas = index({"A": {**ref("B"), "description": "from A"}, "B": PET})
    resolved = schemas.resolve(ref("A"))
    assert resolved.node == {**PET, "description": "from A"}
    assert resolved.ref == "A"


def test_pointers_into_other_components_and_inside_schemas() -> None:
    schemas = index({"Pet": PET}, parameters={"Limit": {"name": "limit", "in": "query"}})
    limit = schemas.resolve({"$ref": "#/components/parameters/Limit"})
    assert limit.node == {"name": "limit", "in": "query"}
    assert limit.ref is None
    name = schemas.resolve({"$ref": "#/components/schemas/Pet/properties/name"})
    assert name.node == {"type": "string"}
    assert name.ref is None


@pytest.mark.parametrize(
    ("schemas", "start"),
    [({"A": ref("B"), "B": ref("A")}, "A"), ({"A": ref("A")}, "A")],
    ids=["A to B to A", "A to A"],
)
def test_ref_cycles_resolve_to_nothing_with_one_warning(
    schemas: dict[str, Any], start: str
) -> None:
    found = index(schemas)
    resolved = found.resolve(ref(start))
    assert resolved.node == {}
    assert resolved.unresolved == f"#/components/schemas/{start}"
    found.resolve(ref(start))
    assert found.warnings == [f"$ref cycle at '#/components/schemas/{start}'"]


def test_a_cycle_through_properties_is_not_a_ref_cycle() -> None:
    found = index({"A": {"type": "object", "properties": {"me": ref("A")}}})
    assert found.resolve(ref("A")).node["properties"]["me"] == ref("A")
    assert found.warnings == []


@pytest.mark.parametrize(
    "pointer",
    [
        "#/components/schemas/Missing",
        "#/nowhere",
        "other.yaml#/Pet",
        "https://example.com/pet.json",
    ],
)
def test_unresolvable_refs_warn_once_and_resolve_to_nothing(pointer: str) -> None:
    found = index({"Pet": PET})
    for _ in range(2):
        resolved = found.resolve({"$ref": pointer})
        assert resolved.node == {}
        assert resolved.unresolved == pointer
    assert found.warnings == [f"unresolvable $ref {pointer!r}"]


def test_a_ref_that_is_not_a_string_is_unresolved_without_crashing() -> None:
    resolved = index().resolve({"$ref": 5})
    assert resolved.unresolved == "5"
    assert resolved.node == {}


@pytest.mark.parametrize(
    ("node", "expected"),
    [(True, {}), (None, {}), (False, {"not": {}}), ("text", {"not": {}})],
)
def test_boolean_and_odd_schemas(node: Any, expected: dict[str, Any]) -> None:
    assert index().resolve(node).node == expected


def test_a_ref_to_a_boolean_schema() -> None:
    found = index({"Any": True, "Never": False})
    assert found.resolve(ref("Any")).node == {}
    assert found.resolve(ref("Never")).node == {"not": {}}


def test_component_names_only_for_whole_component_schemas() -> None:
    assert component_name("#/components/schemas/Flow") == "Flow"
    assert component_name("#/components/schemas/a~1b") == "a/b"
    assert component_name("#/components/schemas/Flow/properties/x") is None
    assert component_name("#/components/parameters/Flow") is None


def test_null_members_are_split_off() -> None:
    found = index({"Null": {"type": "null"}})
    options = [ref("Pet"), {"type": "null"}, {"enum": [None]}, ref("Null"), {"type": "string"}]
    assert split_null(options, found) == ([ref("Pet"), {"type": "string"}], True)
    assert split_null([{"type": "string"}], found) == ([{"type": "string"}], False)


@pytest.mark.parametrize(
    ("node", "types"),
    [
        ({"type": "string"}, (("string",), False)),
        ({"type": ["string", "null"]}, (("string",), True)),
        ({"type": "integer", "nullable": True}, (("integer",), True)),
        ({"type": ["integer", "string"]}, (("integer", "string"), False)),
        ({"properties": {}}, (("object",), False)),
        ({"additionalProperties": True}, (("object",), False)),
        ({"items": {}}, (("array",), False)),
        ({}, ((), False)),
    ],
)
def test_schema_types(node: dict[str, Any], types: tuple[tuple[str, ...], bool]) -> None:
    assert schema_types(node) == types


def test_all_of_merges_properties_and_required_in_order() -> None:
    found = index(
        {"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}
    )
    node = {
        "allOf": [ref("Base"), {"required": ["name"], "properties": {"name": {}}}],
        "properties": {"extra": {}},
        "required": ["id", "extra"],
        "description": "own",
    }
    merged = merge_all_of(node, found)
    assert list(merged["properties"]) == ["id", "name", "extra"]
    assert merged["required"] == ["id", "name", "extra"]
    assert merged["type"] == "object"
    assert merged["description"] == "own"
    assert "allOf" not in merged


def test_all_of_that_refers_to_itself_stops() -> None:
    found = index({"A": {"allOf": [ref("A"), {"properties": {"x": {}}}]}})
    merged = merge_all_of(found.resolve(ref("A")).node, found)
    assert "x" in merged["properties"]


# ---------------------------------------------------------------- look_through

ZONE = {"type": "string", "description": "A zone.", "maxLength": 9}


@pytest.mark.parametrize(
    ("node", "seen"),
    [
        (  # FastAPI's Optional[conint(ge=0)]: the constraint is on the member
            {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}], "default": 1},
            SeenThrough({"type": "integer", "minimum": 0, "default": 1}, None, nullable=True),
        ),
        (  # a description as a member of allOf: the cloud-API family
            {"allOf": [{"$ref": "#/components/schemas/Zone"}, {"description": "Where."}]},
            SeenThrough({"type": "string", "maxLength": 9, "description": "Where."}, "Zone"),
        ),
        (  # a description next to allOf, 3.0 nullable too
            {"allOf": [{"$ref": "#/components/schemas/Zone"}], "nullable": True},
            SeenThrough({"type": "string", "maxLength": 9, "nullable": True}, "Zone", True),
        ),
        (  # wrappers around wrappers
            {"allOf": [{"anyOf": [{"$ref": "#/components/schemas/Zone"}, {"type": "null"}]}]},
            SeenThrough({"type": "string", "maxLength": 9}, "Zone", nullable=True),
        ),
    ],
    ids=["optional", "allOf member", "allOf sibling", "nested"],
)
def test_look_through_finds_the_member_and_keeps_the_wrappers_annotations(
    node: dict[str, Any], seen: SeenThrough
) -> None:
    assert look_through(node, index({"Zone": ZONE})) == seen


@pytest.mark.parametrize(
    "node",
    [
        {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        {"allOf": [{"$ref": "#/components/schemas/Zone"}, {"properties": {"x": {}}}]},
        {"allOf": [{"$ref": "#/components/schemas/Zone"}], "properties": {"x": {}}},
    ],
    ids=["a real union", "allOf of two shapes", "allOf with properties"],
)
def test_look_through_leaves_real_combinations_alone(node: dict[str, Any]) -> None:
    assert look_through(node, index({"Zone": ZONE})).node == node


@pytest.mark.parametrize("marker", [{"type": "object", "nullable": True}, {"nullable": True}])
def test_a_3_0_nullable_marker_member_is_null(marker: dict[str, Any]) -> None:
    assert split_null([ref("Pet"), marker], index({"Pet": PET})) == ([ref("Pet")], True)
    keeps = {"type": "object", "nullable": True, "properties": {"a": {}}}
    assert split_null([ref("Pet"), keeps], index({"Pet": PET}))[0] == [ref("Pet"), keeps]
