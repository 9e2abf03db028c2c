"""``make server``: a local Prefect server with its UI, serving every deployment, stopped by one Ctrl-C.

The server and the serving runner are two child processes, each in its own
session; this process only supervises them. On Ctrl-C (SIGINT) or SIGTERM,
or when either child stops, both are stopped (SIGTERM, then SIGKILL after a
grace period) and nothing is left running. The port is
``PREFECT_SERVER_API_PORT`` (default 4200), used by the server, its UI and
the runner alike. With ``PREFECT_API_URL`` already set, no local server is
started: the deployments are served against that server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from deployments.server import DEFAULT_PORT, running_prefect_server, stop_process_group
from foundation.prefect_env import apply_defaults

_stop_requested: list[int] = []


def _request_stop(signum: int, _frame: FrameType | None) -> None:
    _stop_requested.append(signum)


def server_port() -> int:
    """The port of ``PREFECT_SERVER_API_PORT``, or 4200."""
    text = os.environ.get("PREFECT_SERVER_API_PORT", str(DEFAULT_PORT))
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise SystemExit(f"PREFECT_SERVER_API_PORT: '{text}' is not a port number")
    return int(text)


def start_runner(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``spmon deployments serve`` in its own session."""
    spmon = Path(sys.executable).parent / "spmon"
    return subprocess.Popen([str(spmon), "deployments", "serve"], env=env, start_new_session=True)  # noqa: S603


def supervise(*children: subprocess.Popen[bytes]) -> int:
    """Wait for a stop signal or for a child to stop; then stop every child. The exit code."""
    while not _stop_requested and all(child.poll() is None for child in children):
        time.sleep(0.2)
    for child in children:
        stop_process_group(child, grace=5)
    return 0 if _stop_requested else 1


def main() -> None:
    """Start the server (unless ``PREFECT_API_URL`` names one) and serve the deployments until stopped."""
    apply_defaults()
    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    env = dict(os.environ)
    with ExitStack() as stack:
        if not env.get("PREFECT_API_URL"):
            port = server_port()
            server = stack.enter_context(running_prefect_server(port, env))
            env["PREFECT_API_URL"] = server.api_url
            print(f"Prefect UI: http://127.0.0.1:{port} (Ctrl-C stops everything)", flush=True)  # noqa: T201
            children = [server.process, start_runner(env)]
        else:
            children = [start_runner(env)]
        sys.exit(supervise(*children))


if __name__ == "__main__":
    main()
