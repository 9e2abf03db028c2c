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

from foundation.db import session_scope
from foundation.settings import get_settings
from spmon.sample_data import demo_contracts
from tests.flows.ingest_setup import YEAR, in_process_settings, prefect_harness, write_good_return

pytestmark = pytest.mark.e2e
harness = pytest.fixture(scope="module")(prefect_harness)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with in_process_settings(tmp_path, monkeypatch):
        yield


def test_a_run_names_itself_and_publishes_its_summary(harness: None, settings: None) -> None:
    from flows.ingest_flow import ingest_flow

    contracts = demo_contracts(YEAR, count=3)
    with session_scope(get_settings().database) as session:
        session.add_all(contracts)
    drop = get_settings().drop
    received = datetime(2025, 7, 8, 10, tzinfo=UTC)
    for contract in contracts[:-1]:
        write_good_return(drop / f"{contract.service_id}.xlsx", contract, 2, received)
    last = contracts[-1]  # a required figure left blank
    write_good_return(drop / f"{last.service_id}.xlsx", last, 2, received, {"new_service_users": None})
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
