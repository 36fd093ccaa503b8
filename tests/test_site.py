"""Whole sites built by MkDocs: this repository's, the plugin on a fixture, `restref build`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_repository_site_builds_strict_with_a_page_per_operation(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = run("mkdocs", "build", "--strict", "--site-dir", site)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    manifest_pages = json.loads(
        run("generator", "export", "--app", "prefect.server.api.server:create_app").stdout
    )
    operations = [(p, m) for p, item in manifest_pages["paths"].items() for m in item]
    html = list((site / "reference").glob("*/*/index.html"))
    # one folder per operation page (`<tag>/<op>/index.html`) plus the schema pages
    operation_pages = [p for p in html if p.parent.parent.name != "schemas"]
    assert len(operation_pages) == len(operations) == 188
    page = (site / "reference" / "flows" / "post-flows-filter" / "index.html").read_text()
    assert "/flows/filter" in page and "read_flows_flows_filter_post" in page
    assert (site / "using" / "api" / "index.html").read_text().count("generate_pages") >= 1
    assert not (ROOT / "docs" / "reference").exists()  # nothing is written into docs_dir


def test_plugin_adds_pages_and_navigation_to_a_users_site(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee the [API](api/index.md).\n")
    config = {
        "site_name": "Library docs",
        "theme": {"name": "material"},
        "plugins": [{"restref": {"spec": str(FIXTURES / "library-3.0.yaml"), "out": "api"}}],
        "nav": [{"Home": "index.md"}, {"API": "api/"}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    done = run("mkdocs", "build", "--strict", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "api" / "books" / "get-books-isbn" / "index.html").read_text()
    assert "/books/{isbn}" in page
    home = (tmp_path / "site" / "index.html").read_text()
    assert "Read a book" in home  # the generated navigation is in every page's nav
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["index.md"]


def test_restref_build_makes_a_complete_site(tmp_path: Path) -> None:
    done = run(
        "generator",
        "build",
        "--app",
        "tests.fixtures.shop_app:app",
        "--site-dir",
        tmp_path / "site",
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "items" / "post-items" / "index.html").is_file()
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
