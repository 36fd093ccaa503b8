"""Benchmark restref against a floor: the least work that produces one page per operation.

Each scenario runs restref and its floor alternately (A B A B ...) in fresh child processes of
this interpreter, so interpreter start-up and imports count the same way for both. Wall-clock
time and peak RSS (from `os.wait4`) are taken per run; the table shows medians and their ratio.

    python benchmarks/bench.py                       # all scenarios, 5 rounds each
    python benchmarks/bench.py --scenarios spec --repeat 9 --json results.json
    python benchmarks/bench.py --profile             # where the time goes (spec scenario)

Scenarios (restref vs floor):

- spec: `restref generate --spec DOC --out TMP` vs `json.load(DOC)` + one trivial Jinja page
  per operation, each written to its own file.
- app:  `restref generate --app prefect.server.api.server:create_app --out TMP` vs import the
  module, `create_app()`, `app.openapi()`, + the same trivial page per operation.
- site: `mkdocs build` of this repository's site (the restref plugin loads the app) vs
  `mkdocs build` of a minimal Material site holding the floor's trivial pages (search only).

Only the standard library and Jinja2 are needed (plus restref, Prefect and MkDocs to run).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP = "prefect.server.api.server:create_app"
CHILD_ENV = {"PREFECT_UI_ENABLED": "false", "PYTHONHASHSEED": "0"}
SCENARIOS = ("spec", "app", "site")

# The floor: the document as a dict, then one trivial Jinja page per operation, each written to
# its own file. `spec` reads the file; `app` builds the document from the Prefect app instead.
FLOOR_SOURCE = """\
import json
import sys
from pathlib import Path

import jinja2

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(kind, source):
    if kind == "spec":
        with open(source, encoding="utf-8") as f:
            return json.load(f)
    module_name, _, attr = source.partition(":")
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)().openapi()


def main(kind, source, out):
    doc = load(kind, source)
    template = jinja2.Environment().from_string("# {{ method }} {{ path }}\\n{{ summary }}\\n")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            n += 1
            text = template.render(method=method.upper(), path=path, summary=op.get("summary", ""))
            (out / f"op-{n:04d}.md").write_text(text, encoding="utf-8")
    print(f"{n} pages", file=sys.stderr)


main(*sys.argv[1:])
"""

FLOOR_SITE_CONFIG = """\
site_name: floor
theme:
  name: material
  features:
    - navigation.indexes
    - navigation.sections
    - navigation.top
    - content.code.copy
    - content.tabs.link
    - search.suggest
    - search.highlight
markdown_extensions:
  - tables
  - attr_list
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - toc:
      permalink: true
plugins:
  - search
"""


@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system, the child's and its waited-for descendants'
    peak_rss_mb: float


@dataclass
class Side:
    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    def summary(self) -> dict[str, float]:
        return {
            "median_s": statistics.median(self.times),
            "min_s": min(self.times),
            "max_s": max(self.times),
            "median_cpu_s": statistics.median(r.cpu_seconds for r in self.runs),
            "median_peak_rss_mb": statistics.median(r.peak_rss_mb for r in self.runs),
        }


@dataclass
class Scenario:
    name: str
    restref: Side
    floor: Side
    cwd: Path


class ChildFailed(Exception):
    pass


def run_child(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run one child to completion: wall-clock seconds, CPU seconds and peak RSS.

    `os.wait4` reports the largest RSS of the child and of the descendants it waited for
    (Linux: RUSAGE_BOTH), so a grandchild that loads the app is counted, not summed.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-15:]
            raise ChildFailed(
                f"{' '.join(command)} exited with {child.returncode}:\n" + "\n".join(tail)
            )
    # ru_maxrss is in KiB on Linux, bytes on macOS
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Run(seconds, usage.ru_utime + usage.ru_stime, kib / 1024)


def fresh_dir(work: Path, prefix: str) -> Path:
    """A path that does not exist yet, under `work` (restref then creates and fills it)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=work)) / "out"


def export_document(work: Path, env: dict[str, str]) -> Path:
    doc = work / "prefect-openapi.json"
    print(f"exporting {APP} with `restref export` ...", file=sys.stderr)
    command = [sys.executable, "-m", "generator", "export", "--app", APP, "-o", str(doc)]
    run_child(command, REPO, env)
    return doc


