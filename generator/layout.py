"""Where every output file goes: the one owner of page paths, slugs and the `Page` type.

The reference folder holds `index.md`, the filtering guide, one folder per tag (its `index.md`
and one page per operation), `webhooks/`, `schemas/` (an index and one page per component),
the document itself, our assets and the manifest. Slugs are lowercase ASCII (`[a-z0-9-]`),
never empty, never a reserved device name or a top-level name, at most `MAX_SLUG` characters,
and unique case-insensitively within one folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

INDEX = "index.md"
GUIDE = "filtering.md"
SCHEMA_FOLDER = "schemas"
SCHEMA_INDEX = f"{SCHEMA_FOLDER}/index.md"
WEBHOOK_FOLDER = "webhooks"
ASSET_FOLDER = "assets"
STYLESHEET = f"{ASSET_FOLDER}/restref/restref.css"
DOCUMENT = "openapi.json"
MANIFEST = ".restref-manifest.json"

# Names a tag folder may not take: `filtering/index.md` and `filtering.md` are one URL in MkDocs.
TOP_LEVEL = frozenset({GUIDE.removesuffix(".md"), SCHEMA_FOLDER, WEBHOOK_FOLDER, ASSET_FOLDER})

MAX_SLUG = 80
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "index", "schemas", "assets", "search"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)


@dataclass(frozen=True)
class Page:
    """One output file: its path relative to the output folder and its text."""

    path: str
    """Relative to the output folder, with `/` separators."""
    text: str
    """The whole file."""

    @property
    def data(self) -> bytes:
        """The file's bytes (UTF-8)."""
        return self.text.encode("utf-8")


@dataclass(frozen=True)
class SiteFile:
    """A file of a built site (HTML, fonts, images): its path and bytes."""

    path: str
    """Relative to the site folder, with `/` separators."""
    data: bytes
    """The whole file."""


class OutputFile(Protocol):
    """What the writer needs of a file: where it goes and its bytes."""

    @property
    def path(self) -> str:
        """Relative to the output folder, with `/` separators."""

    @property
    def data(self) -> bytes:
        """The whole file."""


def is_plain_path(path: str) -> bool:
    """Whether `path` is relative, with `/` separators, and cannot leave its folder."""
    return (
        bool(path)
        and "\\" not in path
        and "\x00" not in path
        and not path.startswith("/")
        and all(part not in ("", ".", "..") for part in path.split("/"))
    )


def tag_page(slug: str) -> str:
    """A tag's overview page: `flows/index.md`."""
    return f"{slug}/{INDEX}"


def operation_page(folder: str, slug: str) -> str:
    """An operation's page inside its tag's (or the webhooks') folder."""
    return f"{folder}/{slug}.md"


def schema_page(slug: str) -> str:
    """A component schema's page: `schemas/flow.md`."""
    return f"{SCHEMA_FOLDER}/{slug}.md"


def slugify(text: str, fallback: str = "item") -> str:
    """`Flow Runs` -> `flow-runs`; `/flows/{id}` -> `flows-id`; non-ASCII is transliterated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        # Names with no ASCII letters still get distinct, stable slugs.
        slug = f"{fallback}-{_digest(text)}" if text else fallback
    if len(slug) > MAX_SLUG:
        slug = f"{slug[: MAX_SLUG - 9].rstrip('-')}-{_digest(text)}"
    return slug


def operation_slug(method: str, path: str) -> str:
    """`POST /flows/filter` -> `post-flows-filter`."""
    return slugify(f"{method} {path}", fallback=method.lower())


class SlugAllocator:
    """Hands out slugs that are unique within one folder, in the order they are asked for."""

    def __init__(self, reserved_suffix: str, taken: Iterable[str] = ()) -> None:
        self._suffix = reserved_suffix
        self._taken = set(taken)

    def claim(self, wanted: str) -> str:
        """A free slug for `wanted`: reserved names get the suffix, repeats a number."""
        slug = wanted if wanted not in _RESERVED else f"{wanted}-{self._suffix}"
        n = 2
        base = slug
        while slug in self._taken:
            slug = f"{base}-{n}"
            n += 1
        self._taken.add(slug)
        return slug


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
