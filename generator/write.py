"""Pages -> files in the output folder, safely.

- Every path is checked to stay inside the folder.
- `.restref-manifest.json` records what was generated. Only files a previous manifest lists are
  ever replaced or deleted: a user's own file where a page would go is refused, even with
  `force` (which only lets restref write into a folder it did not make).
- A run builds the folder's next version beside it and swaps the two in one step
  (`generator.swap`), so an interrupted run leaves the old folder whole. Where a swap is
  impossible, it stages the changed pages in `.restref-staging/`, writes a journal of the moves,
  then moves them in with `os.replace`; a run cut short there is completed by the next one from
  the journal. Either way nothing changes before every page is written, so a full disk leaves
  the old pages whole.
- `.restref-lock` makes a second run on the same folder fail at once instead of interleaving.
- Files are written only when their bytes change.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from generator import swap
from generator.errors import OutputError
from generator.layout import MANIFEST, OutputFile, is_plain_path


@dataclass(frozen=True)
class WriteReport:
    """What `write_pages` did, as paths relative to the output folder."""

    written: tuple[str, ...]
    """Files created or changed."""
    deleted: tuple[str, ...]
    """Files of an earlier run that are no longer generated."""
    unchanged: int
    """How many files already had the right bytes."""
    kept: tuple[str, ...] = ()
    """No longer generated, but edited by the user: left in place."""
    recovered: bool = False
    """An interrupted run was completed first."""


_LOCK = ".restref-lock"
_JOURNAL = ".restref-journal.json"
_STAGING = ".restref-staging"
# Ours but not pages: a folder holding only these counts as empty for the foreign-folder check.
_OWN = frozenset({_LOCK, _JOURNAL, _STAGING})
# Not carried into a swapped-in folder (the lock is: it must stay the file this run holds).
_TRANSIENT = frozenset({_JOURNAL, _STAGING})


def sha256(data: bytes) -> str:
    """The hex SHA-256 digest of `data`, as the manifest records it."""
    return hashlib.sha256(data).hexdigest()


def safe_relative(path: str) -> PurePosixPath:
    """A page path that cannot leave the output folder."""
    if not is_plain_path(path):
        raise OutputError(f"refusing to write {path!r}: not a plain path inside the output folder")
    return PurePosixPath(path)


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest in `out` (None if missing or not an object); `OutputError` if unreadable."""
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


def edited_pages(out: Path, manifest: dict[str, Any] | None) -> set[str]:
    """Pages of the earlier run (per its `manifest`) whose content the user has changed since."""
    edited = set()
    for path, digest in _previous_files(manifest).items():
        target = out / path
        if _inside(out, path) and target.is_file() and sha256(target.read_bytes()) != digest:
            edited.add(path)
    return edited


def stale_files(out: Path, pages: Sequence[OutputFile]) -> list[str]:
    """Paths that `write_pages` would change: differing, missing, or no longer generated."""
    old = _previous_files(read_manifest(out))
    stale = []
    for page in pages:
        target = out / safe_relative(page.path)
        try:
            if target.read_bytes() != page.data:
                stale.append(page.path)
        except OSError:
            stale.append(page.path)
    current = {p.path for p in pages}
    stale += [
        path
        for path in sorted(old)
        if path not in current and _inside(out, path) and (out / path).is_file()
    ]
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


