# ruff: noqa: E501  (the table in the docstring has long rows)
"""Malformed and exhausting documents, run through the real command line in a child process
limited to 2 GB of address space and 60 s; each records its wall time and peak memory
(`os.wait4`), shown by `pytest -rA` as properties of the test.

Outcome "error" = exit 2 with exactly one `error:` line containing the text; "warning" = exit 0
with a `warning:` line containing it. No case may print a traceback.

| Case | Outcome |
| --- | --- |
| lone surrogate `\\ud800` in a value / in a key | error `#/info/title: a lone surrogate` / `a key with a lone surrogate` |
| `minLength: "abc"`, `minLength: 1e10`, `minimum: 1e400` (inf), `minimum: NaN`, `multipleOf: 1e-300` from 1e308 | warning: ignored / over the limit / not finite |
| a 5000-digit integer in JSON / in YAML | error `a number of over 4300 digits` / `an integer of over 4300 digits` |
| JSON / YAML nested 10 000 deep; JSON nested 200 deep | error `nested deeper than 128 levels` (YAML: libyaml's `exceeded maximum nesting depth`) |
| YAML billion laughs (9 anchors of 9 aliases, 380 bytes); a recursive alias | error `aliases expand to more than 1,000,000 nodes` / `an alias refers to a node that contains it` |
| a 10 000-hop `$ref` chain with sibling keys | warning `$ref chain longer than 64 hops` |
| YAML `!!set`, `!!binary`, `version: 2024-01-01`, date keys, unquoted `200:` | success: the dates stay strings, keys become strings |
| ReDoS patterns `^(a+)+$` with minLength 40, `(x+x+)+y` with length 30 | success in under 20 s: padded candidates are not checked, the short string built from the pattern is |
| ReDoS patterns `^(a\\|aa)+$\\|(.*a){30}z` with minLength 30, `^(a\\|a)*b(x+x+)+y$` | warning `could backtrack for very long` (even the built string is too long to check) |
| `^(((b{64}){64}){64}){64}$` | warning `would pass 10,000 characters`; output under 1 MB |
| `minItems: 1e10` over nested arrays of 5000-character strings | warning: shortened; output under 5 MB |
| 6 levels of objects whose 200 required fields each lead to the next level (200^6 paths) | warning: example shortened; field tables stop expanding at 2,000 rows, filter detection visits at most 2,000 properties; output under 5 MB |
| malformed Swagger 2.0 (parameters and responses of the wrong types) | success or one error line |
| `--app ''` | error `expected 'module.path:attribute'` |
| every spec case through `Source.load` + `generate_pages` (what the MkDocs plugin calls) | only `GeneratorError`s, with the CLI's message |
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
MEMORY_LIMIT = 2 * 1024**3
TIMEOUT = 60


def _operation(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema}}}
    return {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}


def openapi(schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    paths = {"/x": _operation(schema or {"type": "string"})}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def as_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc)


def with_number(text: str) -> str:
    """A document whose string schema has `minimum: <text>` written verbatim."""
    return as_json(openapi({"type": "integer", "minimum": 1})).replace(
        '"minimum": 1', f'"minimum": {text}'
    )


def ref_chain(hops: int) -> str:
    chain = {
        f"S{i}": {"$ref": f"#/x-chain/S{i + 1}", "description": f"hop {i}"} for i in range(hops)
    }
    chain[f"S{hops}"] = {"type": "string"}
    return as_json(openapi({"$ref": "#/x-chain/S0"}, **{"x-chain": chain}))


def billion_laughs() -> str:
    lines = [
        "openapi: 3.1.0",
        'info: {title: t, version: "1"}',
        "paths: {}",
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


YAML_TYPES = """openapi: 3.1.0
info: {title: t, version: 2024-01-01}
x-set: !!set {a, b}
x-binary: !!binary aGVsbG8=
x-dates: {2024-01-01: a, 2024-01-01T10:00:00Z: b}
paths:
  /x:
    get:
      responses:
        200: {description: ok}
