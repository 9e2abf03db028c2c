"""Defaults for Prefect and Great Expectations, set before either is imported.

There is no internet here, and a fresh ``PREFECT_HOME`` makes the temporary
Prefect server slow to start. A value already in the environment wins.
"""

from __future__ import annotations

import os

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def apply_defaults() -> None:
    """Set each default that the environment does not already set."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
