"""Per-document results: checked, failed and percent per category; Markdown and JSON."""

from __future__ import annotations

from typing import Any

from checks import CATEGORIES, Tally

SHORT = {
    "parameters": "params",
    "body_fields": "fields",
    "constraints": "constr.",
    "responses": "resp.",
    "headers": "headers",
    "examples": "examples",
    "samples": "samples",
    "table_rows": "rows",
}


def percent(t: Tally) -> float:
    """Share of items that passed; 100 when nothing was checked."""
    return 100.0 if t.checked == 0 else 100.0 * (t.checked - t.failed) / t.checked


def as_json(name: str, tally: dict[str, Tally], crash: str = "") -> dict[str, Any]:
    """One document's results as plain data."""
    return {
        "name": name,
        "crash": crash,
        "categories": {
            c: {
                "checked": t.checked,
                "failed": t.failed,
                "percent": round(percent(t), 2),
                "messages": t.messages,
            }
            for c, t in tally.items()
        },
    }


def _cell(data: dict[str, Any]) -> str:
    if data["checked"] == 0:
        return "-"
    shown = f"{data['percent']:.1f}" if data["failed"] else "100"
    return f"{shown} ({data['failed']}/{data['checked']})"


def markdown(results: list[dict[str, Any]]) -> str:
    """A Markdown table: one row per document, `percent (failed/checked)` per category."""
    head = "| document | " + " | ".join(SHORT[c] for c in CATEGORIES) + " |"
    lines = [head, "|---|" + "--:|" * len(CATEGORIES)]
    for r in results:
        if r["crash"]:
            padding = " |" * (len(CATEGORIES) - 1)
            lines.append(f"| {r['name']} | crash: {r['crash'][:60]} |{padding}")
            continue
        cells = " | ".join(_cell(r["categories"][c]) for c in CATEGORIES)
        lines.append(f"| {r['name']} | {cells} |")
    return "\n".join(lines) + "\n"


def failures(results: list[dict[str, Any]]) -> str:
    """The sample failure messages of every document, by category."""
    out = [
        f"- {r['name']} [{c}] {message}"
        for r in results
        for c in CATEGORIES
        for message in r["categories"].get(c, {}).get("messages", [])
    ]
    return "\n".join(out) + ("\n" if out else "")


def main(argv: list[str] | None = None) -> int:
    """Print the Markdown table of JSON results saved by `run.py --json` / `check.py --json`."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--failures", action="store_true", help="also list failure messages")
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    for path in args.files:
        data = json.loads(path.read_text(encoding="utf-8"))
        results += data if isinstance(data, list) else [data]
    print(markdown(results), end="")
    if args.failures:
        print(failures(results), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
