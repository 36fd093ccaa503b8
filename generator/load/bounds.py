r"""Parsing untrusted JSON and YAML within bounds (see `generator.limits`).

- YAML: a loader that keeps what JSON can say. Timestamps stay strings (`version: 2024-01-01`),
  mapping keys become strings (`200:` -> `"200"`), `!!set` becomes a mapping to nulls and
  `!!binary` keeps its base64 text. Before any Python object is built, the node graph is checked
  for alias bombs and recursive aliases.
- Both: nesting deeper than `MAX_NESTING` and lone surrogates (`"\ud800"`, which cannot be
  written as UTF-8) are refused with the JSON pointer of the first offending value.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

from generator.errors import LoadError
from generator.limits import MAX_ALIAS_NODES, MAX_NESTING

try:  # the C loader is several times faster on large documents
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# An escape that may decode to a lone surrogate; only then are all strings checked.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A pointer quoted in an error is cut in the middle to this length: both ends say the most.
_SHOWN_POINTER_CHARS = 120


class YamlLoader(_BaseLoader):
    """A safe loader whose results are JSON values, refusing alias bombs."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        # No `&`, no anchor, so no alias: the graph check is skipped on most documents.
        self.may_alias = "&" in text

    def get_single_data(self) -> Any:
        """The document, after the alias check when it has anchors."""
        node = self.get_single_node()
        if node is None:
            return None
        if self.may_alias:
            _check_node_graph(node)
        return self.construct_document(node)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are strings, as JSON keys are."""
        mapping = super().construct_mapping(node, deep=deep)
        return {_json_key(k): v for k, v in mapping.items()}

    def construct_yaml_int(self, node: Node) -> int:
        """An integer, or a YAML error naming its place when it has too many digits."""
        try:
            return super().construct_yaml_int(node)  # type: ignore[arg-type]
        except ValueError as e:  # more digits than Python converts
            problem = f"an integer of over {sys.get_int_max_str_digits()} digits"
            raise ConstructorError(None, None, problem, node.start_mark) from e

    def construct_as_text(self, node: Node) -> str:
        """The scalar's text (timestamps and binary stay as written)."""
        return str(self.construct_scalar(node))  # type: ignore[arg-type]

    def construct_set_as_mapping(self, node: Node) -> Any:
        """A `!!set` as a mapping of its members to nulls."""
        data: dict[str, None] = {}
        yield data
        data.update(dict.fromkeys(self.construct_mapping(node)))  # type: ignore[arg-type]


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", YamlLoader.construct_as_text)
YamlLoader.add_constructor("tag:yaml.org,2002:binary", YamlLoader.construct_as_text)
YamlLoader.add_constructor("tag:yaml.org,2002:set", YamlLoader.construct_set_as_mapping)
YamlLoader.add_constructor("tag:yaml.org,2002:int", YamlLoader.construct_yaml_int)


def _json_key(key: Any) -> str:
    """A mapping key as JSON would write it (`200` -> `"200"`, `true` -> `"true"`)."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    return str(key)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_node_graph(root: Node) -> None:
    """Refuse recursive aliases and alias expansion beyond `MAX_ALIAS_NODES`, without expanding.

    Each distinct node is visited once; the expanded size of a node is 1 + the expanded sizes of
    its children, which an alias counts again every time it is used.
    """
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    distinct = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            if size[key] - distinct > MAX_ALIAS_NODES:
                raise _yaml_error(node, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes")
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise _yaml_error(node, "an alias refers to a node that contains it")
        open_nodes.add(key)
        distinct += 1
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def _yaml_error(node: Node, problem: str) -> ConstructorError:
    return ConstructorError(None, None, problem, node.start_mark)


def check_values(doc: Any, source: str, text: str | None = None) -> None:
    """Refuse nesting deeper than `MAX_NESTING`, and lone surrogates when `text` may hold some.

    Iterative (explicit lists), so a deep document cannot exhaust Python's own stack here. The
    common case, no escaped surrogate in the text, takes a fast level-by-level pass; the slower
    walk that can name the offending value runs only when there is something to find.
    """
    strings = text is None or _SURROGATE_ESCAPE.search(text) is not None
    if not strings and _depth_within(doc, MAX_NESTING):
        return
    # Entries: (value, depth, parent entry, key) - the chain gives the pointer of a bad value.
    stack: list[tuple[Any, int, Any, Any]] = [(doc, 0, None, None)]
    while stack:
        entry = stack.pop()
        value, depth = entry[0], entry[1]
        if strings and isinstance(value, str) and _SURROGATE.search(value):
            raise LoadError(f"{source}: {_pointer(entry)}: a lone surrogate (not valid Unicode)")
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth >= MAX_NESTING:
            raise LoadError(f"{source}: {_pointer(entry)}: nested deeper than {MAX_NESTING} levels")
        for key, child in items:
            if strings and isinstance(key, str) and _SURROGATE.search(key):
                raise LoadError(
                    f"{source}: {_pointer(entry)}: a key with a lone surrogate (not valid Unicode)"
                )
            if strings or isinstance(child, dict | list):
                stack.append((child, depth + 1, entry, key))


def _depth_within(doc: Any, limit: int) -> bool:
    """Whether objects and arrays nest at most `limit` levels (one pass per level)."""
    level = [doc] if type(doc) in (dict, list) else []
    for _ in range(limit):
        if not level:
            return True
        below: list[Any] = []
        for value in level:
            children = value.values() if type(value) is dict else value
            below += [c for c in children if type(c) is dict or type(c) is list]
        level = below
    return not level


def _pointer(entry: Any) -> str:
    parts = []
    while entry is not None and entry[2] is not None:
        parts.append(str(entry[3]).replace("~", "~0").replace("/", "~1"))
        entry = entry[2]
    text = "#/" + "/".join(reversed(parts))
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= _SHOWN_POINTER_CHARS:
        return text
    end = (_SHOWN_POINTER_CHARS - 4) // 2
    return f"{text[:end]}...{text[-end:]}"
