"""Schema facts a page must show: type words, fields two levels deep, constraints."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from spec import Doc

MAX_FIELDS = 300
MAX_ENUM = 50
TYPE_WORDS = {
    "string": {"string"},
    "integer": {"integer"},
    "number": {"number"},
    "boolean": {"boolean"},
    "array": {"array", "list"},
    "object": {"object", "map", "dict"},
    "null": {"null"},
    "file": {"file", "binary"},
}
NUMBER_WORDS = {
    "minimum": r"min(?:imum)?|≥|>=|at least",
    "maximum": r"max(?:imum)?|≤|<=|at most",
    "exclusiveMinimum": r"more than|greater than|>|exclusive minimum",
    "exclusiveMaximum": r"less than|fewer than|<|exclusive maximum",
    "minLength": r"min(?:imum)? length|length ≥|length >=|at least",
    "maxLength": r"max(?:imum)? length|length ≤|length <=|at most",
    "minItems": r"min(?:imum)? items|at least",
    "maxItems": r"max(?:imum)? items|at most",
    "multipleOf": r"multiple of",
}


def is_null(node: Any) -> bool:
    """A schema that only allows null."""
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("enum") == [None])


def split_null(doc: Doc, schema: Any) -> tuple[Any, bool]:
    """(X, nullable) for X, `anyOf/oneOf: [X, {type: null}]`, `type: [X, "null"]`, `nullable`."""
    if not isinstance(schema, dict):
        return schema, False
    for key in ("anyOf", "oneOf"):
        alts = schema.get(key)
        if isinstance(alts, list) and len(alts) == 2:
            rest = [a for a in alts if not is_null(doc.deref(a))]
            if len(rest) == 1:
                return rest[0], True
    types = schema.get("type")
    nullable = schema.get("nullable") is True or (isinstance(types, list) and "null" in types)
    return schema, nullable


def component_name(schema: Any) -> str | None:
    """The component a `$ref` (or a one-element `allOf` of one) points at."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    parts = schema.get("allOf")
    if isinstance(parts, list):
        refs = [p for p in parts if isinstance(p, dict) and "$ref" in p]
        others = [p for p in parts if isinstance(p, dict) and set(p) - {"description", "title"}]
        if len(refs) == 1 and len(others) == 1:
            return component_name(refs[0])
    return None


def _basic_types(doc: Doc, schema: Any) -> list[str]:
    """The JSON types a schema names or implies (enum/const values, properties, items)."""
    node = doc.deref(schema)
    types = node.get("type") if isinstance(node, dict) else None
    if not isinstance(node, dict) or types is not None:
        listed = types if isinstance(types, list) else [types] if types else []
        return [str(t) for t in listed if t != "null"]
    values = node.get("enum") if isinstance(node.get("enum"), list) else None
    if values is None and "const" in node:
        values = [node["const"]]
    if values:
        kinds = {bool: "boolean", int: "integer", float: "number", str: "string"}
        return list(dict.fromkeys(kinds.get(type(v), "object") for v in values if v is not None))
    if "properties" in node or "additionalProperties" in node:
        return ["object"]
    if "items" in node:
        return ["array"]
    return []


def type_groups(doc: Doc, schema: Any, depth: int = 0) -> list[set[str]]:
    """Word groups a type label must satisfy: one word of every group must appear."""
    inner, nullable = split_null(doc, schema)
    groups = _groups(doc, inner, depth)
    return [*groups, {"null"}] if nullable and groups else groups


def _groups(doc: Doc, schema: Any, depth: int) -> list[set[str]]:
    if not isinstance(schema, dict) or depth > 2:
        return []
    name = component_name(schema)
    if name is not None:  # the component's name, or (lenient) its basic type
        words = {name.lower()}
        for kind in _basic_types(doc, schema):
            words |= TYPE_WORDS.get(kind, {kind})
        return [words]
    for key in ("anyOf", "oneOf"):
        alts = schema.get(key)
        if isinstance(alts, list) and alts:
            members = [a for a in alts if not is_null(doc.deref(a))]
            return [g for m in members for g in _groups(doc, m, depth + 1)[:1]]
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        words = {"object"}
        for part in parts:
            words |= {n.lower() for n in [component_name(part)] if n}
        return [words]
    groups = [_words(kind, schema) for kind in _basic_types(doc, schema)]
    if groups == [TYPE_WORDS["array"]] and isinstance(schema.get("items"), dict):
        groups += _groups(doc, split_null(doc, schema["items"])[0], depth + 1)[:1]
    return groups


def _words(kind: str, schema: dict[str, Any]) -> set[str]:
    """Words that name one basic type of a schema in a label."""
    words = set(TYPE_WORDS.get(kind, {kind}))
    if kind == "string" and schema.get("format") == "binary":
        words |= TYPE_WORDS["file"]
    if isinstance(schema.get("title"), str):  # an inline member may go by its title
        words.add(schema["title"].lower())
    values = schema.get("enum")
    if isinstance(values, list) and values:  # a label listing the values says the type
        words |= {json.dumps(v, ensure_ascii=False).lower() for v in values[:3]}
    return words


