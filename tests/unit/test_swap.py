"""The folder swap: what the next version carries over, and when a swap is not attempted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from generator import swap
from generator.layout import MANIFEST, Page
from generator.write import sha256, write_pages


def site(*pages: str, text: str = "page\n") -> list[Page]:
    """Pages with `text`, plus a manifest listing their digests, as the pipeline makes them."""
    files = {path: sha256(text.encode()) for path in pages}
    return [*(Page(path, text) for path in pages), Page(MANIFEST, json.dumps({"files": files}))]


def test_the_swap_carries_every_user_file_link_and_folder_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, site("a.md", "gone/b.md"))
    (out / "mine.md").write_text("mine\n")
    (out / "empty").mkdir()
    (out / "gone" / "notes.txt").write_text("notes\n")
    os.symlink("mine.md", out / "link.md")
    out.chmod(0o750)
    inode = (out / "mine.md").stat().st_ino
    folder_inode = out.stat().st_ino

    report = write_pages(out, site("a.md", text="new\n"))

    assert out.stat().st_ino != folder_inode  # a new folder was swapped in
    assert report.written == ("a.md", MANIFEST)
    assert report.deleted == ("gone/b.md",)
    assert (out / "a.md").read_text() == "new\n"
    assert (out / "mine.md").stat().st_ino == inode  # the same file, not a copy
    assert os.readlink(out / "link.md") == "mine.md"
    assert (out / "empty").is_dir()
    assert (out / "gone" / "notes.txt").read_text() == "notes\n"
    assert not (out / "gone" / "b.md").exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert not swap.sibling(out).exists()


def test_a_stale_page_alone_in_its_folder_takes_the_folder_with_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, site("a.md", "gone/deeper/b.md"))
    write_pages(out, site("a.md"))
    assert not (out / "gone").exists()


def test_no_swap_for_a_linked_folder_or_one_the_shell_stands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    assert swap.exchange_supported(real)
    assert not swap.exchange_supported(tmp_path / "link")
    (real / "inner").mkdir()
    monkeypatch.chdir(real / "inner")
    assert not swap.exchange_supported(real)


def test_a_linked_output_folder_keeps_its_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_pages(real, site("a.md"))
    (tmp_path / "link").symlink_to(real)
    write_pages(tmp_path / "link", site("a.md", text="new\n"))
    assert (tmp_path / "link").is_symlink()
    assert (real / "a.md").read_text() == "new\n"


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from-a").touch()
    if not swap.exchange(a, b):
        pytest.skip("this file system cannot exchange folders")
    assert (b / "from-a").exists()
    assert not (a / "from-a").exists()


def test_retire_moves_back_what_only_the_old_tree_has(tmp_path: Path) -> None:
    old, out = tmp_path / "old", tmp_path / "out"
    old.mkdir()
    out.mkdir()
    (old / "sub").mkdir()
    (old / "sub" / "only-here.md").write_text("only\n")
    (old / "same.md").write_text("same\n")
    (out / "same.md").write_text("same\n")
    (old / "differs.md").write_text("old\n")
    (out / "differs.md").write_text("new\n")
    assert swap.retire(old, out, ".restref-manifest.json") == ["differs.md"]
    assert (out / "sub" / "only-here.md").read_text() == "only\n"
    assert (old / "differs.md").read_text() == "old\n"
    assert not (old / "same.md").exists()
