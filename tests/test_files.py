# ruff: noqa: E501  (the table in the docstring has long rows)
"""The output folder under pressure: user files, --force, interruption, concurrency, full disks.

| Case | What restref does (what the test asserts) |
| --- | --- |
| the API gains a tag `Users` while the user keeps `out/users/index.md` | exit 2, one `error:` line naming that file; every file (theirs and ours) unchanged |
| `--force` into a folder whose `index.md` is the user's | exit 2 naming `index.md`; the user's file unchanged; `--force` with no clash writes and keeps the user's files |
| a file where a generated folder goes (`users` as a file) | exit 2 naming it, nothing written |
| the process killed while the next version is built beside the folder | the previous pages all intact; the next run drops the partial tree and completes normally |
| the process killed just before the swap | the previous pages all intact |
| the process killed after the swap, before the old tree is retired | the folder is wholly the new run; the next run retires the old tree (`warning: ... completed a run that was interrupted`) |
| a file saved into the folder while a run is writing it | moved into the new folder, not lost; a page of ours the user rewrote meanwhile is kept beside the folder and named in the error |
| no swap possible (the shell stands inside the folder): killed while staged pages are moved in | the next run completes the interrupted run first from its journal and ends identical to a clean run |
| another run holds the folder's lock | exit 2 at once: `error: ...: another restref run is writing this folder` |
| two runs started together on one folder | each exits 0 or 2 with the lock message; at least one 0; the folder matches the last successful run exactly (`--check`) |
| a full disk (`ENOSPC`) while writing | `error: <out>/<page>: No space left on device`; old pages whole; no staging left; the next run succeeds |
| permission denied while moving a page in (no swap possible) | `error: <out>/<page>: Permission denied`; the next run completes |
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import swap, write
from generator.cli import main
from generator.errors import OutputError
from generator.pipeline import generate_pages
from generator.render.pages import RenderOptions
from generator.write import write_pages

ROOT = Path(__file__).parent.parent


def document(*tags: str) -> dict[str, Any]:
    """A small API with one operation per tag."""
    paths = {
        f"/{tag.lower()}": {
            "get": {
                "tags": [tag],
                "summary": f"List {tag}",
                "responses": {"200": {"description": "ok"}},
            }
        }
        for tag in tags
    }
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}


def spec(tmp_path: Path, *tags: str) -> Path:
    path = tmp_path / f"spec-{'-'.join(tags)}.json"
    path.write_text(json.dumps(document(*tags)))
    return path


@pytest.fixture
def restref(capsys: pytest.CaptureFixture[str]) -> Any:
    """The real command line, run in this process (subprocesses only where a process must die)."""

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, captured.out, captured.err)

    return run


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def test_a_new_tag_never_overwrites_the_users_page(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    assert restref("generate", "--spec", spec(tmp_path, "Flows"), "--out", out).returncode == 0
    (out / "users").mkdir()
    (out / "users" / "index.md").write_text("my users page\n")
    before = tree(out)
    error = one_error(restref("generate", "--spec", spec(tmp_path, "Flows", "Users"), "--out", out))
    assert f"{out / 'users' / 'index.md'}: exists and was not written by restref" in error
    assert tree(out) == before


def test_force_adopts_a_folder_but_never_replaces_a_users_file(
    tmp_path: Path, restref: Any
) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "index.md").write_text("# My home page\n")
    (out / "notes.md").write_text("notes\n")
    source = spec(tmp_path, "Flows")
    error = one_error(restref("generate", "--spec", source, "--out", out, "--force"))
    assert str(out / "index.md") in error
    assert tree(out) == {"index.md": b"# My home page\n", "notes.md": b"notes\n"}
    (out / "index.md").unlink()
    done = restref("generate", "--spec", source, "--out", out, "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "notes.md").read_text() == "notes\n"
    assert (out / "flows" / "index.md").is_file()


def test_a_file_where_a_generated_folder_goes_is_refused(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    assert restref("generate", "--spec", spec(tmp_path, "Flows"), "--out", out).returncode == 0
    (out / "users").write_text("not a folder\n")
    before = tree(out)
    error = one_error(restref("generate", "--spec", spec(tmp_path, "Flows", "Users"), "--out", out))
    assert f"{out / 'users'}: exists" in error
    assert tree(out) == before


# A run killed outright (no cleanup, as with SIGKILL) at the Nth call of a write step.
_KILLED_RUN = """
import importlib, os, sys
from generator.cli import main
module, step = sys.argv[1].split(":")
after = int(sys.argv[2])
module = importlib.import_module(module)
original, calls = getattr(module, step), []
def dying(*args):
    calls.append(1)
    if len(calls) > after:
        os._exit(9)
    return original(*args)
