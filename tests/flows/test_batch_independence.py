"""No outcome depends on the batch size: statuses, register, outbox and summary are the same for 1, 7 and 1000.

The drop folder holds returns that a later file of the same run corrects,
so with small batches the correction lands in a later batch than the return
it supersedes: the provider must not be told to fix what it has fixed.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spmon.sample_data import demo_contracts
from tests.e2e.cli import Workspace
from tests.e2e.snapshot import picture
from tests.flows.ingest_setup import YEAR, in_process_settings, prefect_harness, write_good_return

pytestmark = pytest.mark.e2e
harness = pytest.fixture(scope="module")(prefect_harness)


@pytest.fixture(scope="module")
def drop_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine files: clean returns, two returned ones each corrected later in the drop, a copy, a broken file."""
    drop = tmp_path_factory.mktemp("drop")
    contracts = demo_contracts(YEAR, count=5)
    start = datetime(2025, 7, 7, 9, tzinfo=UTC)
    files: list[tuple[str, Any, dict[str, object]]] = [
        (f"{contract.service_id} Q1.xlsx", contract, {}) for contract in contracts
    ]
    for contract in contracts[:2]:  # returned first (a blank figure), corrected by a later file
        files.insert(0, (f"{contract.service_id} Q1 first.xlsx", contract, {"new_service_users": None}))
    for number, (name, contract, changes) in enumerate(files):
        write_good_return(drop / name, contract, 5, start + timedelta(hours=number), changes)
    shutil.copy2(drop / files[-1][0], drop / "copy of the last.xlsx")
    (drop / "zz broken.xlsx").write_bytes(b"not a workbook")
    return drop


def _run(root: Path, drop: Path, batch_size: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from flows.ingest_flow import ingest_flow

    workspace = Workspace(root=root, programme=root / "programme.toml", prefect_api_url="")
    shutil.copytree(drop, workspace.drop)
    batches = {"SPMON_DROP_DIR": str(workspace.drop), "SPMON_BATCH_SIZE": str(batch_size)}
    with in_process_settings(root, monkeypatch, demo_contracts(YEAR, count=5), **batches):
        summary = ingest_flow()
    result = picture(workspace)
    result["summary"] = summary.markdown().split("\n", 1)[1]  # all but the title with the run's name
    return result


def test_statuses_register_outbox_and_summary_do_not_depend_on_the_batch_size(
    harness: None, drop_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pictures = {
        size: _run(tmp_path / f"batch-{size}", drop_folder, size, monkeypatch) for size in (1, 7, 1000)
    }
    one_batch = pictures[1000]
    statuses = sorted(row[7] for row in one_batch["db"]["returns"])
    assert statuses.count("superseded") == 2 and statuses.count("returned") == 0, statuses
    assert one_batch["notices"] == {}, "a provider was told to fix a return it had already fixed"
    for size in (1, 7):
        for part in ("db", "folders", "notices", "summary"):
            assert pictures[size][part] == one_batch[part], f"batch size {size}: the {part} differ"
