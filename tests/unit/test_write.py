"""`generator.write`: atomic writes, the manifest, stale files and folders that are not ours."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator import write
from generator.errors import OutputError
from generator.layout import MANIFEST, Page
from generator.write import atomic_write, safe_relative, stale_files, write_pages


def site(*pages: tuple[str, str]) -> list[Page]:
    """Pages plus a manifest listing their digests, as the pipeline makes them."""
    found = [Page(path, text) for path, text in pages]
    files = {p.path: write.sha256(p.text.encode()) for p in found}
    return [*found, Page(MANIFEST, json.dumps({"files": files}))]


def files_in(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


V1 = site(("index.md", "home\n"), ("a/one.md", "one\n"), ("a/b/two.md", "two\n"))
V2 = site(("index.md", "home 2\n"), ("a/one.md", "one\n"))


# ---------------------------------------------------------------- atomic writes


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "page.md"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["page.md"]


def test_atomic_write_gives_the_usual_file_mode(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    target = tmp_path / "page.md"
    atomic_write(target, b"x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.md"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    # the error names the page, not a temporary file
    with pytest.raises(OutputError, match=r"page\.md: disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize(
    "path",
    [
        "",
        "../x.md",
        "a/../../x.md",
        "/etc/passwd",
        "a\\b.md",
        "a//b.md",
        "./a.md",
        "a/.",
        "a\x00b.md",
        "a/",
    ],
)
def test_paths_that_could_leave_the_folder_are_refused(path: str) -> None:
    with pytest.raises(OutputError, match="not a plain path"):
        safe_relative(path)


def test_a_bad_page_path_writes_nothing_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputError):
        write_pages(out, [Page("../escape.md", "x"), *site()])
    assert not (tmp_path / "escape.md").exists()


def test_a_symlinked_folder_leading_out_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    write_pages(out, V1)
    elsewhere.mkdir()
    (out / "a" / "b" / "two.md").unlink()
    (out / "a" / "b").rmdir()
    (out / "a" / "b").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match="symbolic link"):
        write_pages(out, V1)
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- the manifest and stale files


def test_first_write_writes_every_page_and_the_manifest(tmp_path: Path) -> None:
    report = write_pages(tmp_path / "out", V1)
    assert report.written == tuple(p.path for p in V1)
    assert files_in(tmp_path / "out") == {p.path: p.text for p in V1}


def test_an_unchanged_site_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, V1)
    for p in out.rglob("*.md"):
        os.utime(p, ns=(1, 1))
    report = write_pages(out, V1)
    assert (report.written, report.deleted, report.unchanged) == ((), (), len(V1))
    assert {p.stat().st_mtime_ns for p in out.rglob("*.md")} == {1}


def test_changed_pages_are_rewritten_and_ours_that_are_gone_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, V1)
    report = write_pages(out, V2)
    assert report.written == ("index.md", MANIFEST)
    assert report.deleted == ("a/b/two.md",)
    assert files_in(out) == {p.path: p.text for p in V2}
    assert not (out / "a" / "b").exists()  # emptied folders go too


def test_user_files_and_edited_pages_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, V1)
    (out / "notes.md").write_text("mine\n")
    (out / "a" / "b" / "mine.txt").write_text("mine\n")
    (out / "a" / "b" / "two.md").write_text("edited\n")
    report = write_pages(out, V2)
    assert report.kept == ("a/b/two.md",)
    assert report.deleted == ()
    assert (out / "notes.md").read_text() == "mine\n"
    assert (out / "a" / "b" / "mine.txt").read_text() == "mine\n"
    assert (out / "a" / "b" / "two.md").read_text() == "edited\n"


def test_a_tampered_manifest_never_deletes_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_pages(out, V1)
    victim = tmp_path / "victim.md"
    victim.write_text("one\n")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"]["../victim.md"] = write.sha256(b"one\n")
    manifest["files"][str(victim)] = write.sha256(b"one\n")
    (out / MANIFEST).write_text(json.dumps(manifest))
    write_pages(out, V2)
    assert victim.read_text() == "one\n"


def test_stale_files_lists_what_a_write_would_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert stale_files(out, V1) == [p.path for p in V1]
    write_pages(out, V1)
    assert stale_files(out, V1) == []
    assert stale_files(out, V2) == ["index.md", MANIFEST, "a/b/two.md"]
    (out / "a" / "one.md").write_text("edited\n")
    assert "a/one.md" in stale_files(out, V1)


# ---------------------------------------------------------------- folders that are not ours


def test_a_foreign_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep\n")
    with pytest.raises(OutputError, match="--force"):
        write_pages(tmp_path, V1)
    assert files_in(tmp_path) == {"mine.txt": "keep\n"}
    write_pages(tmp_path, V1, force=True)
    assert files_in(tmp_path)["mine.txt"] == "keep\n"
    assert (tmp_path / "index.md").is_file()


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    write_pages(tmp_path, V1)
    assert (tmp_path / MANIFEST).is_file()


def test_a_manifest_that_is_not_an_object_counts_as_none(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("[]")
    with pytest.raises(OutputError, match="not made by restref"):
        write_pages(tmp_path, V1)


def test_an_unreadable_manifest_is_an_error(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(OutputError, match="unreadable manifest"):
        write_pages(tmp_path, V1)
    assert files_in(tmp_path) == {MANIFEST: "{not json"}


def test_an_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        write_pages(target, V1)
    assert target.read_text() == "x"