setattr(module, step, dying)
sys.exit(main(sys.argv[3:]))
"""


def killed_run(step: str, after: int, *args: str | Path, cwd: Path | None = None) -> int:
    """Run the CLI in a child killed at call `after + 1` of `step` (`module:function`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _KILLED_RUN, step, str(after), *map(str, args)]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False, cwd=cwd
    )
    return done.returncode


def test_killed_while_building_leaves_the_old_pages_whole(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    assert restref("generate", "--spec", spec(tmp_path, "Flows"), "--out", out).returncode == 0
    (out / "mine.md").write_text("mine\n")
    before = tree(out)
    new = spec(tmp_path, "Flows", "Users", "Runs")
    assert killed_run("generator.write:_write_file", 2, "generate", "--spec", new, "--out", out) == 9
    assert tree(out) == {**before, ".restref-lock": b""}  # a killed run cannot remove its lock file
    assert swap.sibling(out).is_dir()  # the partial next version
    done = restref("generate", "--spec", new, "--out", out)
    assert done.returncode == 0, done.stderr
    assert not swap.sibling(out).exists()
    assert restref("generate", "--spec", new, "--out", out, "--check").returncode == 0
    assert (out / "mine.md").read_text() == "mine\n"


def test_killed_before_the_swap_leaves_the_old_pages_whole(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    assert restref("generate", "--spec", spec(tmp_path, "Flows", "Gone"), "--out", out).returncode == 0
    (out / "mine.md").write_text("mine\n")
    before = tree(out)
    new = spec(tmp_path, "Flows", "Users")
    assert killed_run("generator.swap:exchange", 0, "generate", "--spec", new, "--out", out) == 9
    assert tree(out) == {**before, ".restref-lock": b""}
    assert restref("generate", "--spec", new, "--out", out).returncode == 0
    assert not swap.sibling(out).exists()


def test_killed_after_the_swap_leaves_the_new_pages_whole(tmp_path: Path, restref: Any) -> None:
    out, clean = tmp_path / "out", tmp_path / "clean"
    old, new = spec(tmp_path, "Flows", "Gone"), spec(tmp_path, "Flows", "Users", "Runs")
    assert restref("generate", "--spec", old, "--out", out).returncode == 0
    (out / "mine.md").write_text("mine\n")
    assert killed_run("generator.swap:retire", 0, "generate", "--spec", new, "--out", out) == 9
    assert restref("generate", "--spec", old, "--out", clean).returncode == 0
    assert restref("generate", "--spec", new, "--out", clean).returncode == 0  # the same two runs
    expected = {**tree(clean), "mine.md": b"mine\n"}
    assert tree(out) == {**expected, ".restref-lock": b""}  # already wholly the new run
    assert (swap.sibling(out) / "gone").is_dir()  # the old tree, waiting to be retired
    done = restref("generate", "--spec", new, "--out", out)
    assert done.returncode == 0, done.stderr
    assert f"warning: {out}: completed a run that was interrupted" in done.stderr
    assert not swap.sibling(out).exists()
    assert tree(out) == expected


def test_a_file_saved_during_the_run_is_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_pages(out, generate_pages(document("Flows"), RenderOptions()).pages)
    (out / "edited.md").write_text("before\n")
    real_exchange = swap.exchange

    def meanwhile(following: Path, folder: Path) -> bool:
        (folder / "saved.md").write_text("saved meanwhile\n")  # a new file
        (folder / "edited.md").unlink()  # an editor's save: a new file in place of the old
        (folder / "edited.md").write_text("after\n")
        return real_exchange(following, folder)

    monkeypatch.setattr(swap, "exchange", meanwhile)
    with pytest.raises(OutputError, match=r"kept edited\.md, changed in") as caught:
        write_pages(out, generate_pages(document("Flows", "Users"), RenderOptions()).pages)
    assert str(caught.value).startswith(f"{swap.sibling(out)}: ")
    assert (out / "saved.md").read_text() == "saved meanwhile\n"
    assert (swap.sibling(out) / "edited.md").read_text() == "after\n"
    assert (out / "edited.md").read_text() == "before\n"
    assert (out / "users" / "index.md").is_file()


def test_without_a_swap_a_killed_move_is_completed_by_the_next_run(
    tmp_path: Path, restref: Any
) -> None:
    out, clean = tmp_path / "out", tmp_path / "clean"
    old, new = spec(tmp_path, "Flows", "Gone"), spec(tmp_path, "Flows", "Users", "Runs")
    assert restref("generate", "--spec", old, "--out", out).returncode == 0
    (out / "mine.md").write_text("mine\n")
    args = ("generate", "--spec", new, "--out", out)
    assert killed_run("generator.write:_move", 3, *args, cwd=out) == 9
    assert (out / ".restref-journal.json").is_file()  # the state is mixed until the next run
    done = restref("generate", "--spec", new, "--out", out)
    assert done.returncode == 0, done.stderr
    assert f"warning: {out}: completed a run that was interrupted" in done.stderr
    assert restref("generate", "--spec", old, "--out", clean).returncode == 0
    assert restref("generate", "--spec", new, "--out", clean).returncode == 0  # the same two runs
    assert tree(out) == {**tree(clean), "mine.md": b"mine\n"}


def test_a_held_lock_fails_at_once(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    source = spec(tmp_path, "Flows")
    assert restref("generate", "--spec", source, "--out", out).returncode == 0
    with open(out / ".restref-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        error = one_error(restref("generate", "--spec", source, "--out", out))
    assert f"{out}: another restref run is writing this folder" in error
    assert restref("generate", "--spec", source, "--out", out).returncode == 0
    assert not (out / ".restref-lock").exists()


def test_two_runs_at_once_leave_one_consistent_folder(tmp_path: Path, restref: Any) -> None:
    out = tmp_path / "out"
    specs = [spec(tmp_path, "Flows", *(f"T{i}" for i in range(40))), spec(tmp_path, "Users")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", "--spec", str(s), "--out", str(out)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in specs
    ]
    results = [(run.communicate(timeout=60)[1], run.returncode) for run in runs]
    for stderr, status in results:
        assert "Traceback" not in stderr
        assert status == 0 or (status == 2 and "another restref run" in stderr), stderr
    assert any(status == 0 for _, status in results)
    pages = [generate_pages(json.loads(s.read_text()), RenderOptions()).pages for s in specs]
    assert any(not write.stale_files(out, p) for p in pages)


def test_a_full_disk_names_the_page_and_keeps_the_old_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    old, new = spec(tmp_path, "Flows"), spec(tmp_path, "Flows", "Users")
    assert main(["generate", "--spec", str(old), "--out", str(out)]) == 0
    before = tree(out)
    real_write, calls = write._write_file, []

    def full(target: Path, data: bytes) -> None:
        calls.append(target)
        if len(calls) > 1:  # the disk is full after the first page
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(target, data)

    monkeypatch.setattr(write, "_write_file", full)
    capsys.readouterr()
    assert main(["generate", "--spec", str(new), "--out", str(out)]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {out}/")
    assert errors[0].endswith(": No space left on device")
    assert ".restref-staging" not in errors[0]  # the page, not the temporary name
    assert tree(out) == before
    assert not (out / ".restref-staging").exists()
    assert not swap.sibling(out).exists()
    monkeypatch.setattr(write, "_write_file", real_write)
    assert main(["generate", "--spec", str(new), "--out", str(out)]) == 0


def test_permission_denied_names_the_page_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_pages(out, generate_pages(document("Flows"), RenderOptions()).pages)
    monkeypatch.chdir(out)  # a shell standing in the folder: no swap, the journal instead
    pages = generate_pages(document("Flows", "Users"), RenderOptions()).pages

    def denied(staged: Path, target: Path) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(staged))

    monkeypatch.setattr(write, "_move", denied)
    with pytest.raises(OutputError, match=r": Permission denied$") as caught:
        write_pages(out, pages)
    assert str(caught.value).startswith(f"{out}/")
    assert ".restref-staging" not in str(caught.value)
    monkeypatch.undo()
    report = write_pages(out, pages)
    assert report.recovered
    assert not write.stale_files(out, pages)
