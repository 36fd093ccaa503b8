"""The public Python API: the example in `docs/using/api.md` runs, and every name is documented."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import griffe
import pytest

import generator
from tests.conftest import FIXTURES

ROOT = Path(__file__).parent.parent
API_PAGE = ROOT / "docs" / "using" / "api.md"


def example_code() -> str:
    blocks = re.findall(
        r"^```python\n(.*?)^```$", API_PAGE.read_text(encoding="utf-8"), re.M | re.S
    )
    assert len(blocks) == 1, "docs/using/api.md should have exactly one Python example"
    return str(blocks[0])


def test_the_documented_example_uses_root_imports_only() -> None:
    imports = re.findall(r"^(?:from (\S+) import|import (\S+))", example_code(), re.M)
    modules = {a or b for a, b in imports}
    assert "generator" in modules
    assert not {m for m in modules if m.startswith("generator.")}


def test_the_documented_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(FIXTURES / "library-3.0.yaml", tmp_path / "openapi.yaml")
    monkeypatch.chdir(tmp_path)
    code = compile(example_code(), str(API_PAGE), "exec")
    for run in ("first", "second"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, {"__name__": "__main__"})
        written = 10 if run == "first" else 0
        assert out.getvalue() == f"2 operations\n{written} files written\n", run
    reference = tmp_path / "docs" / "reference"
    manifest = json.loads((reference / ".restref-manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(
        p.relative_to(reference).as_posix()
        for p in reference.rglob("*")
        if p.is_file() and p.name != ".restref-manifest.json"
    )
    assert "https://api.example.com" in (reference / "books" / "get-books-isbn.md").read_text()


def test_the_example_reports_a_broken_file_as_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "openapi.yaml").write_text("openapi: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        exec(compile(example_code(), str(API_PAGE), "exec"), {"__name__": "__main__"})
    assert str(caught.value).startswith("error: openapi.yaml:")
    assert not (tmp_path / "docs").exists()


def test_every_public_name_and_its_fields_have_docstrings() -> None:
    package = griffe.load("generator", search_paths=[str(ROOT)])
    names = [name for name in generator.__all__ if not name.startswith("__")]
    assert sorted(names) == sorted({str(name) for name in package.exports or ()} - {"__version__"})
    assert len(names) >= 12
    for name in names:
        obj = package[name]
        assert obj.docstring, name
        if obj.is_class:
            for member in obj.members.values():
                if not member.name.startswith("_"):
                    assert member.docstring, f"{name}.{member.name}"


def test_importing_the_package_does_not_import_mkdocs() -> None:
    code = "import sys, generator; print(sorted(m for m in sys.modules if m.startswith('mkdocs')))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
    assert set(generator.__all__) <= set(dir(generator))
