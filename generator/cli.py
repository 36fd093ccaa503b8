"""The `restref` command: generate, build, serve, export, diff.

Exit status: 0 done; 1 `--check` found stale files, or `diff --fail-on-breaking` found a
breaking change; 2 bad input or usage, reported as one
`error: ...` line on stderr. Anything unexpected is reported the same way, naming the input and
the place in restref's code; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator import __version__
from generator.errors import GeneratorError, LoadError
from generator.load import dump_document, load_app
from generator.pipeline import Result, Source, generate_pages
from generator.progress import Status
from generator.render.pages import RenderOptions
from generator.write import (
    WriteReport,
    atomic_write,
    edited_pages,
    read_manifest,
    stale_files,
    write_pages,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="restref", description="REST API reference sites from OpenAPI.")
    parser.add_argument("--version", action="version", version=f"restref {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def with_source(p: argparse.ArgumentParser) -> None:
        source = p.add_mutually_exclusive_group(required=True)
        source.add_argument("--app", metavar="MODULE:ATTR", help="app object or factory")
        source.add_argument("--spec", metavar="FILE", type=Path, help="OpenAPI file (JSON/YAML)")
        p.add_argument("--templates", metavar="DIR", type=Path, help="templates overriding ours")
        # Unset options stay None: `generate` then reuses the previous run's (see `_options`).
        p.add_argument("--base-url", help="base URL used in code samples")
        p.add_argument(
            "--trusted-html",
            action=argparse.BooleanOptionalAction,
            help="keep raw HTML from the spec",
        )
        p.add_argument(
            "--filters",
            choices=("auto", "on", "off"),
            help="filtering sections: where the schemas prove a filter language (auto, the "
            "default), wherever filter-like bodies are found (on), or never (off)",
        )

    generate = commands.add_parser("generate", help="write the reference as Markdown pages")
    with_source(generate)
    generate.add_argument("--out", metavar="DIR", type=Path, required=True)
    generate.add_argument("--check", action="store_true", help="only report stale files")
    generate.add_argument("--force", action="store_true", help="write into a foreign folder")

    build = commands.add_parser("build", help="build a static HTML site with MkDocs")
    with_source(build)
    build.add_argument("--site-dir", metavar="DIR", type=Path, required=True)
    build.add_argument(
        "--force",
        action="store_true",
        help="build into a folder restref did not make (its files are kept)",
    )

    serve = commands.add_parser("serve", help="serve the site live with MkDocs")
    with_source(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT")

    export = commands.add_parser("export", help="write the app's OpenAPI document as JSON")
    export.add_argument("--app", metavar="MODULE:ATTR", required=True)
    export.add_argument("-o", "--output", metavar="FILE", type=Path)

    diff = commands.add_parser(
        "diff",
        help="the changes between two OpenAPI documents, classified for clients",
        description="OLD and NEW are each an OpenAPI file (JSON/YAML, or .gz), a generated "
        "reference folder (its openapi.json) or app:MODULE:ATTR (an app imported in a child "
        "process).",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", choices=("markdown", "json", "github"), default="markdown")
    diff.add_argument("-o", "--output", metavar="FILE", type=Path)
    diff.add_argument(
        "--link-base",
        default="",
        metavar="URL",
        help="prefix of the links to operation pages in Markdown (e.g. ../reference/)",
    )
    diff.add_argument("--fail-on-breaking", action="store_true", help="exit 1 on a breaking change")
    for command in (generate, build, serve, export, diff):  # also accepted after the subcommand
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    return parser


_OPTION_FLAGS = {
    "base_url": "--base-url",
    "templates": "--templates",
    "trusted_html": "--trusted-html",
    "filters": "--filters",
}


def _options(args: argparse.Namespace, previous: dict[str, Any] | None = None) -> RenderOptions:
    """The render options: those given, else the previous run's (`previous`), else defaults.

    Reused and changed options are reported on stderr, so a `--check` without the options of
    the run that generated the folder neither goes stale forever nor passes silently.
    """
    given = {name: getattr(args, name) for name in _OPTION_FLAGS}
    recorded = previous if isinstance(previous, dict) else {}
    chosen = dict(given)
    for name, flag in _OPTION_FLAGS.items():
        before = recorded.get(name)
        if name not in recorded:
            continue
        if given[name] is None:
            chosen[name] = before
            if before not in (None, "", False, "auto"):
                print(f"note: {flag} {_shown(before)} as in the previous run", file=sys.stderr)
        elif _shown(given[name]) != _shown(before):
            print(
                f"note: {flag} changed since the previous run: {_shown(before)} -> "
                f"{_shown(given[name])}",
                file=sys.stderr,
            )
    templates = chosen["templates"]
    return RenderOptions(
        base_url=str(chosen["base_url"] or ""),
        templates=None if templates is None else Path(templates),
        trusted_html=bool(chosen["trusted_html"]),
        filters=chosen["filters"] if chosen["filters"] in ("on", "off") else "auto",
    )


def _shown(value: Any) -> str:
    if isinstance(value, Path):
        return value.as_posix()
    if value is None or value == "":
        return "(none)"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _generate(args: argparse.Namespace) -> int:
    status = Status()
    try:
        previous = read_manifest(args.out) if args.out.is_dir() else None
        options = _options(args, (previous or {}).get("options"))
        status.step("loading the document")
        doc = Source(args.app, args.spec).load()
        status.step("rendering the pages")
        result = generate_pages(doc, options, previous, edited_pages(args.out, previous))
        status.step("comparing the pages" if args.check else "writing the pages")
        outcome = (
            stale_files(args.out, result.pages)
            if args.check
            else write_pages(args.out, result.pages, force=args.force)
        )
    finally:
        status.done()
    for warning in result.api.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    counts = f"{len(result.api.operations)} operations, {len(result.api.schemas)} schemas"
    if isinstance(outcome, list):
        for path in outcome:
            print(f"stale: {args.out / path}")
        state = f"{len(outcome)} files stale" if outcome else "up to date"
        print(f"{counts}: {state} in {args.out}", file=sys.stderr)
        return 1 if outcome else 0
    _report(args.out, outcome, result)
    print(
        f"{counts}: {len(outcome.written)} files written, {outcome.unchanged} unchanged, "
        f"{len(outcome.deleted)} removed in {args.out}",
        file=sys.stderr,
    )
    return 0


def _report(out: Path, report: WriteReport, result: Result) -> None:
    """The warnings and notes of a write, before its summary line."""
    if result.redirects:
        print(f"{len(result.redirects)} old pages redirect to their new places", file=sys.stderr)
    if report.recovered:
        print(f"warning: {out}: completed a run that was interrupted", file=sys.stderr)
    for path in report.kept:
        print(f"warning: kept {out / path}: no longer generated, but edited", file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    _check_output(args.output)
    doc = load_app(args.app)
    _emit(args.output, dump_document(doc))
    where = args.output or "stdout"
    print(f"exported {args.app}: {_operation_count(doc)} operations to {where}", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from generator.diff import diff_documents, report
    from generator.diff.sources import load_source

    _check_output(args.output)
    result = diff_documents(load_source(args.old), load_source(args.new))
    if args.format == "json":
        text = report.to_json(result)
    elif args.format == "github":
        text = report.to_github(result)
    else:
        text = report.to_markdown(result, link_base=args.link_base)
    _emit(args.output, text)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 1 if args.fail_on_breaking and result.breaking else 0


def _check_output(output: Path | None) -> None:
    if output is not None and output.is_dir():
        raise GeneratorError(f"-o {output}: is a folder; give a file name")
    if output is not None and not output.resolve().parent.is_dir():
        raise GeneratorError(f"-o {output}: the folder {output.parent} does not exist")


def _emit(output: Path | None, text: str) -> None:
    """`text` to the file `output`, atomically, or to stdout."""
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write(output, text.encode("utf-8"))


_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _operation_count(doc: dict[str, Any]) -> int:
    paths = doc.get("paths")
    items = paths.values() if isinstance(paths, dict) else ()
    return sum(len(_METHODS & set(item)) for item in items if isinstance(item, dict))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `restref` command line; returns the exit status (2 for a `GeneratorError`)."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except GeneratorError as e:
        if args.debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug, or input no check foresaw: one line all the same
        if args.debug:
            raise
        print(f"error: {_unexpected(args, e)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command; errors are left to `main` to report."""
    if getattr(args, "app", None) == "":  # not None, so not taken for a missing --app
        raise LoadError("--app '': expected 'module.path:attribute'")
    if args.command == "generate":
        return _generate(args)
    if args.command == "export":
        return _export(args)
    if args.command == "diff":
        return _diff(args)
    # MkDocs is imported only by the commands that run it.
    from generator.site.standalone import build_site, serve_site

    if args.command == "build":
        started = time.monotonic()
        report = build_site(
            Source(args.app, args.spec), _options(args), args.site_dir, force=args.force
        )
        print(
            f"site built in {time.monotonic() - started:.1f} s: {len(report.written)} files "
            f"written, {report.unchanged} unchanged, {len(report.deleted)} removed in "
            f"{args.site_dir}",
            file=sys.stderr,
        )
    else:
        print(f"serving on http://{args.dev_addr}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
        serve_site(Source(args.app, args.spec), _options(args), args.dev_addr)
    return 0


def _unexpected(args: argparse.Namespace, e: Exception) -> str:
    """`--spec x.json: OSError at generator/write.py:12: ...`: the input, the place, the error."""
    if isinstance(e, OSError) and e.filename:
        return f"{e.filename}: {e.strerror or e}"
    if args.command == "diff":
        source = f"diff {args.old} {args.new}"
    elif getattr(args, "app", None):
        source = f"--app {args.app}"
    else:
        source = f"--spec {args.spec}"
    package = Path(__file__).resolve().parent
    place = ""
    for frame in traceback.extract_tb(e.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(package):
            place = f" at {path.relative_to(package.parent).as_posix()}:{frame.lineno}"
    detail = str(e).splitlines()[0] if str(e).strip() else ""
    summary = f"{type(e).__name__}: {detail}" if detail else type(e).__name__
    return f"{source}: unexpected {summary}{place} (run with --debug for the traceback)"
