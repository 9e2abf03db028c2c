"""Starting a local Prefect server and waiting until it answers (``make server``, tests, benchmark)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path


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


@dataclass(frozen=True)
class RunningServer:
    """A Prefect server started here: its API URL and its process."""

    api_url: str
    process: subprocess.Popen[bytes]


@contextmanager
def running_prefect_server(
    port: int, env: Mapping[str, str], log: Path | None = None, timeout: float = 180
) -> Iterator[RunningServer]:
    """``prefect server start`` on 127.0.0.1:``port`` for the block, stopped afterwards."""
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    api_url = f"http://127.0.0.1:{port}/api"
    with ExitStack() as stack:
        out = stack.enter_context(log.open("w", encoding="utf-8")) if log else None
        stderr = subprocess.STDOUT if out else None
        server = subprocess.Popen(command, env=dict(env), stdout=out, stderr=stderr)  # noqa: S603 - our prefect
        try:
            wait_until_healthy(api_url, server, timeout)
            yield RunningServer(api_url, server)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
