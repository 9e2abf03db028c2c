"""Starting a local Prefect server and waiting until it answers (``make server``, tests, benchmark)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 4200


def wait_until_healthy(api_url: str, server: subprocess.Popen[bytes], timeout: float = 180) -> None:
    """Wait until the server answers its health check; fail if it stops or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer at {api_url} within {timeout:.0f} s")


def stop_process_group(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """SIGTERM a child started in its own session and everything it started; SIGKILL after ``grace``."""
    if process.poll() is not None:
        return
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()
    _signal_group(process, signal.SIGKILL)  # whatever it left behind in its group


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class RunningServer:
    """A Prefect server started here: its API URL and its process."""

    api_url: str
    process: subprocess.Popen[bytes]


def server_environment(port: int, env: Mapping[str, str]) -> dict[str, str]:
    """The server's environment: the port it listens on is the port its UI calls."""
    return dict(env, PREFECT_SERVER_API_HOST="127.0.0.1", PREFECT_SERVER_API_PORT=str(port))


@contextmanager
def running_prefect_server(
    port: int, env: Mapping[str, str], log: Path | None = None, timeout: float = 180
) -> Iterator[RunningServer]:
    """``prefect server start`` on 127.0.0.1:``port`` for the block, then stopped with its children."""
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    api_url = f"http://127.0.0.1:{port}/api"
    with ExitStack() as stack:
        out = stack.enter_context(log.open("w", encoding="utf-8")) if log else None
        stderr = subprocess.STDOUT if out else None
        server = subprocess.Popen(  # noqa: S603 - our own prefect
            command, env=server_environment(port, env), stdout=out, stderr=stderr, start_new_session=True
        )
        try:
            wait_until_healthy(api_url, server, timeout)
            yield RunningServer(api_url, server)
        finally:
            stop_process_group(server)
