"""Golden-file comparison; `RESTREF_UPDATE_GOLDEN=1 pytest` rewrites the files."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import UPDATE_GOLDEN

UPDATE_COMMAND = (
    "RESTREF_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py tests/test_filters.py"
)


def check_tree(folder: Path, files: dict[str, str]) -> None:
    """Compare `files` (relative path -> text) with the golden folder, or rewrite it."""
    if UPDATE_GOLDEN:
        for old in folder.rglob("*"):
            if old.is_file() and old.relative_to(folder).as_posix() not in files:
                old.unlink()
        for name, text in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return
    expected = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    hint = f"golden files differ; if the change is intended, run: {UPDATE_COMMAND}"
    assert sorted(files) == sorted(expected), hint
    for name, text in files.items():
        assert text == expected[name], f"{name}: {hint}"
