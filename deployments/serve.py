"""Serve every deployment against a Prefect server (``make server``).

With ``PREFECT_API_URL`` set, it serves against that server (for example the
team's production server); otherwise it starts a local server with its UI on
http://127.0.0.1:4200 first, and stops it on Ctrl-C.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from spmon.prefect_env import apply_defaults

LOCAL_API = "http://127.0.0.1:4200/api"


def _wait_until_healthy(api_url: str, server: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the Prefect server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the Prefect server did not answer at {api_url} within {timeout:.0f} s")


def start_local_server() -> subprocess.Popen[bytes]:
    """Start ``prefect server start`` on 127.0.0.1:4200 and wait until it answers."""
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", "4200"]
    server = subprocess.Popen(command)  # noqa: S603 - our own virtualenv's prefect
    _wait_until_healthy(LOCAL_API, server)
    return server


def main() -> None:
    """Serve the deployments until interrupted."""
    apply_defaults()
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server = start_local_server()
        os.environ["PREFECT_API_URL"] = LOCAL_API
        print("Prefect UI: http://127.0.0.1:4200")  # noqa: T201
    from prefect import serve

    from deployments.definitions import build_deployments

    try:
        serve(*build_deployments())
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
