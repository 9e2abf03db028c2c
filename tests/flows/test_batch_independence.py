"""No outcome depends on the batch size: statuses, register, outbox and summary are the same for 1, 7 and 1000.

The drop folder holds returns that a later file of the same run corrects,
so with small batches the correction lands in a later batch than the return
it supersedes: the provider must not be told to fix what it has fixed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
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
from tests.e2e.cli import Workspace
from tests.e2e.snapshot import picture

pytestmark = pytest.mark.e2e
YEAR = "2025/26"


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def drop_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine files: clean returns, two returned ones each corrected later in the drop, a copy, a broken file."""
    drop = tmp_path_factory.mktemp("drop")
    contracts = demo_contracts(YEAR, count=5)
    year = demo_programme([YEAR]).year(YEAR)
    start = datetime(2025, 7, 7, 9, tzinfo=UTC)
    files: list[tuple[str, Any, dict[str, object]]] = []
    for contract in contracts:
        files.append(
            (f"{contract.service_id} Q1.xlsx", contract, good_quarter_values(contract, "Q1", seed=5))
        )
    for contract in contracts[:2]:  # returned first (a blank figure), corrected by a later file
        blank = {**good_quarter_values(contract, "Q1", seed=5), "new_service_users": None}
        files.insert(0, (f"{contract.service_id} Q1 first.xlsx", contract, blank))
    for number, (name, contract, values) in enumerate(files):
        write_return(drop / name, contract, year, {"Q1": values}, start + timedelta(hours=number))
    shutil.copy2(drop / files[-1][0], drop / "copy of the last.xlsx")
    (drop / "zz broken.xlsx").write_bytes(b"not a workbook")
    return drop


def _run(root: Path, drop: Path, batch_size: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from flows.ingest_flow import ingest_flow

    workspace = Workspace(root=root, programme=root / "programme.toml", prefect_api_url="")
    shutil.copytree(drop, workspace.drop)
    root.joinpath("programme.toml").write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    for name, value in {
        "SPMON_DATA_DIR": str(workspace.data),
        "SPMON_DROP_DIR": str(workspace.drop),
        "SPMON_PROGRAMME_FILE": str(workspace.programme),
        "SPMON_SETTLE_SECONDS": "0",
        "SPMON_BATCH_SIZE": str(batch_size),
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    upgrade(get_settings().database)
    with session_scope(get_settings().database) as session:
        session.add_all(demo_contracts(YEAR, count=5))
    summary = ingest_flow()
    get_settings.cache_clear()
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
