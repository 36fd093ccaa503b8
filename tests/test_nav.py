"""Golden cases for the reference's navigation (`generator.site.nav`).

Each `tests/golden/nav/<case>.yml` holds the input (`openapi`, `out`, optional `extra_pages` and
`site_nav`, the user's `nav` with its placeholder) and the `expected` result. After an intended
change, rewrite the `expected` values and review the diff:

    RESTREF_UPDATE_GOLDEN=1 python -m pytest tests/test_nav.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model.api import build_api
from generator.pipeline import NavPage
from generator.site import nav
from tests.conftest import GOLDEN, UPDATE_GOLDEN

CASES = sorted((GOLDEN / "nav").glob("*.yml"))
UPDATE_COMMAND = "RESTREF_UPDATE_GOLDEN=1 python -m pytest tests/test_nav.py"


def navigation(case: dict[str, Any]) -> Any:
    """What the plugin would put in `config.nav` for this case."""
    prefix = nav.folder_prefix(case["out"])
    extra = [NavPage(**page) for page in case.get("extra_pages", [])]
    reference = nav.reference_nav(build_api(case["openapi"]), prefix, extra)
    if "site_nav" not in case:
        return reference
    return nav.replace_placeholder(case["site_nav"], prefix, reference)


def test_every_case_is_there() -> None:
    names = {case.stem for case in CASES}
    assert {"plain", "untagged", "webhooks", "guide", "multi_tag", "nested_placeholder"} <= names
    assert {"no_placeholder", "hostile_titles", "untitled_placeholder"} <= names


@pytest.mark.parametrize("path", CASES, ids=[case.stem for case in CASES])
def test_navigation_matches_golden_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = navigation(case)
    if UPDATE_GOLDEN:
        case["expected"] = result
        text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")
        return
    assert "expected" in case, f"{path.name}: no expected value; run: {UPDATE_COMMAND}"
    assert result == case["expected"], f"{path.name} differs; if intended, run: {UPDATE_COMMAND}"


def test_titles_from_the_spec_cannot_be_markup() -> None:
    case = yaml.safe_load((GOLDEN / "nav" / "hostile_titles.yml").read_text(encoding="utf-8"))
    titles: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for title, value in item.items():
                titles.append(title)
                walk(value)

    walk(navigation(case))
    assert len(titles) >= 6
    for title in titles:
        assert not set("<>\"'\n") & set(title), title


def test_a_nav_without_placeholder_is_returned_unchanged() -> None:
    site_nav = [{"Home": "index.md"}, {"Ref": "reference/index.md"}, "other.md"]
    assert nav.replace_placeholder(site_nav, "reference/", [{"X": "x.md"}]) == site_nav
