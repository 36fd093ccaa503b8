"""Check a restref output folder against the OpenAPI document it was generated from.

    python benchmarks/fidelity/check.py SPEC OUTDIR [--json] [--name NAME]

Independent of restref: it reads the document itself and the pages as Python-Markdown renders
them; operations are mapped to pages through `OUTDIR/.restref-manifest.json`. Prints a
Markdown table (or JSON) of checked items, failures and percent per category. Exits 1 when
any item failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import Checker
from page import read_html
from report import as_json, failures, markdown
from spec import Doc, load

MANIFEST = ".restref-manifest.json"


def pages_by_operation(out: Path) -> tuple[dict[tuple[str, str], str], list[str]]:
    """(METHOD, path) -> page, and every Markdown file the manifest lists."""
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    pages = {}
    for entry in data.get("operations") or []:
        if isinstance(entry, dict) and "page" in entry:
            pages[(str(entry["method"]).upper(), str(entry["path"]))] = str(entry["page"])
    files = [f for f in (data.get("files") or {}) if str(f).endswith(".md")]
    return pages, files


def check(spec: Path, out: Path, name: str = "") -> dict[str, Any]:
    """One document's results (see `report.as_json`)."""
    doc = Doc(load(spec))
    checker = Checker(doc)
    pages, files = pages_by_operation(out)
    for relative in files:
        checker.tables((out / relative).read_text(encoding="utf-8"), relative)
    for op in doc.operations():
        where = f"{op.method} {op.path}"
        page = pages.get((op.method, op.path))
        if page is None or not (out / page).is_file():
            checker.missing(op, where)
            continue
        checker.operation(op, read_html((out / page).read_text(encoding="utf-8")), where)
    return as_json(name or spec.stem, checker.tally)


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--name", default="", help="document name in the report")
    args = parser.parse_args(argv)
    result = check(args.spec, args.out, args.name)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(markdown([result]), end="")
        print(failures([result]), end="")
    return 1 if any(c["failed"] for c in result["categories"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
