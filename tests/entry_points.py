"""MkDocs finds the `restref` plugin through an entry point: make it this tree's.

An editable install records the entry points of the day it was made; after the plugin class
moves, MkDocs would load a module that no longer exists. The site tests read the entry points
from `pyproject.toml` instead, so they test this tree and its packaging declaration.
"""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
GROUP = "mkdocs.plugins"


def declared_plugins() -> dict[str, str]:
    """`name -> module:Class` of the MkDocs plugins that pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    plugins: dict[str, str] = project["entry-points"][GROUP]
    return plugins


def use_tree_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process: MkDocs' table of installed plugins gets this tree's entry points."""
    from mkdocs.config.base import get_schema
    from mkdocs.config.config_options import Plugins
    from mkdocs.config.defaults import MkDocsConfig

    plugins_option = dict(get_schema(MkDocsConfig))["plugins"]
    assert isinstance(plugins_option, Plugins)
    installed = plugins_option.installed_plugins
    for name, value in declared_plugins().items():
        monkeypatch.setitem(installed, name, EntryPoint(name, value, GROUP))


def child_environment(folder: Path) -> dict[str, str]:
    """For child processes: a `restref` distribution in `folder`, first on the path."""
    info = folder / "restref-0.0.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: restref\nVersion: 0.0.0\n")
    lines = [f"{name} = {value}" for name, value in declared_plugins().items()]
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n" + "\n".join(lines) + "\n")
    path = os.pathsep.join([str(folder), str(ROOT)])
    return {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1"}
