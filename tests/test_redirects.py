"""Links that never die: pages that move or go get a ledger entry and a redirect page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main

pytestmark = pytest.mark.slow  # one test builds a site with MkDocs


def document(*operations: tuple[str, str, str]) -> dict[str, Any]:
    """An API with one GET per (tag, path, summary)."""
    paths: dict[str, Any] = {}
    for tag, path, summary in operations:
        paths[path] = {
            "get": {"tags": [tag], "summary": summary, "responses": {"200": {"description": "ok"}}}
        }
    return {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}


def generate(tmp_path: Path, out: Path, doc: dict[str, Any], *extra: str) -> int:
    spec = tmp_path / f"spec-{len(list(tmp_path.glob('spec-*')))}.json"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    return main(["generate", "--spec", str(spec), "--out", str(out), *extra])


def redirects(out: Path) -> dict[str, str]:
    manifest = json.loads((out / ".restref-manifest.json").read_text(encoding="utf-8"))
    found: dict[str, str] = manifest["redirects"]
    return found


def refresh_target(page: Path) -> str:
    match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page.read_text("utf-8"))
    assert match, page.read_text("utf-8")
    return match[1]


V1 = document(("Flows", "/flows", "List flows"), ("Flows", "/flows/old", "Old"))
V2 = document(("Runs", "/flows", "List flows"))  # moved to another tag; /flows/old removed


def test_a_moved_page_and_a_removed_one_redirect(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(tmp_path, out, V1) == 0
    assert redirects(out) == {}
    assert main(["generate", "--spec", str(tmp_path / "spec-0.json"), "--out", str(out)]) == 0
    spec = tmp_path / "spec-new.json"
    spec.write_text(json.dumps(V2), encoding="utf-8")
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--check"]) == 1
    assert generate(tmp_path, out, V2) == 0
    assert not (out / "flows" / "get-flows-old.md").exists()
    assert redirects(out) == {
        "flows/get-flows-old.md": "index.md",  # its tag is gone too: the reference's index
        "flows/get-flows.md": "runs/get-flows.md",
    }
    assert refresh_target(out / "flows" / "get-flows" / "index.html") == "../../runs/get-flows/"
    assert refresh_target(out / "flows" / "get-flows-old" / "index.html") == "../../"


def test_the_ledger_is_carried_over_and_chains_end_at_a_current_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(tmp_path, out, V1) == 0
    assert generate(tmp_path, out, V2) == 0
    v3 = document(("Jobs", "/flows", "List flows"))
    assert generate(tmp_path, out, v3) == 0
    assert redirects(out) == {
        "flows/get-flows-old.md": "index.md",
        "flows/get-flows.md": "jobs/get-flows.md",
        "runs/get-flows.md": "jobs/get-flows.md",
    }
    # The page comes back where it first was: its redirect goes, the page is there again.
    assert generate(tmp_path, out, V1) == 0
    assert "flows/get-flows.md" not in redirects(out)
    assert (out / "flows" / "get-flows.md").is_file()
    assert not (out / "flows" / "get-flows" / "index.html").exists()


def test_a_tampered_ledger_never_writes_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(tmp_path, out, V1) == 0
    manifest_file = out / ".restref-manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["redirects"] = {"../../evil.md": "index.md", "a.md": "../x.md", "b.md": "b.md"}
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    assert generate(tmp_path, out, V1) == 0
    assert redirects(out) == {"b.md": "index.md"}  # a cycle ends at the index
    assert not (tmp_path / "evil").exists()


def test_the_built_site_answers_the_old_url(tmp_path: Path) -> None:
    project = tmp_path / "project"
    out = project / "docs" / "reference"
    assert generate(tmp_path, out, V1) == 0
    assert generate(tmp_path, out, V2) == 0
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {"site_name": "T", "theme": {"name": "material"}}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    old = project / "site" / "reference" / "flows" / "get-flows" / "index.html"
    target = (old.parent / refresh_target(old)).resolve()
    assert target == (project / "site" / "reference" / "runs" / "get-flows").resolve()
    assert "List flows" in (target / "index.html").read_text(encoding="utf-8")
