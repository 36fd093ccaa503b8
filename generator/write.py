"""Pages -> files in the output folder, safely.

- Every path is checked to stay inside the folder.
- Files are written atomically (temporary file + rename), and only when their bytes change.
- `.restref-manifest.json` records what was generated; only files a previous manifest lists are
  ever deleted, so a user's own files in the folder survive regeneration.
- A non-empty folder without a manifest is refused unless `force` is given.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.errors import OutputError
from generator.layout import MANIFEST, Page


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    kept: tuple[str, ...] = ()  # no longer generated, but edited by the user: left in place


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_relative(path: str) -> PurePosixPath:
    """A page path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise OutputError(f"refusing to write {path!r}: not a plain path inside the output folder")
    return pure


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise OutputError(
            f"{out / MANIFEST}: unreadable manifest ({e}); remove it to start over"
        ) from e
    return data if isinstance(data, dict) else None


def _previous_files(manifest: dict[str, Any] | None) -> dict[str, str]:
    files = (manifest or {}).get("files")
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items()}


def stale_files(out: Path, pages: list[Page]) -> list[str]:
    """Paths that `write_pages` would change: differing, missing, or no longer generated."""
    old = _previous_files(read_manifest(out))
    stale = []
    for page in pages:
        target = out / safe_relative(page.path)
        try:
            if target.read_bytes() != page.text.encode("utf-8"):
                stale.append(page.path)
        except OSError:
            stale.append(page.path)
    current = {p.path for p in pages}
    for path in sorted(old):
        if path not in current and _inside(out, path) and (out / path).is_file():
            stale.append(path)
    return stale


def _inside(out: Path, path: str) -> bool:
    """Whether `path` names a file really inside `out`: no `..`, no symlink leading out."""
    try:
        relative = safe_relative(path)
    except OutputError:
        return False
    target = out / relative
    return not target.is_symlink() and _folder_inside(out, target.parent)


@functools.lru_cache(maxsize=4096)  # pages share a few dozen folders
def _folder_inside(out: Path, folder: Path) -> bool:
    return folder.resolve().is_relative_to(out.resolve())


def write_pages(out: Path, pages: list[Page], *, force: bool = False) -> WriteReport:
    """Write `pages` under `out` (the manifest must be the last page), removing our stale files."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    manifest = read_manifest(out) if out.exists() else None
    _folder_inside.cache_clear()  # folders may have become symlinks since the last call
    if manifest is None and out.exists() and any(out.iterdir()) and not force:
        raise OutputError(
            f"{out}: the folder is not empty and was not made by restref (no {MANIFEST}); "
            "choose another folder or pass --force"
        )
    old = _previous_files(manifest)
    written, unchanged = [], 0
    for page in pages:
        data = page.text.encode("utf-8")
        target = out / safe_relative(page.path)
        if not _inside(out, page.path):
            raise OutputError(f"{target}: a symbolic link leads outside {out}; remove it")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        atomic_write(target, data)
        written.append(page.path)
    current = {p.path for p in pages}
    deleted, kept = [], []
    for path, digest in sorted(old.items()):
        if path in current or not _inside(out, path):
            continue  # a tampered manifest never makes us delete outside the folder
        target = out / path
        if not target.is_file():
            continue
        if sha256(target.read_bytes()) != digest:
            kept.append(path)  # the user changed it since we wrote it
            continue
        target.unlink()
        deleted.append(path)
        _remove_empty_parents(target.parent, out)
    return WriteReport(tuple(written), tuple(deleted), unchanged, tuple(kept))


def atomic_write(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step: readers see the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".restref-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; use the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