def write_pages(out: Path, pages: Sequence[OutputFile], *, force: bool = False) -> WriteReport:
    """Write `pages` under `out` (the manifest must be the last page), removing our stale files."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    with _naming(out):
        out.mkdir(parents=True, exist_ok=True)
    _folder_inside.cache_clear()  # folders may have become symlinks since the last call
    with _locked(out):
        recovered = _recover(out)
        manifest = read_manifest(out)
        foreign = [p for p in out.iterdir() if p.name not in _OWN]
        if manifest is None and foreign and not force:
            raise OutputError(
                f"{out}: the folder is not empty and was not made by restref (no {MANIFEST}); "
                "choose another folder or pass --force"
            )
        old = _previous_files(manifest)
        changed, unchanged = _plan(out, pages, old)
        deletions, kept = _stale(out, old, {p.path for p in pages})
        if changed or deletions:
            _replace(out, changed, deletions)
    written = tuple(path for path, _ in changed)
    return WriteReport(written, tuple(deletions), unchanged, tuple(kept), recovered)


def _plan(
    out: Path, pages: Sequence[OutputFile], old: dict[str, str]
) -> tuple[list[tuple[str, bytes]], int]:
    """The pages whose bytes change, and how many are unchanged.

    Refuses (before anything is written) to replace a file that restref did not write, whatever
    `force` says.
    """
    changed: list[tuple[str, bytes]] = []
    unchanged = 0
    refused: list[Path] = []
    for page in pages:
        data = page.data
        target = out / safe_relative(page.path)
        if not _inside(out, page.path):
            raise OutputError(f"{target}: a symbolic link leads outside {out}; remove it")
        blocker = _blocker(out, target)
        if blocker is not None:
            refused.append(blocker)
            continue
        if target.is_file():
            with _naming(target):
                same = target.read_bytes() == data
            if same:
                unchanged += 1
                continue
            if page.path not in old and page.path != MANIFEST:
                refused.append(target)
                continue
        changed.append((page.path, data))
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise OutputError(
            f"{refused[0]}: exists and was not written by restref (not in {MANIFEST}), but a "
            f"generated page goes there{more}; move it away first"
        )
    return changed, unchanged


def _blocker(out: Path, target: Path) -> Path | None:
    """What stands where `target` must go: a folder at its place or a file at a parent's."""
    if target.exists() and not target.is_file():
        return target
    folder = target.parent
    while folder != out:
        if folder.exists() and not folder.is_dir():
            return folder
        folder = folder.parent
    return None


def _stale(out: Path, old: dict[str, str], current: set[str]) -> tuple[list[str], list[str]]:
    """Files of the previous run no longer generated: to delete, or kept when edited since."""
    deletions, kept = [], []
    for path, digest in sorted(old.items()):
        if path in current or not _inside(out, path):
            continue  # a tampered manifest never makes us delete outside the folder
        target = out / path
        if not target.is_file():
            continue
        with _naming(target):
            edited = sha256(target.read_bytes()) != digest
        if edited:
            kept.append(path)  # the user changed it since we wrote it
        else:
            deletions.append(path)
    return deletions, kept


def _replace(out: Path, changed: list[tuple[str, bytes]], deletions: list[str]) -> None:
    """Swap in the folder's next version, or (where that is impossible) move the pages in."""
    if swap.exchange_supported(out):
        try:
            following = swap.build_next(out, dict(changed), set(deletions), _TRANSIENT, _write_file)
        except (swap.Unsupported, OSError):
            pass  # the journal below either works or names the page that fails
        else:
            with _naming(out):
                swapped = swap.exchange(following, out)
            if swapped:
                _retire(following, out)
                return
            _remove_tree(following)
    _commit(out, _stage(out, changed), deletions)


def _retire(old: Path, out: Path) -> None:
    with _naming(old):
        kept = swap.retire(old, out, MANIFEST)
    if kept:
        named = ", ".join(kept[:3]) + (" ..." if kept[3:] else "")
        raise OutputError(
            f"{old}: kept {named}, changed in "
            f"{out} while restref was writing it; compare, move what you need, remove the folder"
        )


