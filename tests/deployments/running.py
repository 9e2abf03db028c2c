"""Helpers for running deployments the way production does: a server, a data folder, flow runs to wait for."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data_contracts.tables import ContractRecord
from foundation.db import session_scope, upgrade
from spmon.sample_data import (
    demo_contracts,
    demo_programme,
    demo_programme_toml,
    good_quarter_values,
    write_return,
)

YEARS = ["2025/26", "2026/27"]
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prefect_env(prefect_home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """This process's environment without SPMON_* or PREFECT_API_URL, with a Prefect home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPMON_", "PREFECT_API_URL"))}
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        GX_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


@dataclass(frozen=True)
class DataFolder:
    """An spmon data folder with contracts and Q1 2025/26 returns in its drop folder."""

    root: Path
    contracts: list[ContractRecord]

    def settings_env(self) -> dict[str, str]:
        """The SPMON_* variables that point spmon at it."""
        return {
            "SPMON_DATA_DIR": str(self.root),
            "SPMON_SETTLE_SECONDS": "0",
        }

    @property
    def reports(self) -> Path:
        return self.root / "reports"


def make_data_folder(root: Path, contracts: int = 3) -> DataFolder:
    """Contracts in the database, the programme file, and one Q1 return a service in the drop folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.toml").write_text(demo_programme_toml(YEARS), encoding="utf-8")
    records = demo_contracts(YEARS[0], count=contracts)
    url = f"sqlite:///{root / 'foundation.db'}"
    upgrade(url)
    with session_scope(url) as session:
        session.add_all([ContractRecord.model_validate(c.model_dump()) for c in records])
    year = demo_programme(YEARS).year(YEARS[0])
    for contract in records:
        values = good_quarter_values(contract, "Q1", seed=3)
        received = datetime(2025, 7, 9, 11, tzinfo=UTC)
        write_return(
            root / "drop" / f"PI_{contract.service_id}_Q1.xlsx", contract, year, {"Q1": values}, received
        )
    return DataFolder(root, records)


def run_deployment_and_wait(name: str, parameters: dict[str, Any] | None = None, timeout: float = 300) -> Any:
    """Start a run of deployment ``flow/deployment`` through the API and wait for its final state."""
    from prefect.deployments import run_deployment

    flow_run = run_deployment(name, parameters=parameters or {}, timeout=0)
    return wait_for_final_state(flow_run.id, timeout)


def wait_for_final_state(flow_run_id: Any, timeout: float = 300) -> Any:
    """The flow run once it is Completed, Failed, Crashed or Cancelled."""
    return asyncio.run(_wait(flow_run_id, timeout))


async def _wait(flow_run_id: Any, timeout: float) -> Any:
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout
    async with get_client() as client:
        while True:
            flow_run = await client.read_flow_run(flow_run_id)
            if flow_run.state and flow_run.state.type.value in FINAL:
                return flow_run
            if time.monotonic() > deadline:
                raise AssertionError(f"flow run {flow_run.name} still {flow_run.state} after {timeout} s")
            await asyncio.sleep(1)


def flow_runs_of(flow_name: str) -> list[Any]:
    """Every flow run of a flow, newest first."""
    return asyncio.run(_flow_runs_of(flow_name))


async def _flow_runs_of(flow_name: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    async with get_client() as client:
        return list(
            await client.read_flow_runs(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
                sort=FlowRunSort.START_TIME_DESC,
            )
        )


def wait_for_run_of(flow_name: str, timeout: float = 180) -> Any:
    """The first run of ``flow_name`` to appear, once it reaches a final state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = flow_runs_of(flow_name)
        if runs:
            return wait_for_final_state(runs[-1].id, max(1.0, deadline - time.monotonic()))
        time.sleep(1)
    raise AssertionError(f"no run of flow {flow_name} within {timeout} s")


def descendants(pid: int) -> list[int]:
    """Every live process started, directly or not, by ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