"""

SWAGGER_BAD = {
    "swagger": "2.0",
    "info": {},
    "paths": {
        "/x": {
            "parameters": [1, "p"],
            "get": {
                "parameters": ["x", 5, {"in": "body"}],
                "responses": {"200": {"schema": {}, "headers": {"a": 1}}},
            },
        },
        "/y": {"get": {"responses": [1]}},
    },
    "securityDefinitions": {"o": {"type": "oauth2", "scopes": 5}},
}

# name -> (file suffix, text builder, expected outcome, expected text)
CASES: dict[str, tuple[str, Callable[[], str], str, str]] = {
    "surrogate-value": (
        "json",
        lambda: as_json(openapi()).replace('"t"', '"\\ud800"', 1),
        "error",
        "#/info/title: a lone surrogate",
    ),
    "surrogate-key": (
        "json",
        lambda: as_json(openapi(None, **{"x-\\udc00": 1})).replace("\\\\", "\\"),
        "error",
        "a key with a lone surrogate",
    ),
    "minLength-text": (
        "json",
        lambda: as_json(openapi({"type": "string", "minLength": "abc"})),
        "warning",
        "minLength 'abc' is not a non-negative integer",
    ),
    "minLength-1e10": (
        "json",
        lambda: as_json(openapi({"type": "string", "minLength": 1e10})),
        "warning",
        "minLength 10000000000 is over the limit",
    ),
    "minimum-1e400": (
        "json",
        lambda: with_number("1e400"),
        "warning",
        "minimum inf is not a finite number",
    ),
    "minimum-nan": (
        "json",
        lambda: with_number("NaN"),
        "warning",
        "minimum nan is not a finite number",
    ),
    "multipleOf-overflow": (
        "json",
        lambda: as_json(openapi({"type": "number", "minimum": 1e308, "multipleOf": 1e-300})),
        "warning",
        "no finite example number",
    ),
    "integer-5000-digits-json": (
        "json",
        lambda: with_number("9" * 5000),
        "error",
        "a number of over 4300 digits",
    ),
    "integer-5000-digits-yaml": (
        "yaml",
        lambda: "openapi: 3.1.0\npaths: {}\nx: " + "9" * 5000 + "\n",
        "error",
        "an integer of over 4300 digits",
    ),
    "nested-10k-json": (
        "json",
        lambda: '{"openapi": "3.1.0", "paths": {}, "x": ' + "[" * 10_000 + "]" * 10_000 + "}",
        "error",
        "nested deeper than 128 levels",
    ),
    "nested-200-json": (
        "json",
        lambda: '{"openapi": "3.1.0", "paths": {}, "x": ' + "[" * 200 + "]" * 200 + "}",
        "error",
        "#/x/0/0/0",
    ),
    "nested-10k-yaml": (
        "yaml",
        lambda: "openapi: 3.1.0\npaths: {}\nx: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "error",
        "nest",
    ),
    "billion-laughs": (
        "yaml",
        billion_laughs,
        "error",
        "aliases expand to more than 1,000,000 nodes",
    ),
    "recursive-alias": (
        "yaml",
        lambda: "openapi: 3.1.0\npaths: {}\na: &a [*a]\n",
        "error",
        "an alias refers to a node that contains it",
    ),
    "ref-chain-10k": (
        "json",
        lambda: ref_chain(10_000),
        "warning",
        "$ref chain longer than 64 hops",
    ),
    "yaml-types": ("yaml", lambda: YAML_TYPES, "success", ""),
    "redos-nested-plus": (
        "json",
        lambda: as_json(openapi({"type": "string", "pattern": "^(a+)+$", "minLength": 40})),
        "success",
        "",
    ),
    "redos-overlap": (
        "json",
        lambda: as_json(
            openapi({"type": "string", "pattern": "(x+x+)+y", "minLength": 30, "maxLength": 30})
        ),
        "success",
        "",
    ),
    "redos-built-string": (
        "json",
        lambda: as_json(openapi({"type": "string", "pattern": "^(a|a)*b(x+x+)+y$"})),
        "warning",
        "could backtrack for very long",
    ),
    "redos-alternation": (
        "json",
        lambda: as_json(
            openapi({"type": "string", "pattern": "^(a|aa)+$|(.*a){30}z", "minLength": 30})
        ),
        "warning",
        "could backtrack for very long",
    ),
    "pattern-16M": (
        "json",
        lambda: as_json(openapi({"type": "string", "pattern": "^(((b{64}){64}){64}){64}$"})),
        "warning",
        "would pass 10,000 characters",
    ),
    "minItems-1e10": (
        "json",
        lambda: as_json(
            openapi(
                {
                    "type": "array",
                    "minItems": 10**10,
                    "items": {
                        "type": "array",
                        "minItems": 1000,
                        "items": {"type": "string", "minLength": 5000},
                    },
                }
            )
        ),
        "warning",
        "example items",
    ),
    "swagger-malformed": ("json", lambda: as_json(SWAGGER_BAD), "success-or-error", ""),
    "wide-and-deep": ("json", lambda: wide_and_deep(200, 6), "warning", "example object"),
}


def wide_and_deep(width: int, levels: int) -> str:
    """Each of `width` required fields leads to the next level's schema: width**levels paths."""
    schemas: dict[str, Any] = {}
    for level in range(levels):
        last = level + 1 == levels
        field = {"type": "string"} if last else {"$ref": f"#/components/schemas/L{level + 1}"}
        names = [f"f{i}" for i in range(width)]
        schemas[f"L{level}"] = {
            "type": "object",
            "required": names,
            "properties": dict.fromkeys(names, field),
        }
    return as_json(openapi({"$ref": "#/components/schemas/L0"}, components={"schemas": schemas}))


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(args: list[str], cwd: Path) -> tuple[int, str, float, int]:
    """Run `args` under the limits; (status, stderr, CPU seconds, the child's own peak RSS).

    The child is reaped with `os.wait4`, which reports that one process's usage (the
    RUSAGE_CHILDREN figure is a maximum over every child so far). Its CPU time, not the wall
    clock, is what a busy machine does not inflate; `TIMEOUT` still bounds the wall clock."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    with open(cwd / "stderr.txt", "w+", encoding="utf-8") as err:
        child = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            # The limits are for this child alone; the test process starts no threads.
            preexec_fn=limit_memory,  # noqa: PLW1509
        )
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > TIMEOUT:
                child.kill()
                os.wait4(child.pid, 0)
                child.returncode = -9
                pytest.fail(f"{args}: still running after {TIMEOUT} s")
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    cpu = usage.ru_utime + usage.ru_stime
    return child.returncode, stderr, cpu, usage.ru_maxrss * 1024


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def check_outcome(status: int, stderr: str, outcome: str, text: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    if outcome == "error" or (outcome == "success-or-error" and status != 0):
        assert status == 2, stderr
        assert len(errors) == 1, stderr
        assert stderr.strip() == errors[0], stderr
        assert text in errors[0]
    else:
        assert status == 0, stderr
        assert not errors
        if outcome == "warning":
            assert any(
                line.startswith("warning: ") and text in line for line in stderr.splitlines()
            ), stderr


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bounds")
    for name, (suffix, build, _, _) in CASES.items():
        (folder / f"{name}.{suffix}").write_text(build(), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_document_through_the_cli(
    name: str, cases: Path, tmp_path: Path, record_property: Any
) -> None:
    suffix, _, outcome, text = CASES[name]
    out = tmp_path / "out"
    args = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        "--spec",
        str(cases / f"{name}.{suffix}"),
        "--out",
        str(out),
    ]
    status, stderr, seconds, peak = run_limited(args, tmp_path)
    record_property("cpu_seconds", round(seconds, 2))
    record_property("peak_rss_mb", peak // 2**20)
    print(f"{name}: exit {status}, {seconds:.2f} s CPU, {peak // 2**20} MB")
    assert peak < MEMORY_LIMIT // 2
    assert seconds < 20
    check_outcome(status, stderr, outcome, text)
    if status == 0:
        assert size_of(out) < 5 * 2**20
    if name == "yaml-types":
        document = json.loads((out / "openapi.json").read_text())
        assert document["info"]["version"] == "2024-01-01"
        assert document["x-set"] == {"a": None, "b": None}
        assert document["x-binary"] == "aGVsbG8="
        assert list(document["x-dates"]) == ["2024-01-01", "2024-01-01T10:00:00Z"]
        assert "200" in document["paths"]["/x"]["get"]["responses"]
    if name == "pattern-16M":
        assert size_of(out) < 2**20


def test_empty_app_target(tmp_path: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        "--app",
        "",
        "--out",
        str(tmp_path / "out"),
    ]
    status, stderr, _, _ = run_limited(args, tmp_path)
    check_outcome(status, stderr, "error", "--app '': expected 'module.path:attribute'")
    assert not (tmp_path / "out").exists()


# What the MkDocs plugin calls, for every case in one limited process: only GeneratorErrors.
_PLUGIN_PATH = """
import json, sys
from pathlib import Path
from generator.errors import GeneratorError
from generator.pipeline import Source, generate_pages
from generator.render.pages import RenderOptions
results = {}
for path in sorted(Path(sys.argv[1]).iterdir()):
    try:
        generate_pages(Source(spec=path).load(), RenderOptions())
        results[path.stem] = "ok"
    except GeneratorError as e:
        results[path.stem] = "GeneratorError: " + str(e)
    except BaseException as e:
        results[path.stem] = "unexpected " + type(e).__name__ + ": " + str(e)[:200]
print(json.dumps(results))
"""


def test_the_plugin_path_gets_only_generator_errors(cases: Path, tmp_path: Path) -> None:
    script = tmp_path / "plugin_path.py"
    script.write_text(_PLUGIN_PATH)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(script), str(cases)]
    done = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 2,
        preexec_fn=limit_memory,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert set(results) == set(CASES)
    for name, result in results.items():
        _, _, outcome, text = CASES[name]
        if outcome == "error":
            assert result.startswith("GeneratorError: "), (name, result)
            assert text in result, (name, result)
        elif outcome != "success-or-error":
            assert result == "ok", (name, result)
        else:
            assert result == "ok" or result.startswith("GeneratorError: "), (name, result)
