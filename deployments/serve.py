"""Serve every deployment against a Prefect server (``make server``).

With ``PREFECT_API_URL`` set, it serves against that server (for example the
team's production server); otherwise it starts a local server with its UI on
http://127.0.0.1:4200 first, and stops it on Ctrl-C.
"""

from __future__ import annotations

import os
from contextlib import ExitStack

from deployments.server import running_prefect_server
from spmon.prefect_env import apply_defaults

LOCAL_PORT = 4200


def main() -> None:
    """Serve the deployments until interrupted."""
    apply_defaults()
    with ExitStack() as stack:
        if not os.environ.get("PREFECT_API_URL"):
            server = stack.enter_context(running_prefect_server(LOCAL_PORT, os.environ))
            os.environ["PREFECT_API_URL"] = server.api_url
            print(f"Prefect UI: http://127.0.0.1:{LOCAL_PORT}")  # noqa: T201
        from prefect import serve

        from deployments.definitions import build_deployments

        serve(*build_deployments())


if __name__ == "__main__":
    main()
