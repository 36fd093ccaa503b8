"""The command line: outputs, exit statuses and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import FIXTURES

ROOT = Path(__file__).parent.parent
SHOP = "tests.fixtures.shop_app:app"


def restref(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`restref ARGS` in this process: the same status and output as `restref()`, faster.

    `--app` targets are still imported in a child process, by restref itself.
    """
    argv = [str(a) for a in args]
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            status = main(argv)
        except SystemExit as e:  # argparse
            status = e.code if isinstance(e.code, int) else 0 if e.code is None else 2
    return subprocess.CompletedProcess(argv, status, stdout.getvalue(), stderr.getvalue())


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generate_from_app_writes_the_output_contract(tmp_path: Path) -> None:
    done = restref("generate", "--app", SHOP, "--out", tmp_path / "ref")
    assert done.returncode == 0, done.stderr
    files = tree(tmp_path / "ref")
    for name in (
        "index.md",
        "items/index.md",
        "items/get-items-item-id.md",
        "schemas/index.md",
        "schemas/item.md",
        "openapi.json",
        ".restref-manifest.json",
    ):
        assert name in files
    manifest = json.loads(files[".restref-manifest.json"])
    assert manifest["generator"].startswith("restref ")
    assert set(manifest["files"]) == set(files) - {".restref-manifest.json"}
    assert {"method": "POST", "path": "/items/", "title": "Example request"}.items() <= (
        manifest["examples"][0].items()
    )


def test_two_runs_give_byte_identical_output(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert restref("generate", "--app", SHOP, "--out", tmp_path / name).returncode == 0
    first = tree(tmp_path / "a")
    assert "items/get-items-item-id.md" in first
    assert first == tree(tmp_path / "b")


def test_spec_file_and_app_give_the_same_pages(tmp_path: Path) -> None:
    exported = tmp_path / "shop.json"
    done = cli("export", "--app", SHOP, "-o", exported)
    assert done.returncode == 0, done.stderr
    for source, out in (("--app", "a"), ("--spec", "b")):
        target = SHOP if source == "--app" else exported
        done = cli("generate", source, target, "--out", tmp_path / out)
        assert done.returncode == 0, done.stderr
    from_app, from_spec = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert "items/get-items-item-id.md" in from_app
    assert from_app == from_spec


def test_check_reports_stale_files_and_unchanged_api_rewrites_nothing(tmp_path: Path) -> None:
    out = tmp_path / "ref"
    spec = FIXTURES / "library-3.0.yaml"
    assert cli("generate", "--spec", spec, "--out", out).returncode == 0
    checked = cli("generate", "--spec", spec, "--out", out, "--check")
    assert (checked.returncode, checked.stdout) == (0, "")
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 5
    for p in files:  # an old time, so that any rewrite shows even on a coarse clock
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    assert cli("generate", "--spec", spec, "--out", out).returncode == 0
    assert {p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == {1_000_000_000}
    (out / "books" / "post-loans.md").write_text("edited\n")
    checked = cli("generate", "--spec", spec, "--out", out, "--check")
    assert checked.returncode == 1
    assert checked.stdout == f"stale: {out / 'books' / 'post-loans.md'}\n"


def test_user_files_survive_and_only_our_stale_files_go(tmp_path: Path) -> None:
    out = tmp_path / "ref"
    assert cli("generate", "--app", SHOP, "--out", out).returncode == 0
    (out / "notes.md").write_text("mine\n")
    assert cli("generate", "--spec", FIXTURES / "library-3.0.yaml", "--out", out).returncode == 0
    assert (out / "notes.md").read_text() == "mine\n"
    # The shop's pages are gone; only redirect pages at their old URLs stay.
    left = {p.relative_to(out / "items").as_posix() for p in (out / "items").rglob("*.*")}
    assert left
    assert all(path.endswith("/index.html") for path in left), left
    assert (out / "books" / "post-loans.md").is_file()


def test_refuses_a_foreign_folder_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep\n")
    done = cli("generate", "--app", SHOP, "--out", tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "--force" in done.stderr
    assert tree(tmp_path) == {"mine.txt": b"keep\n"}
    assert cli("generate", "--app", SHOP, "--out", tmp_path, "--force").returncode == 0
    assert (tmp_path / "mine.txt").read_text() == "keep\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app", "no_such_module:app"], "module 'no_such_module' not found"),
        (["--app", "tests.fixtures.broken_apps:missing"], "has no attribute 'missing'"),
        (
            ["--app", "tests.fixtures.broken_apps:raising_factory"],
            "the factory raised RuntimeError: database is not configured",
        ),
        (
            ["--app", "tests.fixtures.broken_apps:factory_with_arguments"],
            "the factory needs arguments (settings)",
        ),
        (
            ["--app", "tests.fixtures.broken_apps:broken_openapi"],
            "openapi() raised ValueError: schema generation failed",
        ),
        (["--app", "tests.fixtures.broken_apps:plain_object"], "has no openapi() method"),
        (["--app", "tests.fixtures.broken_apps:not_an_app"], "int object has no openapi()"),
        (["--app", "nocolon"], "expected 'module.path:attribute'"),
        (["--spec", "missing.json"], "missing.json: no such file"),
    ],
)
def test_bad_input_gives_one_error_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = cli("generate", *args, "--out", tmp_path / "out")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), done.stderr
    assert message in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"openapi": "3.1.0",\n "paths": {,}}', "bad.txt:2:12: invalid JSON"),
        ("openapi: 3.0.0\npaths: [unclosed\n", "bad.txt:3:1: invalid YAML"),
        ('{"swagger": "1.2", "paths": {}}', "Swagger 1.2 is not supported (only 2.0)"),
        ('{"hello": "world"}', "not an OpenAPI 3 document"),
        ('{"openapi": "3.0.0", "info": {}}', "has no 'paths'"),
    ],
)
def test_broken_spec_files_give_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "bad.txt").write_text(text)
    monkeypatch.chdir(tmp_path)
    done = cli("generate", "--spec", "bad.txt", "--out", "out")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr, done.stderr


def test_usage_errors_exit_2() -> None:
    done = restref("generate", "--out", "x")
    assert done.returncode == 2
    assert "error: one of the arguments --app --spec" in done.stderr


def test_the_options_of_the_previous_run_are_reused_and_changes_said(tmp_path: Path) -> None:
    out, spec = tmp_path / "out", FIXTURES / "library-3.0.yaml"
    first = cli("generate", "--spec", spec, "--out", out, "--base-url", "https://api.example.com")
    assert first.returncode == 0, first.stderr
    recorded = json.loads((out / ".restref-manifest.json").read_text(encoding="utf-8"))["options"]
    assert recorded == {
        "base_url": "https://api.example.com",
        "templates": None,
        "trusted_html": False,
        "filters": "auto",
    }
    check = cli("generate", "--spec", spec, "--out", out, "--check")
    assert (check.returncode, check.stdout) == (0, "")
    assert "note: --base-url https://api.example.com as in the previous run" in check.stderr
    changed = cli("generate", "--spec", spec, "--out", out, "--check", "--base-url", "http://x")
    assert changed.returncode == 1
    assert "stale: " in changed.stdout
    assert "--base-url changed since the previous run: https://api.example.com -> http://x" in (
        changed.stderr
    )
    cleared = cli("generate", "--spec", spec, "--out", out, "--base-url", "", "--no-trusted-html")
    assert cleared.returncode == 0, cleared.stderr
    assert '"base_url": ""' in (out / ".restref-manifest.json").read_text(encoding="utf-8")
