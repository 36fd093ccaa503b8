"""A whole output folder replaced by its next version in one step.

The next version is built beside the folder (`.<name>.restref-next`): files that stay are hard
links to the current ones (copies where links are impossible), changed pages are written, stale
ones left out. Linux's `renameat2(RENAME_EXCHANGE)` then swaps the two folders atomically, so at
every instant the folder is wholly the old run or wholly the new one; the old tree, now beside
it, is retired file by file, and anything in it that is not ours or not also in the new folder
(a file saved while the run was going) is moved back, never deleted.

Where the exchange is impossible (not Linux, another file system, a symbolic link or mount point
as the folder, a folder we cannot read whole), `exchange_supported` says so before anything is
built and `generator.write` falls back to its journal of moves.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

_INCOMPLETE = ".restref-incomplete"  # in a next tree until it is complete
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = frozenset(
    {errno.ENOSYS, errno.EINVAL, errno.EXDEV, errno.EOPNOTSUPP, errno.EBUSY, errno.ENOTDIR}
)


class Unsupported(Exception):
    """The folder cannot be swapped; use the journal instead (nothing has changed)."""


def sibling(out: Path) -> Path:
    """Where the next tree is built, and where the old one waits to be retired."""
    return out.parent / f".{out.name}.restref-next"


def exchange_supported(out: Path) -> bool:
    """Whether `out` can be swapped with a sibling folder (checked before building one)."""
    if _renameat2() is None or out.is_symlink() or os.path.ismount(out) or not out.name:
        return False
    cwd = Path.cwd()
    return cwd != out and out not in cwd.parents  # a shell standing in `out` would be stranded


def build_next(
    out: Path,
    changed: Mapping[str, bytes],
    deletions: set[str],
    own: frozenset[str],
    write_file: Callable[[Path, bytes], None],
) -> Path:
    """The next version of `out`, built beside it; on any failure nothing is left beside it.

    `changed` maps page paths to their new bytes, `deletions` are stale pages, and `own` names
    top-level files of ours that do not belong in the next tree (the journal, the staging).
    """
    target = sibling(out)
    try:
        target.mkdir()
    except FileExistsError:
        raise Unsupported from None  # a leftover `discard` could not remove
    except OSError as e:
        raise Unsupported from e
    try:
        (target / _INCOMPLETE).touch()
        _clone(out, target, set(changed) | deletions, own)
        for path, data in changed.items():
            page = target / path
            page.parent.mkdir(parents=True, exist_ok=True)
            write_file(page, data)
        for path in deletions:
            remove_empty_parents((target / path).parent, target)  # stale pages left empty
        (target / _INCOMPLETE).unlink()
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _clone(out: Path, target: Path, replaced: set[str], own: frozenset[str]) -> None:
    """Hard-link every file of `out` into `target`, except `replaced` pages and `own` names."""
    shutil.copymode(out, target)
    for folder, relative in _folders(out):
        if relative:
            (target / relative).mkdir()
            shutil.copymode(folder, target / relative)
        for entry in os.scandir(folder):
            path = f"{relative}/{entry.name}" if relative else entry.name
            if path in replaced or (not relative and entry.name in own):
                continue
            _copy_entry(entry, target / path)


def _folders(root: Path) -> Iterator[tuple[Path, str]]:
    """Every folder under `root` (symbolic links not followed), parents first, as posix paths."""
    stack = [(root, "")]
    while stack:
        folder, relative = stack.pop()
        yield folder, relative
        names = sorted(
            (e.name for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)), reverse=True
        )
        stack.extend((folder / name, f"{relative}/{name}" if relative else name) for name in names)


def _copy_entry(entry: os.DirEntry[str], destination: Path) -> None:
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISDIR(mode):
        return  # made by `_clone` when `_folders` reaches it
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(entry.path), destination)
    elif stat.S_ISREG(mode):
        try:
            os.link(entry.path, destination, follow_symlinks=False)
        except OSError:
            shutil.copy2(entry.path, destination, follow_symlinks=False)
    else:
        raise Unsupported(f"{entry.path}: not a file, folder or link")


def remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents below `root` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def exchange(a: Path, b: Path) -> bool:
    """Swap folders `a` and `b` in one step; False (nothing changed) where the system can't."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    status = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(b))


def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no libc handle, or a libc older than glibc 2.28
        return None


def incomplete(tree: Path) -> bool:
    """Whether `tree` is a next version that never went in (so all of it is ours or linked)."""
    return (tree / _INCOMPLETE).is_file()


def retire(old: Path, out: Path, manifest: str) -> list[str]:
    """Delete the swapped-out tree `old`, keeping what is in it and nowhere else.

    A file goes when `out` holds the same file (a link) or the same bytes, when it is a page the
    new manifest lists (replaced on purpose), or one the old manifest lists with its digest (ours,
    unedited). A file `out` lacks is moved back into `out`. Anything else stays in `old`; its
    paths are returned.
    """
    generated = _listed(old / manifest)
    replaced = set(_listed(out / manifest)) | {manifest}
    kept: list[str] = []
    for folder, relative in reversed(list(_folders(old))):
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                continue
            path = f"{relative}/{entry.name}" if relative else entry.name
            if _redundant(entry, out / path, generated.get(path), path in replaced):
                os.unlink(entry.path)
            elif not os.path.lexists(out / path):
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                os.rename(entry.path, out / path)
            else:
                kept.append(path)
        if relative:
            with contextlib.suppress(OSError):  # unless it holds something kept
                folder.rmdir()
    if not kept:
        old.rmdir()
    return sorted(kept)


def _redundant(entry: os.DirEntry[str], current: Path, digest: str | None, ours: bool) -> bool:
    """Whether the old tree's `entry` can go: `current` is in `out` at the same path."""
    mine = entry.stat(follow_symlinks=False)
    try:
        theirs = current.lstat()
    except OSError:
        theirs = None
    if theirs is not None and (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino):
        return True
    if stat.S_ISLNK(mine.st_mode):
        return current.is_symlink() and os.readlink(entry.path) == os.readlink(current)
    if not stat.S_ISREG(mine.st_mode):
        return False
    data = Path(entry.path).read_bytes()
    if ours or (digest is not None and hashlib.sha256(data).hexdigest() == digest):
        return True
    return theirs is not None and stat.S_ISREG(theirs.st_mode) and current.read_bytes() == data


def _listed(manifest: Path) -> dict[str, str]:
    """Page path -> digest from a manifest; {} when it is missing or unreadable."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
