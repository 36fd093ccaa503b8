"""Run `restref generate` over every cached corpus document and classify each run.

    python benchmarks/corpus/run.py [--cache DIR] [--timeout S] [--json] [NAME ...]

Results:
- ok: exit 0, and `<out>/.restref-manifest.json` lists every operation of the document
- clear error: exit 2, exactly one stderr line, starting with `error: `, and no traceback
- crash: anything else (other exit codes, timeouts, missing operations, tracebacks)

Exits 1 when any document crashed, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from fetch import DEFAULT_CACHE, Source, load_document, load_sources, operations, spec_version

REPO = Path(__file__).resolve().parents[2]
MANIFEST = ".restref-manifest.json"
OK, CLEAR, CRASH = "ok", "clear error", "crash"


@dataclass
class Result:
    name: str
    spec: str
    format: str
    operations: int
    result: str
    seconds: float
    peak_mb: float
    detail: str


def restref_command() -> list[str]:
    """The console script if installed, else `python -m generator` from this checkout."""
    for candidate in (shutil.which("restref"), Path(sys.executable).with_name("restref")):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    sys.path.insert(0, str(REPO))
    try:
        if find_spec("generator") is not None:
            return [sys.executable, "-m", "generator"]
    finally:
        sys.path.remove(str(REPO))
    return ["restref"]  # not found: every run is reported as a crash


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_child(
    cmd: list[str], timeout: float, memory_mb: int, workdir: Path
) -> tuple[int | None, str, float, float]:
    """(exit code or None on timeout, stderr, seconds, peak RSS in MB) of one child.

    `os.wait4` gives the child's own rusage, so peak RSS is per document, not the running
    maximum that RUSAGE_CHILDREN would report.
    """
    err_path = workdir / "stderr.txt"
    env = dict(os.environ)
    if cmd[1:3] == ["-m", "generator"]:  # run from the checkout
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    start = time.monotonic()
    with err_path.open("wb") as err:
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=workdir,
                env=env,
                start_new_session=True,
                # The limit is for the child alone; this runner starts no threads.
                preexec_fn=lambda: _limit_memory(memory_mb),  # noqa: PLW1509
            )
        except OSError as exc:
            return 127, f"cannot start {cmd[0]}: {exc.strerror}", 0.0, 0.0
        code: int | None = None
        usage: Any = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _pid, _status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = code if code is not None else -signal.SIGKILL  # reaped by wait4
    seconds = time.monotonic() - start
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return code, stderr, seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def _listed(manifest: Path) -> tuple[set[tuple[str, str]], int] | str:
    """(METHOD, path) pairs the manifest lists and its entry count, or why it is unreadable."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"no {MANIFEST}"
    except (OSError, ValueError) as exc:
        return f"unreadable {MANIFEST}: {exc}"
    entries = data.get("operations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return f"{MANIFEST} has no operations list"
    pairs: set[tuple[str, str]] = set()
    for entry in entries:
        method = path = None
        if isinstance(entry, dict):
            lower = {str(k).lower(): v for k, v in entry.items()}
            method, path = lower.get("method"), lower.get("path")
        elif isinstance(entry, str) and " " in entry:
            method, path = entry.split(" ", 1)
        elif isinstance(entry, list | tuple) and len(entry) >= 2:
            method, path = entry[0], entry[1]
        if isinstance(method, str) and isinstance(path, str):
            pairs.add((method.upper(), path))
    return pairs, len(entries)


def classify(
    code: int | None, stderr: str, out: Path, expected: list[tuple[str, str]], timeout: float
) -> tuple[str, str]:
    """(result, detail) of one run."""
    if code != 0:
        return _classify_failure(code, stderr, timeout)
    return _classify_output(out, expected)


def _classify_failure(code: int | None, stderr: str, timeout: float) -> tuple[str, str]:
    """A run that timed out or exited non-zero: a clear one-line error, or a crash."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    if code is None:
        return CRASH, f"timeout after {timeout:g}s"
    if "Traceback" in stderr:
        return CRASH, f"exit {code}, traceback: {(lines or [''])[-1][:120]}"
    if code == 2 and len(lines) == 1 and lines[0].startswith("error: "):
        return CLEAR, lines[0][:160]
    return CRASH, f"exit {code}, {len(lines)} stderr lines: {(lines or [''])[-1][:120]}"


def _classify_output(out: Path, expected: list[tuple[str, str]]) -> tuple[str, str]:
    """A run that exited 0: its manifest must list every expected operation."""
    listed = _listed(out / MANIFEST)
    if isinstance(listed, str):
        return CRASH, f"exit 0 but {listed}"
    pairs, count = listed
    want = set(expected)
    if not pairs and count:  # entries are not method/path pairs: only the count is checked
        if count >= len(want):
            return OK, f"{count} manifest entries (count only)"
        return CRASH, f"manifest lists {count} of {len(want)} operations (count only)"
    missing = sorted(want - pairs)
    if missing:
        method, path = missing[0]
        return CRASH, f"manifest lacks {len(missing)} of {len(want)}, e.g. {method} {path}"
    return OK, ""


def run_one(
    source: Source, doc: Path, cmd: list[str], tmp: Path, timeout: float, memory_mb: int
) -> Result:
    parsed = load_document(doc)
    expected, _unresolved = operations(parsed)
    workdir = tmp / source.name
    workdir.mkdir()
    out = workdir / "site"
    args = [*cmd, "generate", "--spec", str(doc), "--out", str(out)]
    code, stderr, seconds, peak = run_child(args, timeout, memory_mb, workdir)
    result, detail = classify(code, stderr, out, expected, timeout)
    return Result(
        name=source.name,
        spec=spec_version(parsed),
        format=source.format,
        operations=len(expected),
        result=result,
        seconds=round(seconds, 2),
        peak_mb=round(peak, 1),
        detail=detail,
    )


def markdown(results: list[Result]) -> str:
    head = "| name | spec | format | operations | result | seconds | peak MB | detail |"
    rows = [head, "|---|---|---|--:|---|--:|--:|---|"]
    for r in results:
        detail = r.detail.replace("|", "\\|")
        rows.append(
            f"| {r.name} | {r.spec} | {r.format} | {r.operations} | {r.result} "
            f"| {r.seconds:.2f} | {r.peak_mb:.0f} | {detail} |"
        )
    return "\n".join(rows)


def summary(results: list[Result]) -> str:
    counts = {k: sum(r.result == k for r in results) for k in (OK, CLEAR, CRASH)}
    return f"{counts[OK]} ok, {counts[CLEAR]} clear error, {counts[CRASH]} crash"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these documents (default: all cached)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="cache folder")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per document")
    parser.add_argument("--memory-mb", type=int, default=8192, help="address-space cap, 0: none")
    parser.add_argument("--keep", type=Path, help="write the sites here instead of a temp dir")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--restref", help="command to run instead of the installed restref")
    args = parser.parse_args(argv)
    docs = args.cache.expanduser().resolve() / "docs"
    sources = [s for s in load_sources() if not args.names or s.name in args.names]
    unknown = sorted(set(args.names) - {s.name for s in sources})
    if unknown:
        print(f"error: not in sources.json: {', '.join(unknown)}", file=sys.stderr)
        return 2
    present = [(s, docs / s.filename) for s in sources if (docs / s.filename).exists()]
    missing = [s.name for s in sources if not (docs / s.filename).exists()]
    if missing:
        print(f"warning: not cached, run fetch.py: {', '.join(missing)}", file=sys.stderr)
    if not present:
        print(f"error: no documents in {docs}; run fetch.py first", file=sys.stderr)
        return 2
    cmd = shlex.split(args.restref) if args.restref else restref_command()
    print(f"command: {' '.join(cmd)}", file=sys.stderr)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        tmp_ctx: Any = None
        tmp = Path(tempfile.mkdtemp(prefix="run-", dir=args.keep))
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="restref-corpus-")
        tmp = Path(tmp_ctx.name)
    results: list[Result] = []
    try:
        for source, doc in present:
            result = run_one(source, doc, cmd, tmp, args.timeout, args.memory_mb)
            results.append(result)
            print(f"{result.name}: {result.result} {result.seconds:.1f}s", file=sys.stderr)
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    if args.json:
        payload = {"command": cmd, "results": [asdict(r) for r in results]}
        payload["summary"] = summary(results)
        print(json.dumps(payload, indent=2))
    else:
        print(markdown(results))
        print()
        print(summary(results))
    return 1 if any(r.result == CRASH for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
