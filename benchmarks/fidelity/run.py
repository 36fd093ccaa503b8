"""Generate every cached corpus document with restref (a subprocess) and check the pages.

    python benchmarks/fidelity/run.py [NAME ...] [--cache DIR] [--json] [--keep DIR]

Documents come from `benchmarks/corpus/sources.json` (run `benchmarks/corpus/fetch.py`
first). A generation that exits non-zero or times out is reported as a crash and not checked.
Exits 1 when any document crashed or any item failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"
sys.path[:0] = [str(HERE), str(CORPUS)]

from check import check  # noqa: E402 - script directories
from fetch import DEFAULT_CACHE, load_sources  # noqa: E402
from report import as_json, failures, markdown  # noqa: E402


def _corpus_runner() -> ModuleType:
    """benchmarks/corpus/run.py (same file name as this one), for its child-process runner."""
    spec = importlib.util.spec_from_file_location("corpus_run", CORPUS / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run_one(
    name: str, doc: Path, work: Path, timeout: float, restref: list[str] | None = None
) -> dict[str, Any]:
    """Generate one document into `work/name` and check it."""
    runner = sys.modules.get("corpus_run") or _corpus_runner()
    out = work / name
    command = restref or runner.restref_command()
    cmd = [*command, "generate", "--spec", str(doc), "--out", str(out)]
    cmd += ["--base-url", "https://api.example.com"]
    code, stderr, seconds, _peak = runner.run_child(cmd, timeout, 8192, work)
    if code != 0:
        last = (stderr.strip().splitlines() or ["(no output)"])[-1]
        kind = "timeout" if code is None else f"exit {code}"
        return as_json(name, {}, crash=f"{kind}: {last}")
    start = time.monotonic()
    try:
        result = check(doc, out, name)
    except Exception as exc:  # a checker bug must not end the corpus run
        return as_json(name, {}, crash=f"checker: {type(exc).__name__}: {exc}"[:200])
    result["seconds"] = {"generate": round(seconds, 1), "check": round(time.monotonic() - start, 1)}
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these documents (default: all)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--keep", type=Path, help="keep the generated folders here")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--restref", help="command that runs restref (default: as benchmarks/corpus/run.py)"
    )
    args = parser.parse_args(argv)
    sources = [s for s in load_sources() if not args.names or s.name in args.names]
    results = []
    with tempfile.TemporaryDirectory(prefix="restref-fidelity-") as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for source in sources:
            doc = args.cache.expanduser() / "docs" / source.filename
            if not doc.exists():
                results.append(as_json(source.name, {}, crash="not fetched"))
                continue
            restref = shlex.split(args.restref) if args.restref else None
            results.append(run_one(source.name, doc, work, args.timeout, restref))
            saved = work / f"{source.name}.result.json"  # a long run can be read as it goes
            saved.write_text(json.dumps(results[-1], indent=2), encoding="utf-8")
            print(f"{source.name}: done", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(markdown(results), end="")
        print(failures(results), end="")
    bad = any(r["crash"] or any(c["failed"] for c in r["categories"].values()) for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
