"""The site's "API changes" page is what `scripts/api_changelog.py` writes, byte for byte."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "api_changelog", ROOT / "scripts" / "api_changelog.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("api_changelog", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_committed_page_is_regenerated_byte_for_byte() -> None:
    script = _script()
    committed = script.PAGE.read_bytes()
    assert committed.startswith(b"# API changes: 3.8.8 \xe2\x86\x92 3.9.1\n")
    assert script.page_text().encode("utf-8") == committed, (
        "regenerate it: python scripts/api_changelog.py"
    )
    assert script.main(["--check"]) == 0


def test_the_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "changelog/prefect-3.8.8-to-3.9.1.md" in nav
    assert (ROOT / "docs" / "changelog" / "prefect-3.8.8-to-3.9.1.md").is_file()
