"""Corpus documents exported from real FastAPI apps installed from PyPI (registry `fastapi`).

Each app gets its own virtual environment, `<cache>/apps/<name>/`, made with `venv` and
filled with `pip install <package>==<version>` plus the source's `requires` and restref's own
runtime dependencies (read from pyproject.toml). The document is then exported with that
environment's Python running `python -m generator export --app <member>` from this checkout
(`PYTHONPATH=<repo>`), in an empty temporary folder that is also `HOME`, with the source's
`env` added. The project's own virtual environment is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parents[2]
MARKER = ".restref-corpus-installed"
EXPORT_TIMEOUT = 600


class AppSource(Protocol):
    """The fields of a `fetch.Source` this module reads (a frozen dataclass: read-only)."""

    @property
    def name(self) -> str: ...
    @property
    def package(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def member(self) -> str: ...
    @property
    def requires(self) -> tuple[str, ...]: ...
    @property
    def env(self) -> tuple[tuple[str, str], ...]: ...


def restref_dependencies() -> list[str]:
    """restref's runtime requirements, so that `python -m generator export` imports."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [str(d) for d in data["project"]["dependencies"]]


def requirements(source: AppSource) -> list[str]:
    """What goes into the app's environment: the pinned app, its fixes, restref's needs."""
    return [f"{source.package}=={source.version}", *source.requires, *restref_dependencies()]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False,
        timeout=EXPORT_TIMEOUT,
    )  # fmt: skip
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"`{' '.join(cmd[:6])}` exited {proc.returncode}: {' | '.join(tail)}")


def environment(source: AppSource, cache: Path) -> Path:
    """The Python of the app's environment, installing it when missing or out of date."""
    venv = cache / "apps" / source.name
    python = venv / "bin" / "python"
    wanted = "\n".join(requirements(source)) + "\n"
    marker = venv / MARKER
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return python
    if not python.exists():
        _run([sys.executable, "-m", "venv", str(venv)], cwd=cache)
    _run([str(python), "-m", "pip", "install", "-q", *requirements(source)], cwd=cache)
    marker.write_text(wanted, encoding="utf-8")
    return python


def export(source: AppSource, cache: Path) -> bytes:
    """The app's OpenAPI document, exported by `restref export` in the app's environment."""
    python = environment(source, cache)
    with tempfile.TemporaryDirectory(prefix=f"restref-app-{source.name}-") as tmp:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "PYTHONPATH": str(REPO)}
        env.update(dict(source.env))
        out = Path(tmp) / "openapi.json"
        cmd = [str(python), "-m", "generator", "export", "--app", source.member, "-o", str(out)]
        _run(cmd, cwd=Path(tmp), env=env)
        return out.read_bytes()
