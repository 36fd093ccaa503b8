"""Whole sites: this repository's (the README's `mkdocs build --strict`) and `restref build`.

The repository's site is built the way the README says, in a child process; `restref build`
runs in this process through `cli.main`. The plugin's own behaviour is in `test_plugin.py`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import FIXTURES
from tests.entry_points import ROOT, child_environment, use_tree_plugin

pytestmark = pytest.mark.slow
LIBRARY = FIXTURES / "library-3.0.yaml"


def test_repository_site_builds_strict_with_a_page_per_operation(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=child_environment(tmp_path / "entry-points"),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    # The published document is the one the pages were made from.
    document = json.loads((site / "reference" / "openapi.json").read_text(encoding="utf-8"))
    assert document["info"]["title"] == "Prefect REST API"
    operations = [(p, m) for p, item in document["paths"].items() for m in item]
    html = list((site / "reference").glob("*/*/index.html"))
    # one folder per operation page (`<tag>/<op>/index.html`) plus the schema pages
    operation_pages = [p for p in html if p.parent.parent.name != "schemas"]
    assert len(operation_pages) == len(operations) == 188
    page = (site / "reference" / "flows" / "post-flows-filter" / "index.html").read_text()
    assert "/flows/filter" in page
    assert "read_flows_flows_filter_post" in page
    api_page = (site / "using" / "api" / "index.html").read_text()
    assert "generate_pages" in api_page
    assert "load_spec_file" in api_page
    assert not (ROOT / "docs" / "reference").exists()  # nothing is written into docs_dir


@pytest.fixture
def _tree_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tree_plugin(monkeypatch)


def build(site: Path, *extra: str) -> int:
    return main(["build", "--spec", str(LIBRARY), "--site-dir", str(site), *extra])


@pytest.mark.usefixtures("_tree_plugin")
def test_restref_build_makes_a_complete_site(tmp_path: Path) -> None:
    assert main(["build", "--app", "tests.fixtures.shop_app:app", "--site-dir", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "items" / "post-items" / "index.html").is_file()
    assert (tmp_path / "search" / "search_index.json").is_file()
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Switch to dark mode" in home  # the palette from `site.defaults`


@pytest.mark.usefixtures("_tree_plugin")
def test_restref_build_never_empties_a_folder_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert build(site) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: --site-dir {site}: ")
    assert "--force" in err[0]
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine\n"

    assert build(site, "--force") == 0
    assert (site / "books" / "get-books-isbn" / "index.html").is_file()
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine\n"  # adopted, not emptied


@pytest.mark.usefixtures("_tree_plugin")
def test_a_rebuild_keeps_the_users_files_and_drops_its_own_stale_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(site) == 0
    (site / "CNAME").write_text("docs.example.com\n", encoding="utf-8")
    (site / "books" / "extra.html").write_text("mine\n", encoding="utf-8")
    (site / "old-page").mkdir()
    stale = site / "old-page" / "index.html"
    stale.write_text("ours once\n", encoding="utf-8")
    manifest = json.loads((site / ".restref-manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["old-page/index.html"] = hashlib.sha256(b"ours once\n").hexdigest()
    (site / ".restref-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert build(site) == 0
    assert (site / "CNAME").read_text(encoding="utf-8") == "docs.example.com\n"
    assert (site / "books" / "extra.html").read_text(encoding="utf-8") == "mine\n"
    assert not stale.exists()


@pytest.mark.usefixtures("_tree_plugin")
def test_a_user_file_where_the_site_needs_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("my home page\n", encoding="utf-8")
    assert build(site, "--force") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [err[0]]
    assert err[0].startswith(f"error: {site / 'index.html'}: exists and was not written by restref")
    assert (site / "index.html").read_text(encoding="utf-8") == "my home page\n"


@pytest.mark.usefixtures("_tree_plugin")
def test_restref_build_rebuilds_its_own_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(site) == 0
    (site / "books" / "index.html").unlink()
    (site / ".git").mkdir()  # hidden entries are kept by MkDocs, and do not count
    assert build(site) == 0
    assert (site / "books" / "index.html").is_file()
    assert (site / ".git").is_dir()


@pytest.mark.usefixtures("_tree_plugin")
def test_restref_build_refuses_a_file_as_site_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "site"
    target.write_text("not a folder\n", encoding="utf-8")
    assert build(target) == 2
    assert capsys.readouterr().err == f"error: --site-dir {target}: not a folder\n"
