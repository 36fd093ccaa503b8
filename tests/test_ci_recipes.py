"""The recipes users copy: the GitHub Actions workflow of `docs/using/ci.md`, run step by step,
and the pre-commit hooks of `.pre-commit-hooks.yaml`, run as pre-commit runs them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import FIXTURES
from tests.entry_points import ROOT, child_environment

pytestmark = pytest.mark.slow  # builds a site and publishes it with mike

CI_PAGE = ROOT / "docs" / "using" / "ci.md"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def workflow() -> dict[str, Any]:
    """The workflow shown under "Example job"."""
    section = CI_PAGE.read_text(encoding="utf-8").split("## Example job", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "no workflow in docs/using/ci.md"
    found: dict[str, Any] = yaml.safe_load(block[1])
    return found


def run(command: str, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository with a spec, a committed reference and `mkdocs.yml`; the tools on PATH."""
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    spec = yaml.safe_load((FIXTURES / "library-3.0.yaml").read_text(encoding="utf-8"))
    (root / "openapi.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Library\n", encoding="utf-8")
    config = {
        "site_name": "Library",
        "theme": {"name": "material"},
        "extra": {"version": {"provider": "mike"}},
        "markdown_extensions": ["tables", "attr_list", "admonition", "pymdownx.superfences"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = child_environment(tmp_path / "entry-points")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t")
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    generate = "restref generate --spec openapi.json --out docs/reference --base-url https://x.test"
    for command in ("git init -q -b main", generate, "git add -A", "git commit -qm reference"):
        done = run(command, root, env)
        assert done.returncode == 0, f"{command}: {done.stderr}"
    return root, env


def test_the_workflow_checks_builds_and_publishes_a_version(
    project: tuple[Path, dict[str, str]],
) -> None:
    root, env = project
    steps = workflow()["jobs"]["reference"]["steps"]
    commands = [step for step in steps if "run" in step]
    assert [s["name"].split()[0] for s in commands] == ["Install", "Check", "Build", "Publish"]
    env = {**env, "GITHUB_REF_NAME": "v1.2.0"}
    ran = 0
    for step in commands[1:]:  # the install step is what this test environment already is
        script = step["run"].replace(" --push", "")  # no remote to push to here
        done = run(script, root, env)
        assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
        ran += 1
    assert ran == 3
    assert "as in the previous run" in run(commands[1]["run"], root, env).stderr
    published = run("git ls-tree -r --name-only gh-pages", root, env).stdout.split()
    assert "1.2.0/index.html" in published
    assert "1.2.0/reference/books/get-books-isbn/index.html" in published
    assert "versions.json" in published
    versions = json.loads(run("git show gh-pages:versions.json", root, env).stdout)
    assert versions[0]["version"] == "1.2.0"
    assert versions[0]["aliases"] == ["latest"]


def test_the_check_step_fails_on_a_stale_reference(project: tuple[Path, dict[str, str]]) -> None:
    root, env = project
    check = next(
        s for s in workflow()["jobs"]["reference"]["steps"] if s.get("name", "").startswith("Check")
    )
    spec = json.loads((root / "openapi.json").read_text(encoding="utf-8"))
    spec["info"]["title"] = "Library v2"
    (root / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    done = run(check["run"], root, env)
    assert done.returncode == 1
    assert "stale: docs/reference/index.md" in done.stdout


@pytest.mark.parametrize(("hook_id", "status"), [("restref-check", 1), ("restref-generate", 0)])
def test_the_pre_commit_hooks_run_as_pre_commit_runs_them(
    project: tuple[Path, dict[str, str]], hook_id: str, status: int
) -> None:
    root, env = project
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    hook = hooks[hook_id]
    assert hook["pass_filenames"] is False
    assert hook["always_run"] is True
    args = ["--spec", "openapi.json", "--out", "docs/reference"]  # as in the page's example
    command = shlex.join([*shlex.split(hook["entry"]), *args])
    assert run(command, root, env).returncode == 0  # current: both pass
    (root / "openapi.json").write_text(
        (root / "openapi.json").read_text(encoding="utf-8").replace("Library", "Library v2"),
        encoding="utf-8",
    )
    assert run(command, root, env).returncode == status
    if hook_id == "restref-generate":
        assert "Library v2" in (root / "docs" / "reference" / "index.md").read_text("utf-8")
        assert (
            run(hooks["restref-check"]["entry"] + " " + shlex.join(args), root, env).returncode == 0
        )
