"""A real ingestion whose archive disk fills mid-run loses nothing, says why, and the next run completes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from spmon.sample_data import demo_contracts
from tests.e2e.cli import Workspace, read_csv
from tests.flows.ingest_setup import RECEIVED, YEAR, demo_workspace, import_contracts, write_good_return
from tests.small_disk import small_disk

pytestmark = pytest.mark.e2e
RETURNS = 8


def _prepare(tmp_path: Path, prefect_api_url: str) -> tuple[Workspace, dict[str, str]]:
    """A workspace with eight good returns in its drop folder; file name -> sha256."""
    workspace = demo_workspace(tmp_path, prefect_api_url)
    contracts = demo_contracts(YEAR, count=RETURNS)
    originals = {}
    for index, contract in enumerate(contracts):
        path = workspace.drop / f"PI_{contract.service_id}_2025-26_V1.xlsx"
        write_good_return(path, contract, seed=index, received_at=RECEIVED.replace(minute=index))
        originals[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    import_contracts(workspace, contracts)
    return workspace, originals


def _nothing_lost(workspace: Workspace, archive: Path, originals: dict[str, str]) -> int:
    """Every original is in the drop folder or complete in the archive; how many are archived."""
    archived = 0
    for name, sha256 in originals.items():
        stored = archive / sha256[:2] / sha256 / name
        if stored.exists():
            assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256, f"{stored} is incomplete"
            archived += 1
        else:
            dropped = workspace.drop / name
            assert dropped.exists(), f"{name} is lost"
            assert hashlib.sha256(dropped.read_bytes()).hexdigest() == sha256
    return archived


def test_a_full_archive_disk_loses_nothing_and_the_next_run_completes(
    tmp_path: Path, prefect_api_url: str
) -> None:
    workspace, originals = _prepare(tmp_path, prefect_api_url)
    with small_disk(tmp_path / "archive", "64k") as disk:
        first = workspace.run("ingest", workspace.drop, check=False, SPMON_ARCHIVE_DIR=str(disk.path))
        assert first.returncode == 1, first.stdout + first.stderr
        last = first.stderr.strip().splitlines()[-1]  # Prefect logs the failed task above it
        assert last.startswith("failure: cannot file PI_SV"), last
        assert "No space left on device (ENOSPC)" in last and str(disk.path) in last
        assert _nothing_lost(workspace, disk.path, originals) < RETURNS

        disk.remount("size=8m")  # space is freed
        second = workspace.run("ingest", workspace.drop, SPMON_ARCHIVE_DIR=str(disk.path))
        assert second.returncode == 0
        assert _nothing_lost(workspace, disk.path, originals) == RETURNS
        assert not any(workspace.drop.iterdir())
    workspace.run("register", "export", tmp_path / "register.csv")
    rows = read_csv(tmp_path / "register.csv")
    assert sorted(row["source_file"] for row in rows) == sorted(originals)
    assert {row["status"] for row in rows} == {"accepted"}
