"""What the flow, end-to-end and fuzz tests set up alike: the demo year, a Prefect harness,
settings pointed at a scratch folder, good returns in a drop folder, a contracts CSV.

Use the harness as a module fixture with ``harness = pytest.fixture(scope="module")(prefect_harness)``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from data_contracts.tables import ContractRecord
from foundation.db import session_scope, upgrade
from foundation.settings import Settings, get_settings
from spmon.sample_data import demo_programme, demo_programme_toml, good_quarter_values, write_return
from tasks.common.contract_records import CONTRACT_COLUMNS
from tests.e2e.cli import Workspace

YEAR = "2025/26"
RECEIVED = datetime(2025, 7, 10, 9, 0, tzinfo=UTC)


def prefect_harness() -> Iterator[None]:
    """A throwaway Prefect server and database for the tests that use it."""
    with prefect_test_harness(server_startup_timeout=180):
        yield


def write_programme(folder: Path) -> Path:
    """``folder/programme.toml`` holding the demo year."""
    programme = folder / "programme.toml"
    programme.write_text(demo_programme_toml([YEAR]), encoding="utf-8")
    return programme


@contextmanager
def in_process_settings(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    contracts: Iterable[ContractRecord] = (),
    **variables: str,
) -> Iterator[Settings]:
    """Settings with data under ``root/data``, files taken at once, the schema made and ``contracts`` stored."""
    for name, value in {
        "SPMON_DATA_DIR": str(root / "data"),
        "SPMON_PROGRAMME_FILE": str(write_programme(root)),
        "SPMON_SETTLE_SECONDS": "0",
        **variables,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        upgrade(get_settings().database)
        with session_scope(get_settings().database) as session:
            session.add_all(list(contracts))
        yield get_settings()
    finally:
        get_settings.cache_clear()


def write_good_return(
    path: Path,
    contract: ContractRecord,
    seed: int,
    received_at: datetime | None = None,
    changes: Mapping[str, object] | None = None,
) -> Path:
    """A workbook with a good first quarter of the demo year (values changed by ``changes``)."""
    values = {**good_quarter_values(contract, "Q1", seed=seed), **(changes or {})}
    year = demo_programme([YEAR]).year(YEAR)
    return write_return(path, contract, year, {"Q1": values}, received_at=received_at)


def write_contracts_csv(path: Path, rows: Iterable[ContractRecord | Mapping[str, object]]) -> Path:
    """A contracts file for ``spmon contracts import``: one row per contract record or column mapping."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CONTRACT_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row if isinstance(row, Mapping) else contract_row(row))
    return path


def contract_row(contract: ContractRecord) -> dict[str, object]:
    """A contract record as the columns of a contracts file."""
    return {column: getattr(contract, column) for column in CONTRACT_COLUMNS}


def demo_workspace(root: Path, prefect_api_url: str, database_url: str | None = None) -> Workspace:
    """A scratch workspace under ``root`` whose programme file holds the demo year."""
    root.mkdir(parents=True, exist_ok=True)
    return Workspace(root, write_programme(root), prefect_api_url, database_url=database_url)


def import_contracts(workspace: Workspace, contracts: Iterable[ContractRecord]) -> Workspace:
    """Make the workspace's database and import ``contracts`` through the command line."""
    workspace.run("init")
    workspace.run("contracts", "import", write_contracts_csv(workspace.root / "contracts.csv", contracts))
    return workspace
