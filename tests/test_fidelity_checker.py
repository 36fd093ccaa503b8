"""The independent fidelity checker (benchmarks/fidelity) notices planted corruptions.

The library fixture is generated once; each corruption edits a copy of the output, and the
checker (run as a subprocess, as a user runs it) must count one more failure in the category
the corruption belongs to.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
CHECKER = ROOT / "benchmarks" / "fidelity"
SPEC = ROOT / "tests" / "fixtures" / "library-3.0.yaml"
READ = "books/get-books-isbn.md"
LEND = "books/post-loans.md"
CATEGORIES = (
    "parameters",
    "body_fields",
    "constraints",
    "responses",
    "headers",
    "examples",
    "samples",
    "table_rows",
)


def test_clean_output_scores_full_marks(results: dict[str, Any]) -> None:
    categories = results["clean"]["categories"]
    assert set(categories) == set(CATEGORIES)
    for name, data in categories.items():
        assert data["checked"] > 0, name
        assert data["failed"] == 0, (name, data["messages"])


def _edit(page: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(out: Path) -> None:
        path = out / page
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {page}: the fixture's output changed"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _drop_line(page: str, start: str) -> Callable[[Path], None]:
    def apply(out: Path) -> None:
        path = out / page
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.lstrip().startswith(start)]
        assert len(kept) == len(lines) - 1, f"no single line starts with {start!r} in {page}"
        path.write_text("".join(kept), encoding="utf-8")

    return apply


CORRUPTIONS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "drop a parameter row": ("parameters", _drop_line(READ, "| `isbn` | path")),
    "change a parameter type": (
        "parameters", _edit(READ, "| path | string |", "| path | integer |"),
    ),
    "flip a parameter's required flag": (
        "parameters", _edit(READ, "| string | yes |", "| string | no |"),
    ),
    "drop a constraint": ("constraints", _edit(READ, "pattern `^[0-9]{13}$`", "")),
    "drop an enum value": ("constraints", _edit(READ, ', `"lost"`', "")),
    "raw pipe in a cell": ("table_rows", _edit(LEND, "| Card number |", "| Card | number |")),
    "remove a status heading": ("responses", _edit(READ, "### 404 Not found", "### Not found")),
    "remove a response header row": ("headers", _drop_line(LEND, "| `Location` |")),
    "break an example's JSON": ("examples", _edit(READ, '"loans": []', '"loans": [],,')),
    "example violates its schema": (
        "examples", _edit(LEND, '  "due": "2024-06-01",', '  "due": 42,'),
    ),
    "placeholder instead of the spec's example": (
        "examples", _edit(READ, '"Nineteen Eighty-Four"', '"string"'),
    ),
    "wrong Content-Type in a sample": (
        "samples",
        _edit(LEND, "-H 'Content-Type: application/json'", "-H 'Content-Type: text/plain'"),
    ),
    "sample without its body": ("samples", _drop_line(LEND, "json={")),
    "drop a body field": ("body_fields", _drop_line(LEND, "| <code>member</code>")),
    "change a body field type": (
        "body_fields",
        _edit(LEND, "| <code>due</code> | string (date) |", "| <code>due</code> | integer |"),
    ),
    "flip a body field's required mark": (
        "body_fields", _edit(LEND, "| <code>isbn</code> *required* |", "| <code>isbn</code> |"),
    ),
}  # fmt: skip


# One child process checks every folder: it loads check.py as a script would and proves, on
# the way out, that nothing of `generator` was imported.
DRIVER = """
import json, runpy, sys
from pathlib import Path
check = runpy.run_path(sys.argv[1], run_name="fidelity_check")["check"]
folders = json.loads(sys.argv[3])
results = {name: check(Path(sys.argv[2]), Path(folder)) for name, folder in folders.items()}
results["generator imported"] = sorted(m for m in sys.modules if m.split(".")[0] == "generator")
print(json.dumps(results))
"""


def _generate(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--spec", str(SPEC), "--out", str(out),
         "--base-url", "https://api.example.com"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Checker results for the clean output ("clean") and for each corrupted copy."""
    work = tmp_path_factory.mktemp("fidelity")
    clean = work / "clean"
    _generate(clean)
    folders = {"clean": str(clean)}
    for n, (name, (_category, corrupt)) in enumerate(sorted(CORRUPTIONS.items())):
        copy = work / f"corrupt-{n}"
        shutil.copytree(clean, copy)
        corrupt(copy)
        folders[name] = str(copy)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(CHECKER / "check.py"), str(SPEC), json.dumps(folders)],
        capture_output=True, text=True, check=False, cwd=work,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corruption_is_caught(name: str, results: dict[str, Any]) -> None:
    category, _corrupt = CORRUPTIONS[name]
    before = results["clean"]["categories"][category]
    after = results[name]["categories"][category]
    assert after["failed"] > before["failed"], (name, after)


def test_ten_different_corruptions_in_every_category() -> None:
    assert len(CORRUPTIONS) >= 10
    assert {category for category, _ in CORRUPTIONS.values()} == set(CATEGORIES)


def test_checker_does_not_import_generator(results: dict[str, Any]) -> None:
    assert results["generator imported"] == []