def _stage(out: Path, changed: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """Write the changed pages into the staging folder; (staged name, page path) pairs.

    On failure (a full disk) the staging folder is removed and the error names the page.
    """
    staging = out / _STAGING
    _remove_tree(staging)
    with _naming(out):
        staging.mkdir()
    moves = []
    try:
        for number, (path, data) in enumerate(changed):
            name = str(number)
            with _naming(out / path):
                _write_file(staging / name, data)
            moves.append((name, path))
    except BaseException:
        _remove_tree(staging)
        raise
    # The manifest last: a run cut short leaves the old manifest, which still names the old files.
    return sorted(moves, key=lambda move: move[1] == MANIFEST)


def _commit(out: Path, moves: list[tuple[str, str]], deletions: list[str]) -> None:
    """Record the moves in the journal, then carry them out (see `_replay`)."""
    journal = {"moves": moves, "deletions": {p: sha256((out / p).read_bytes()) for p in deletions}}
    text = json.dumps(journal, ensure_ascii=False).encode("utf-8")
    try:
        atomic_write(out / _JOURNAL, text)
    except BaseException:
        _remove_tree(out / _STAGING)
        raise
    _replay(out, journal)


def _recover(out: Path) -> bool:
    """Finish what a run cut short left: retire a swapped-out tree, complete a journal's moves.

    A partial next tree or partial stage is dropped.

    Returns whether there was a run to complete.
    """
    leftover = swap.sibling(out)
    if leftover.is_dir() and not leftover.is_symlink():
        finished = not swap.incomplete(leftover)
        if finished:
            _retire(leftover, out)
        else:
            _remove_tree(leftover)
        return finished
    journal_file = out / _JOURNAL
    if not journal_file.exists():
        _remove_tree(out / _STAGING)
        return False
    try:
        journal = json.loads(journal_file.read_text(encoding="utf-8"))
        moves = [(str(name), str(path)) for name, path in journal["moves"]]
        deletions = {str(k): str(v) for k, v in journal["deletions"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise OutputError(
            f"{journal_file}: unreadable journal of an interrupted run ({e}); remove it "
            f"and {_STAGING} to start over"
        ) from e
    _replay(out, {"moves": moves, "deletions": deletions})
    return True


def _replay(out: Path, journal: dict[str, Any]) -> None:
    """Finish a run from its journal; idempotent, so it can be re-run.

    Moves the staged files in (a file already moved is skipped), deletes the stale ones that
    still have the content we wrote, and removes the journal.
    """
    staging = out / _STAGING
    for name, path in journal["moves"]:
        staged = staging / name
        if not _inside(out, path) or not staged.is_file():
            continue  # moved already (or a tampered journal pointing outside)
        target = out / path
        with _naming(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(staged, target)
    for path, digest in journal["deletions"].items():
        target = out / path
        if _inside(out, path) and target.is_file() and sha256(target.read_bytes()) == digest:
            with _naming(target):
                target.unlink()
            swap.remove_empty_parents(target.parent, out)
    with _naming(out / _JOURNAL):
        (out / _JOURNAL).unlink()
    _remove_tree(staging)


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold `.restref-lock` in `out`, or fail at once when another run holds it."""
    if fcntl is None:  # pragma: no cover - not POSIX: runs are not serialised
        yield
        return
    lock = out / _LOCK
    with _naming(lock):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # The holder before us may have removed the file after we opened it.
            held = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except OSError:
            held = False
        if not held:
            raise OutputError(
                f"{out}: another restref run is writing this folder ({_LOCK} is held); "
                "wait for it to end"
            )
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """File operations whose OSError becomes one line naming `path` (not a temporary name)."""
    try:
        yield
    except OSError as e:
        raise OutputError(f"{path}: {e.strerror or e}") from e


def _move(staged: Path, target: Path) -> None:
    os.replace(staged, target)  # atomic: readers see the old page or the new one


def _write_file(target: Path, data: bytes) -> None:
    with open(target, "wb") as f:
        f.write(data)
    os.chmod(target, 0o666 & ~_umask())


def _remove_tree(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def atomic_write(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step: readers see the old file or the new one."""
    with _naming(target):
        _atomic_write(target, data)


def _atomic_write(target: Path, data: bytes) -> None:
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
