"""An installed (non-editable) wheel finds its templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


def test_wheel_ships_templates_and_renders(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp_path / "dist",
            ROOT,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("restref-*.whl")
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    assert "generator/templates/operation.md.jinja2" in names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    declared = archive.read(entry_points).decode()
    assert "restref = generator.cli:main" in declared
    assert "restref = generator.site.plugin:RestrefPlugin" in declared
    target = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import generator.render as r, pathlib, sys;"
        f"assert pathlib.Path(r.__file__).is_relative_to({str(target)!r}), r.__file__;"
        "from generator.cli import main;"
        "sys.exit(main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "generate",
            "--spec",
            ROOT / "tests" / "fixtures" / "library-3.0.yaml",
            "--out",
            tmp_path / "out",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "books" / "get-books-isbn.md").is_file()