def type_problem(doc: Doc, schema: Any, label: str, links: list[str]) -> str | None:
    """Why `label` does not describe `schema`, or None when it does."""
    text = label.lower()
    targets = " ".join(links).lower()
    for group in type_groups(doc, schema):
        if not any(w in text or _slug(w) in targets for w in group):
            return f"type {label!r} lacks {'/'.join(sorted(group))}"
    return None


def _slug(word: str) -> str:
    return "/" + re.sub(r"[^a-z0-9]+", "", word) + ".md"


@dataclass(frozen=True)
class FieldSpec:
    """A body field the page must list: dotted path, schema, required flag, parent path."""

    path: str
    schema: Any
    required: bool
    parent: str


def object_options(doc: Doc, schema: Any, depth: int = 0) -> list[tuple[dict[str, Any], set[str]]]:
    """(properties, required) of each alternative object shape; `allOf` parts are merged."""
    node = doc.deref(split_null(doc, schema)[0])
    if not isinstance(node, dict) or depth > 8:
        return []
    for key in ("oneOf", "anyOf"):
        alts = node.get(key)
        if isinstance(alts, list) and alts and not node.get("properties"):
            return [o for a in alts for o in object_options(doc, a, depth + 1)]
    props: dict[str, Any] = {}
    required: set[str] = set()
    for part in node.get("allOf") or []:
        for p, r in object_options(doc, part, depth + 1)[:1]:
            props.update(p)
            required |= r
    if isinstance(node.get("properties"), dict):
        props.update(node["properties"])
    if isinstance(node.get("required"), list):
        required |= {str(r) for r in node["required"]}
    return [(props, required)] if props else []


def fields(doc: Doc, schema: Any, request: bool) -> list[FieldSpec]:
    """Fields two levels deep (`a`, `a.b`, `a[].b`) of every alternative, read-only ones left
    out of requests and write-only ones out of responses."""
    hidden = "readOnly" if request else "writeOnly"
    found: list[FieldSpec] = []

    def walk(node: Any, prefix: str, depth: int) -> None:
        for props, required in object_options(doc, node):
            for name, sub in props.items():
                resolved = doc.deref(sub)
                if not isinstance(resolved, dict) or resolved.get(hidden) is True:
                    continue
                path = f"{prefix}{name}"
                found.append(FieldSpec(path, sub, name in required, prefix.rstrip(".[]")))
                if depth >= 1 or len(found) > MAX_FIELDS:
                    continue
                inner = doc.deref(split_null(doc, sub)[0])
                if _basic_types(doc, inner) == ["array"] and isinstance(inner.get("items"), dict):
                    walk(inner["items"], f"{path}[].", depth + 1)
                else:
                    walk(inner, f"{path}.", depth + 1)

    walk(schema, "", 0)
    return found[:MAX_FIELDS]


def constraints(doc: Doc, schema: Any) -> list[tuple[str, Any]]:
    """(keyword, value) of the constraints on a schema, looking inside `[X, null]` unions.

    Constraints of a `$ref`'d component are documented on its own page and are not listed.
    """
    inner = split_null(doc, schema)[0]
    if not isinstance(inner, dict) or component_name(inner) is not None:
        return []
    found: list[tuple[str, Any]] = []
    for key in NUMBER_WORDS:
        value = inner.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        shown = key
        if key in ("minimum", "maximum") and inner.get(f"exclusive{key.title()}") is True:
            shown = f"exclusive{key.title()}"  # 3.0: the boolean makes the bound exclusive
        found.append((shown, value))
    if isinstance(inner.get("pattern"), str):
        found.append(("pattern", inner["pattern"]))
    if isinstance(inner.get("enum"), list) and any(v is not None for v in inner["enum"]):
        found.append(("enum", [v for v in inner["enum"] if v is not None][:MAX_ENUM]))
    if isinstance(inner.get("format"), str):
        found.append(("format", str(inner["format"])))
    return found


def _number(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def constraint_shown(key: str, value: Any, text: str) -> bool:
    """Whether a row's text states the constraint."""
    lowered = text.lower()
    if key == "pattern":
        shown = str(value)
        return shown in text or (len(shown) > 24 and shown[:24] in text)
    if key == "enum":
        return all(
            json.dumps(v, ensure_ascii=False) in text or str(v) in text for v in value
        )
    if key == "format":  # a binary string is a file to a reader
        return str(value).lower() in lowered or (value == "binary" and "file" in lowered)
    number = re.escape(_number(value))
    phrase = rf"(?:{NUMBER_WORDS[key]})[\s:=`*]{{0,4}}{number}(?!\d|\.\d)"
    return re.search(phrase, lowered) is not None
