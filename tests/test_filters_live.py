"""Every generated filter example, sent to a real Prefect server; a sample checked for meaning.

Seeded data speaks the examples' vocabulary: `nightly-etl` (tagged `database`, one FAILED and
one COMPLETED run, a deployment), `weekly-report` (tagged `database`, only a COMPLETED run) and
`ad-hoc-cleanup` (no tags). Mutating examples (bulk deletes, bulk state changes) run last.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.filters import FilterExample, OperationFilters, QueryLanguage, analyse
from generator.model.api import build_api
from generator.render.filtering import FilterText
from tests.live_prefect import LiveServer, prefect_server

pytestmark = pytest.mark.live

MUTATING = re.compile(r"bulk_delete|bulk_set_state")


@dataclass(frozen=True)
class Seeded:
    """Ids of the seeded objects, for path parameters and expected answers."""

    flows: dict[str, str]
    runs: dict[str, str]
    path_values: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with prefect_server(Path(tmp_path_factory.mktemp("prefect-home"))) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30.0) as http:
        yield http


@pytest.fixture(scope="module")
def document(client: httpx.Client) -> dict[str, Any]:
    # The document of the very server under test, so examples match what it accepts.
    doc: dict[str, Any] = client.get("/openapi.json").raise_for_status().json()
    return doc


@pytest.fixture(scope="module")
def language(document: dict[str, Any]) -> QueryLanguage:
    return analyse(build_api(document))


def _path_enums(doc: dict[str, Any]) -> dict[str, str]:
    """First enum value of each enum-typed path parameter, e.g. a time unit."""
    found: dict[str, str] = {}
    for item in doc["paths"].values():
        for operation in item.values():
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = param.get("schema", {})
                if "$ref" in schema:
                    schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
                if param.get("in") == "path" and schema.get("enum"):
                    found.setdefault(param["name"], schema["enum"][0])
    return found


def _post(client: httpx.Client, path: str, body: Any) -> Any:
    response = client.post(path, json=body)
    assert response.is_success, f"seeding {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


@pytest.fixture(scope="module")
def seeded(client: httpx.Client, document: dict[str, Any]) -> Seeded:
    flows = {
        name: _post(client, "/flows/", {"name": name, "tags": tags})["id"]
        for name, tags in (
            ("nightly-etl", ["database", "nightly"]),
            ("weekly-report", ["database"]),
            ("ad-hoc-cleanup", []),
        )
    }
    _post(client, "/work_pools/", {"name": "etl-pool", "type": "process"})
    queue = _post(client, "/work_pools/etl-pool/queues", {"name": "etl-high-priority"})["id"]
    deployment = _post(
        client,
        "/deployments/",
        {
            "name": "nightly-etl-prod",
            "flow_id": flows["nightly-etl"],
            "work_pool_name": "etl-pool",
            "work_queue_name": "etl-high-priority",
            "tags": ["database"],
        },
    )["id"]
    runs = {}
    for name, flow, state, tags in (
        ("nightly-etl-2024-05-01", "nightly-etl", "FAILED", ["database"]),
        ("nightly-etl-2024-04-30", "nightly-etl", "COMPLETED", ["database"]),
        ("weekly-report-2024-04-29", "weekly-report", "COMPLETED", ["reporting"]),
        ("ad-hoc-cleanup-1", "ad-hoc-cleanup", "COMPLETED", []),
    ):
        body = {"name": name, "flow_id": flows[flow], "tags": tags, "state": {"type": state}}
        if flow == "nightly-etl":
            body["deployment_id"] = deployment
        runs[name] = _post(client, "/flow_runs/", body)["id"]
    failed = runs["nightly-etl-2024-05-01"]
    task = {
        "name": "extract-orders",
        "flow_run_id": failed,
        "task_key": "extract-orders",
        "dynamic_key": "0",
        "tags": ["database"],
        "state": {"type": "FAILED"},
    }
    _post(client, "/task_runs/", task)
    _post(client, "/work_pools/etl-pool/workers/heartbeat", {"name": "etl-worker-1"})
    variable = {"name": "warehouse_schema", "value": "analytics", "tags": ["database"]}
    _post(client, "/variables/", variable)
    artifact = {"key": "nightly-report", "type": "markdown", "data": "# ok", "flow_run_id": failed}
    _post(client, "/artifacts/", artifact)
    log = {
        "name": "prefect.flow_runs",
        "level": 40,
        "message": "connection error",
        "timestamp": "2024-05-01T01:00:00Z",
        "flow_run_id": failed,
    }
    _post(client, "/logs/", [log])
    # Keyed by "<collection>.<param>" (the segment before the parameter) or by the parameter.
    path_values = {
        **_path_enums(document),
        "work_pool_name": "etl-pool",
        "work_pools.name": "etl-pool",
        "flow_runs.id": failed,
        "work_queues.id": queue,
        "deployments.id": deployment,
    }
    return Seeded(flows, runs, path_values)


def _url(op: OperationFilters, seeded: Seeded) -> str:
    segments = op.path.split("/")
    for index, segment in enumerate(segments):
        found = re.fullmatch(r"\{([^}/]+)\}", segment)
        if found is None:
            continue
        name = found.group(1)
        scoped = f"{segments[index - 1]}.{name}"
        value = seeded.path_values.get(scoped) or seeded.path_values.get(name)
        segments[index] = value or name
    return "/".join(segments)


def _send(client: httpx.Client, url: str, op: OperationFilters, ex: FilterExample) -> Any:
    response = client.request(op.method, url, json=ex.body)
    assert response.is_success, f"{op.method} {op.path} [{ex.title}]: {response.text[:500]}"
    return response.json()


def _run(
    client: httpx.Client, language: QueryLanguage, seeded: Seeded, mutating: bool
) -> list[str]:
    failures = []
    for op, example in language.examples:
        if bool(MUTATING.search(op.path)) != mutating:
            continue
        response = client.request(op.method, _url(op, seeded), json=example.body)
        if not response.is_success:
            failures.append(f"{op.method} {op.path} [{example.title}] {response.status_code}")
    return failures


def test_read_only_examples_succeed(
    client: httpx.Client, language: QueryLanguage, seeded: Seeded
) -> None:
    assert len(language.examples) >= 120
    failures = _run(client, language, seeded, mutating=False)
    assert not failures, "\n".join(failures)


def _example(language: QueryLanguage, path: str, title: str) -> tuple[OperationFilters, Any]:
    found = [f for f in language.operations if (f.method, f.path) == ("POST", path)]
    assert found, path
    op = found[0]
    examples = [ex for ex in op.examples if FilterText("").prose(ex.title).startswith(title)]
    assert examples, f"{path} has no example titled {title!r}"
    return op, examples[0]


def _answer(
    client: httpx.Client, language: QueryLanguage, seeded: Seeded, path: str, title: str
) -> Any:
    op, example = _example(language, path, title)
    return _send(client, _url(op, seeded), op, example)


def _names(answer: Any) -> list[str]:
    items = answer["results"] if isinstance(answer, dict) else answer
    return [item.get("name") or item.get("key") for item in items]


SEMANTICS = [
    ("/flows/filter", "Match by name", {"nightly-etl"}),
    ("/flows/filter", "Match all tags", {"nightly-etl", "weekly-report"}),
    ("/flows/filter", "Missing deployment", {"weekly-report", "ad-hoc-cleanup"}),
    ("/flows/filter", "Combine criteria with `or_`", {"nightly-etl", "ad-hoc-cleanup"}),
    ("/flows/filter", "Filter through related", {"nightly-etl"}),
    ("/flow_runs/filter", "Match by name", {"nightly-etl-2024-05-01"}),
    ("/flow_runs/filter", "Match all tags", {"nightly-etl-2024-05-01", "nightly-etl-2024-04-30"}),
    ("/flow_runs/filter", "Filter by state type", {"nightly-etl-2024-05-01"}),
    ("/flow_runs/filter", "Missing tags", {"ad-hoc-cleanup-1"}),
    ("/flow_runs/filter", "Filter through related", {"nightly-etl-2024-05-01"}),
    ("/deployments/filter", "Match by name", {"nightly-etl-prod"}),
    ("/deployments/filter", "Filter through related", {"nightly-etl-prod"}),
    ("/task_runs/filter", "Filter by state type", {"extract-orders"}),
    ("/variables/filter", "Match all tags", {"warehouse_schema"}),
    ("/artifacts/filter", "Match by key", {"nightly-report"}),
    ("/work_pools/{work_pool_name}/queues/filter", "Prefix match", {"etl-high-priority"}),
]


@pytest.mark.parametrize(("path", "title", "expected"), SEMANTICS)
def test_examples_return_what_they_promise(
    client: httpx.Client,
    language: QueryLanguage,
    seeded: Seeded,
    path: str,
    title: str,
    expected: set[str],
) -> None:
    assert set(_names(_answer(client, language, seeded, path, title))) == expected


def test_sort_and_pages(client: httpx.Client, language: QueryLanguage, seeded: Seeded) -> None:
    # NAME_DESC: weekly-report, nightly-etl, ad-hoc-cleanup.
    sliced = _answer(client, language, seeded, "/flows/filter", "Sort and paginate")
    assert _names(sliced) == ["nightly-etl", "ad-hoc-cleanup"]
    page = _answer(client, language, seeded, "/flows/paginate", "Sort and paginate")
    assert _names(page) == ["ad-hoc-cleanup"]
    assert _answer(client, language, seeded, "/flows/count", "Filter through related") == 1


def test_mutating_examples_succeed_last(
    client: httpx.Client, language: QueryLanguage, seeded: Seeded
) -> None:
    failures = _run(client, language, seeded, mutating=True)
    assert not failures, "\n".join(failures)
