"""The ingestion flow in-process: its summary, its artifact and its run names in Prefect."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.testing.utilities import prefect_test_harness

from foundation.db import session_scope, upgrade
from foundation.settings import get_settings
from spmon.sample_data import (
    demo_contracts,
    demo_programme,
    demo_programme_toml,
    good_quarter_values,
    write_return,
)

pytestmark = pytest.mark.e2e
YEAR = "2025/26"


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    programme = tmp_path / "programme.toml"
    programme.write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    monkeypatch.setenv("SPMON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPMON_PROGRAMME_FILE", str(programme))
    monkeypatch.setenv("SPMON_SETTLE_SECONDS", "0")
    get_settings.cache_clear()
    upgrade(get_settings().database)
    yield
    get_settings.cache_clear()


def test_a_run_names_itself_and_publishes_its_summary(harness: None, settings: None) -> None:
    from flows.ingest_flow import ingest_flow

    contracts = demo_contracts(YEAR, count=3)
    with session_scope(get_settings().database) as session:
        session.add_all(contracts)
    year_settings = demo_programme([YEAR]).year(YEAR)
    drop = get_settings().drop
    for contract in contracts:
        values = good_quarter_values(contract, "Q1", seed=2)
        received = datetime(2025, 7, 8, 10, tzinfo=UTC)
        if contract is contracts[-1]:
            values = {**values, "new_service_users": None}  # a required figure left blank
        write_return(drop / f"{contract.service_id}.xlsx", contract, year_settings, {"Q1": values}, received)
    (drop / "broken.xlsx").write_bytes(b"not a workbook")

    summary = ingest_flow()

    assert (summary.files_processed, summary.files_quarantined, summary.returns_recorded) == (4, 1, 4)
    assert summary.statuses == {"accepted": 2, "quarantined": 1, "returned": 1}
    assert re.fullmatch(r"ingest-\d{4}-\d\d-\d\d-\d{4}(\d\d)?", summary.run_name), summary.run_name
    markdown = summary.markdown()
    assert (
        f"{contracts[-1].service_id} 2025/26 Q1 ({contracts[-1].service_id}.xlsx): required figures are missing"
        in markdown
    )
    assert "## Quarantined\n- broken.xlsx: " in markdown
    artifacts, task_names = asyncio.run(_artifacts_and_task_names())
    assert artifacts["ingest-summary"].data == markdown
    problems = {row["file"]: row for row in json.loads(artifacts["ingest-problems"].data)}
    assert problems[f"{contracts[-1].service_id}.xlsx"]["reasons"] == "required figures are missing"
    assert problems["broken.xlsx"]["outcome"] == "quarantined"
    assert any(name.startswith("read-SV00101.xlsx+") for name in task_names), task_names
    assert any(name.startswith("record-") for name in task_names)


async def _artifacts_and_task_names() -> tuple[dict[str, Any], list[str]]:
    async with get_client() as client:
        artifacts = await client.read_artifacts(limit=50)
        runs = await client.read_task_runs(limit=200)
    return {a.key: a for a in artifacts if a.key}, [run.name for run in runs]
