"""Run a throwaway Prefect server on 127.0.0.1 for live tests.

The server uses a temporary `PREFECT_HOME` and SQLite file, no UI, no analytics and no
background services (so nothing changes seeded states behind the test's back).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT = 120.0
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class LiveServer:
    """A running server: its API base URL and the log file of its output."""

    base_url: str
    log: Path


def prefect_executable() -> str:
    """The `prefect` script next to the running interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "prefect"
    found = str(beside) if beside.exists() else shutil.which("prefect")
    if found is None:
        raise RuntimeError("the prefect command is not installed")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
            "PREFECT_SERVER_UI_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",  # offline, and faster to start
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_CLI_PROMPT": "false",
        }
    )
    return env


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited early:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health", timeout=2.0).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"prefect server not healthy after {START_TIMEOUT}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # The server runs in its own session, so its group id is its pid: signal only that group.
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


@contextlib.contextmanager
def prefect_server(home: Path) -> Iterator[LiveServer]:
    """Start `prefect server start` in `home`, yield once `/api/health` answers, then stop it."""
    port = free_port()
    log = home / "server.log"
    command = [
        prefect_executable(),
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-services",
        "--no-ui",
        "--analytics-off",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=server_env(home),
            cwd=home,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(base_url, process, log)
        yield LiveServer(base_url, log)
    finally:
        _stop(process)
