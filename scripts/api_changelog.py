r"""Write the site's "API changes" page from the two Prefect documents committed beside it.

    python scripts/api_changelog.py           # rewrite docs/changelog/prefect-3.8.8-to-3.9.1.md
    python scripts/api_changelog.py --check   # exit 1 when the page is not what it would write

The documents were exported with `restref export`, each in its own virtualenv with the same
FastAPI (0.150.0) and Pydantic (2.14.4), so that only Prefect differs between them:

    python3 -m venv /tmp/prefect38 && /tmp/prefect38/bin/pip install prefect==3.8.8 \
        fastapi==0.150.0 nh3 jinja2 referencing orjson pyyaml
    PYTHONPATH=. /tmp/prefect38/bin/python -m generator export \
        --app prefect.server.api.server:create_app \
        | gzip -n -9 > docs/changelog/prefect-3.8.8.json.gz

and the same with `.venv` (prefect 3.9.1) for `prefect-3.9.1.json.gz`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.diff import diff_documents  # noqa: E402  (after the path is set)
from generator.diff.report import to_markdown  # noqa: E402
from generator.diff.sources import load_source  # noqa: E402

FOLDER = ROOT / "docs" / "changelog"
OLD, NEW = "3.8.8", "3.9.1"
PAGE = FOLDER / f"prefect-{OLD}-to-{NEW}.md"
INTRO = f"""\
The changes to Prefect's REST API between Prefect {OLD} and {NEW}, from the client's point of
view, as `restref diff` finds them in the two OpenAPI documents
([{OLD}](prefect-{OLD}.json.gz), [{NEW}](prefect-{NEW}.json.gz)). A change is *breaking* when a
client that worked with {OLD} can fail with {NEW} (a request the server now refuses, a response
it cannot read), a *warning* when some clients may, and *other* when none can. Descriptions
and other wording are not compared. Each endpoint links to its page in this reference.
"""


def page_text() -> str:
    """The page, from the committed documents."""
    old = load_source(str(FOLDER / f"prefect-{OLD}.json.gz"))
    new = load_source(str(FOLDER / f"prefect-{NEW}.json.gz"))
    text = to_markdown(
        diff_documents(old, new), link_base="../reference/", title=f"API changes: {OLD} → {NEW}"
    )
    heading, rest = text.split("\n\n", 1)
    return f"{heading}\n\n{INTRO}\n{rest}"


def main(argv: list[str]) -> int:
    """Write the page, or with `--check` only compare it; 1 when it is stale."""
    text = page_text()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"stale: {PAGE.relative_to(ROOT)}", file=sys.stderr)
            return 1
        return 0
    PAGE.write_bytes(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