def make_scenarios(
    names: Sequence[str], doc: Path, work: Path, env: dict[str, str]
) -> list[Scenario]:
    py = sys.executable
    floor = work / "floor.py"
    floor.write_text(FLOOR_SOURCE, encoding="utf-8")
    out = "{out}"  # replaced by a fresh folder on every run
    scenarios = []
    for name in names:
        if name == "spec":
            restref = [py, "-m", "generator", "generate", "--spec", str(doc), "--out", out]
            scenarios.append(
                Scenario(name, Side(restref), Side([py, str(floor), "spec", str(doc), out]), REPO)
            )
        elif name == "app":
            restref = [py, "-m", "generator", "generate", "--app", APP, "--out", out]
            scenarios.append(
                Scenario(name, Side(restref), Side([py, str(floor), "app", APP, out]), REPO)
            )
        elif name == "site":
            site = work / "floor-site"
            (site / "docs").mkdir(parents=True, exist_ok=True)
            (site / "mkdocs.yml").write_text(FLOOR_SITE_CONFIG, encoding="utf-8")
            run_child([py, str(floor), "spec", str(doc), str(site / "docs")], REPO, env)
            restref = [py, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", out]
            base = [py, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", out]
            scenarios.append(Scenario(name, Side(restref), Side(base), REPO))
        else:
            raise SystemExit(
                f"error: unknown scenario {name!r} (choose from {', '.join(SCENARIOS)})"
            )
    return scenarios


def measure(scenario: Scenario, repeat: int, warmup: int, work: Path, env: dict[str, str]) -> None:
    """Warm-up runs (not recorded), then `repeat` rounds of restref, floor, restref, floor ..."""
    for i in range(warmup + repeat):
        for label, side in (("restref", scenario.restref), ("floor", scenario.floor)):
            out = fresh_dir(work, f"{scenario.name}-{label}-")
            command = [str(out) if part == "{out}" else part for part in side.command]
            run = run_child(command, scenario.cwd, env)
            shutil.rmtree(out.parent, ignore_errors=True)
            tag = "warm-up" if i < warmup else f"round {i - warmup + 1}/{repeat}"
            print(
                f"  {scenario.name:5} {label:7} {tag:12} {run.seconds:7.3f} s "
                f"(CPU {run.cpu_seconds:7.3f} s) {run.peak_rss_mb:7.1f} MB",
                file=sys.stderr,
            )
            if i >= warmup:
                side.runs.append(run)


def table(scenarios: list[Scenario]) -> str:
    head = (
        "| scenario | restref median s | floor median s | ratio | restref min-max s "
        "| floor min-max s | ratio of mins | CPU s restref / floor (ratio) "
        "| peak RSS MB restref / floor | rounds |"
    )
    lines = [head, "|" + "---|" * 10]
    for s in scenarios:
        r, f = s.restref.summary(), s.floor.summary()
        lines.append(
            f"| {s.name} | {r['median_s']:.3f} | {f['median_s']:.3f} "
            f"| {r['median_s'] / f['median_s']:.2f}x "
            f"| {r['min_s']:.3f}-{r['max_s']:.3f} | {f['min_s']:.3f}-{f['max_s']:.3f} "
            f"| {r['min_s'] / f['min_s']:.2f}x "
            f"| {r['median_cpu_s']:.3f} / {f['median_cpu_s']:.3f} "
            f"({r['median_cpu_s'] / f['median_cpu_s']:.2f}x) "
            f"| {r['median_peak_rss_mb']:.0f} / {f['median_peak_rss_mb']:.0f} "
            f"| {len(s.restref.runs)} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "nproc": os.cpu_count(),
        "loadavg_1min": round(os.getloadavg()[0], 2),
        "restref_commit": _git("rev-parse", "--short", "HEAD"),
        "restref_dirty": bool(_git("status", "--porcelain", "--", "generator", "templates")),
    }


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


# -- profile mode -------------------------------------------------------------------------------


def stages(doc: Path, out: Path) -> dict[str, float]:
    """One generation, as `restref generate --spec` does it, timed stage by stage (seconds)."""
    clock = time.perf_counter
    t0 = clock()
    from generator.layout import MANIFEST, Page
    from generator.load import dump_document, load_spec_file
    from generator.model.api import build_api
    from generator.pipeline import manifest_text
    from generator.render.pages import RenderOptions, render_pages
    from generator.write import write_pages

    t1 = clock()
    data = load_spec_file(doc)
    t2 = clock()
    api = build_api(data)
    t3 = clock()
    pages, examples = render_pages(api, RenderOptions())
    t4 = clock()
    # the rest of generate_pages: openapi.json and the manifest (hashes of every page)
    text = dump_document(data)
    pages.append(Page("openapi.json", text))
    pages.append(Page(MANIFEST, manifest_text(api, text, pages, examples)))
    t5 = clock()
    write_pages(out, pages)
    t6 = clock()
    return {
        "import generator": t1 - t0,
        "load (load_spec_file)": t2 - t1,
        "model (build_api)": t3 - t2,
        "render (render_pages)": t4 - t3,
        "openapi.json + manifest": t5 - t4,
        "write (write_pages)": t6 - t5,
        "total": t6 - t0,
    }


def stage_child(doc: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="restref-bench-") as tmp:
        print(json.dumps(stages(doc, Path(tmp) / "out")))


def startup(command: list[str], repeat: int, env: dict[str, str]) -> float:
    return statistics.median(run_child(command, REPO, env).seconds for _ in range(repeat))


def profile(
    doc: Path, repeat: int, env: dict[str, str], top: int, dump: Path | None
) -> dict[str, Any]:
    py = sys.executable
    # 1. stage times, each run in a fresh process (cold, like the CLI)
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        child = subprocess.run(
            [py, __file__, "--stage-child", str(doc)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            tail = "\n".join(child.stderr.strip().splitlines()[-15:])
            raise ChildFailed(f"the stage-timing child exited with {child.returncode}:\n{tail}")
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"\nStage times, median of {repeat} fresh processes (spec scenario, {doc.name}):")
    for name, seconds in medians.items():
        share = 100 * seconds / medians["total"]
        print(f"  {name:26} {seconds:7.3f} s  {share:5.1f} %")

    # 2. interpreter start-up + imports, no work
    imports = {
        "python -c pass": [py, "-c", "pass"],
        "import json, jinja2 (floor)": [py, "-c", "import json, jinja2"],
        "import generator.cli (restref)": [py, "-c", "import generator.cli"],
    }
    start_times = {name: startup(cmd, repeat, env) for name, cmd in imports.items()}
    print(f"\nStart-up, median of {repeat} processes:")
    for name, seconds in start_times.items():
        print(f"  {name:32} {seconds:7.3f} s")

    # 3. cProfile of one in-process generation (generator imported first, untimed)
    import generator.cli  # noqa: F401

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="restref-bench-") as tmp:
        profiler.enable()
        stages(doc, Path(tmp) / "out")
        profiler.disable()
    if dump is not None:
        profiler.dump_stats(dump)
    reports = {}
    for key in ("cumulative", "tottime"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        reports[key] = stream.getvalue()
        print(f"\nTop {top} functions by {key} time (cProfile, in-process):")
        print(_trim_pstats(reports[key]))
    return {
        "stages_median_s": medians,
        "stage_runs": runs,
        "startup_s": start_times,
        **{f"profile_{k}": v for k, v in reports.items()},
    }


def _trim_pstats(text: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("ncalls"):
            return "\n".join(lines[i - 2 : i] + lines[i:]).rstrip()
    return text.rstrip()


# -- command line -------------------------------------------------------------------------------


def _scenario_list(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SCENARIOS)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenarios",
        type=_scenario_list,
        default=list(SCENARIOS),
        help="comma-separated, from spec,app,site (default: all)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="rounds per scenario (default 5)")
    parser.add_argument("--site-repeat", type=int, help="rounds for site (default: --repeat)")
    parser.add_argument("--warmup", type=int, default=1, help="unrecorded rounds (default 1)")
    parser.add_argument(
        "--doc", type=Path, help="OpenAPI JSON document (default: export Prefect's with restref)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="save the results as JSON")
    parser.add_argument(
        "--profile", action="store_true", help="profile the spec scenario's generation instead"
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument("--profile-out", type=Path, metavar="FILE", help="save the .prof file")
    parser.add_argument("--stage-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage_child:
        stage_child(args.stage_child)
        return 0
    env = {**os.environ, **CHILD_ENV}
    results: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="restref-bench-") as tmp:
        work = Path(tmp)
        try:
            doc = args.doc.resolve() if args.doc else export_document(work, env)
            results["doc"] = str(args.doc or f"restref export --app {APP}")
            if args.profile:
                results["profile"] = profile(doc, args.repeat, env, args.top, args.profile_out)
            else:
                scenarios = make_scenarios(args.scenarios, doc, work, env)
                for s in scenarios:
                    repeat = (
                        args.site_repeat if s.name == "site" and args.site_repeat else args.repeat
                    )
                    measure(s, repeat, args.warmup, work, env)
                print(table(scenarios))
                results["scenarios"] = {
                    s.name: {
                        "ratio": s.restref.summary()["median_s"] / s.floor.summary()["median_s"],
                        "restref": {**s.restref.summary(), **asdict(s.restref)},
                        "floor": {**s.floor.summary(), **asdict(s.floor)},
                    }
                    for s in scenarios
                }
        except ChildFailed as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    m = results["machine"]
    m["loadavg_1min_at_end"] = round(os.getloadavg()[0], 2)
    dirty = " (uncommitted changes)" if m["restref_dirty"] else ""
    print(f"\n{m['implementation']} {m['python']}, {m['nproc']} CPUs, {m['platform']}")
    print(f"restref {m['restref_commit']}{dirty}")
    load = f"load average {m['loadavg_1min']} at start, {m['loadavg_1min_at_end']} at end"
    print(f"{load} (other work on the machine makes the figures noisy)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
