"""Every deployment run the way production runs it.

A Prefect server; ``spmon deployments deploy --pool`` registers every
deployment on a process work pool; a worker started from another folder, with
no SPMON_* settings of its own, runs them: the nightly ingestion, risk by its
event trigger, monthly and quarterly reports for past periods. Then a run whose
process is killed leaves a crash notice. Also ``make server``'s serve path, its
port setting and its shutdown on one Ctrl-C.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from deployments.server import running_prefect_server, stop_process_group, wait_until_healthy
from tests.deployments.running import (
    DataFolder,
    descendants,
    flow_runs_of,
    free_port,
    make_data_folder,
    prefect_env,
    run_deployment_and_wait,
    wait_for_final_state,
    wait_for_run_of,
)

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
POOL = "spmon-test-pool"
WORKER: dict[str, int] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("prefect-home")
    with running_prefect_server(free_port(), prefect_env(home), log=home / "server.log") as running:
        yield running.api_url, home


@pytest.fixture(scope="module")
def deployed(server: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataFolder]:
    """Deployments on a work pool, a worker running from another folder; the data folder they use."""
    api_url, home = server
    data = make_data_folder(tmp_path_factory.mktemp("spmon-data"))
    deploy = subprocess.run(
        [str(BIN / "spmon"), "deployments", "deploy", "--pool", POOL],
        env=prefect_env(home, api_url, **data.settings_env()),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert "5 deployments registered" in deploy.stdout
    elsewhere = tmp_path_factory.mktemp("worker-folder")
    log = (elsewhere / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(BIN / "prefect"), "worker", "start", "--pool", POOL],
        env=prefect_env(home, api_url),  # no SPMON_* settings: the deployments carry them
        cwd=elsewhere,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    WORKER["pid"] = worker.pid
    try:
        # This process's client talks to this server, whatever an earlier test left in Prefect's settings.
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield data
    finally:
        stop_process_group(worker)
        log.close()
        print((elsewhere / "worker.log").read_text(encoding="utf-8")[-8000:])  # noqa: T201 - shown on failure


def _register(data: DataFolder) -> list[dict[str, str]]:
    out = data.root / "register.csv"
    subprocess.run(
        [str(BIN / "spmon"), "register", "export", str(out)],
        env={**prefect_env(data.root / "unused"), **data.settings_env()},
        check=True,
        timeout=120,
    )
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_prefect_list_commands_work(deployed: DataFolder, server: tuple[str, Path]) -> None:
    api_url, home = server
    for command, expected in (
        (["deployment", "ls"], "ingest/nightly"),
        (["work-pool", "ls"], POOL),
        (["flow-run", "ls"], ""),
    ):
        result = subprocess.run(
            [str(BIN / "prefect"), *command],
            env=prefect_env(home, api_url, COLUMNS="200"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert expected in result.stdout


def test_the_nightly_ingestion_runs_on_a_worker_and_risk_follows(deployed: DataFolder) -> None:
    run = run_deployment_and_wait("ingest/nightly")
    assert run.state.type.value == "COMPLETED", run.state.message
    assert run.name.startswith("ingest-")
    rows = _register(deployed)
    assert sorted((r["service_id"], r["quarter"], r["status"]) for r in rows) == sorted(
        (c.service_id, "Q1", "accepted") for c in deployed.contracts
    )
    assert not list((deployed.root / "drop").iterdir())
    risk = wait_for_run_of("risk")
    assert risk.state.type.value == "COMPLETED", risk.state.message


def test_past_period_reports_run_on_a_worker(deployed: DataFolder) -> None:
    monthly = run_deployment_and_wait(
        "monthly-reports/first-working-day", {"month": "2025-07", "as_at": "2025-07-31"}
    )
    assert monthly.state.type.value == "COMPLETED", monthly.state.message
    assert monthly.name == "monthly-reports-2025-07"
    quarterly = run_deployment_and_wait(
        "quarterly-reports/after-report-date", {"year": "2025/26", "quarter": "Q1"}
    )
    assert quarterly.state.type.value == "COMPLETED", quarterly.state.message
    manifest = json.loads((deployed.reports / "manifest.json").read_text(encoding="utf-8"))
    periods = {entry["period"] for entry in manifest}
    assert {"2025-07", "2025-26-Q1"} <= periods or len(periods) >= 2, periods
    assert (deployed.reports / "index.html").is_file()


def test_a_killed_run_leaves_a_crash_notice(deployed: DataFolder, server: tuple[str, Path]) -> None:
    from prefect.deployments import run_deployment

    flow_run = run_deployment(
        "quarterly-reports/after-report-date", parameters={"year": "2025/26", "quarter": "Q1"}, timeout=0
    )
    worker_pid = WORKER["pid"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _state(flow_run.id) != "RUNNING":
        time.sleep(0.2)
    assert _state(flow_run.id) == "RUNNING"
    for pid in _running(flow_run.id, descendants(worker_pid)):
        os.kill(pid, signal.SIGKILL)
    crashed = wait_for_final_state(flow_run.id, 120)
    assert crashed.state.type.value == "CRASHED"
    deadline = time.monotonic() + 60
    notices: list[Path] = []
    while time.monotonic() < deadline and not notices:
        notices = list((deployed.root / "outbox" / "failures").glob(f"{crashed.name}-*.txt"))
        time.sleep(0.5)
    assert notices, f"no crash notice for {crashed.name}; its logs:\n{_logs(crashed.id)}"
    text = notices[0].read_text(encoding="utf-8")
    assert crashed.name in text and "stopped before the run finished" in text and "Retry" in text


def _running(flow_run_id: object, pids: list[int]) -> list[int]:
    """The processes among ``pids`` that run this flow run (its id is in their environment)."""
    marker = f"PREFECT__FLOW_RUN_ID={flow_run_id}".encode()
    found = []
    for pid in pids:
        try:
            if marker in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.append(pid)
        except OSError:
            continue
    assert found, "no process runs the flow run"
    return found


def _logs(flow_run_id: object) -> str:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    async def read() -> str:
        async with get_client() as client:
            logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
            return "\n".join(log.message for log in logs)

    return asyncio.run(read())


def _state(flow_run_id: object) -> str:
    import asyncio

    from prefect.client.orchestration import get_client

    async def read() -> str:
        async with get_client() as client:
            run = await client.read_flow_run(flow_run_id)  # type: ignore[arg-type]
            return run.state.type.value if run.state else ""

    return asyncio.run(read())


def test_make_server_serves_on_its_port_and_stops_on_one_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    data = make_data_folder(tmp_path / "data", contracts=2)
    env = prefect_env(tmp_path / "home", PREFECT_SERVER_API_PORT=str(port), **data.settings_env())
    serve = subprocess.Popen(
        [str(BIN / "python"), "-m", "deployments.serve"],
        env=env,
        cwd=ROOT,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        wait_until_healthy(api_url, serve, timeout=180)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings", timeout=10) as response:  # noqa: S310
            assert json.load(response)["api_url"] == api_url
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            _wait_for_deployment("ingest/nightly")
            run = run_deployment_and_wait("ingest/nightly")
            assert run.state.type.value == "COMPLETED", run.state.message
            assert flow_runs_of("ingest")
        started = [serve.pid, *descendants(serve.pid)]
        os.killpg(serve.pid, signal.SIGINT)  # one Ctrl-C in the terminal
        serve.wait(timeout=20)
        deadline = time.monotonic() + 10
        while _alive(started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(started), f"still running after Ctrl-C: {_alive(started)}"
        assert not _listening(port)
    finally:
        stop_process_group(serve, grace=2)
        print((tmp_path / "serve.log").read_text(encoding="utf-8")[-5000:])  # noqa: T201 - shown on failure


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _wait_for_deployment(name: str, timeout: float = 120) -> None:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    async def exists() -> bool:
        async with get_client() as client:
            try:
                await client.read_deployment_by_name(name)
            except ObjectNotFound:
                return False
            return True

    deadline = time.monotonic() + timeout
    while not asyncio.run(exists()):
        assert time.monotonic() < deadline, f"deployment {name} was never served"
        time.sleep(1)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
