"""Hostile files never stop a run, never write outside the data folder, and give the same register on both databases.

The drop folder gets workbooks whose provider text is built to hurt: a
300-character service ID, a NUL byte in an ID and in a comment (written the
way Excel escapes it, ``_x0000_``), ``../`` in the IDs, a workbook version of
5,000 digits, 3e9 units, a 1 MB comment and a 5,000-digit count. A real
ingestion takes them all (exit 0), writes only under the data folder, and
SQLite and PostgreSQL end with the same register and the same notices. Two
files have names no database can hold as they are (bytes that are not UTF-8, a
control character).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from data_contracts.tables import ContractRecord
from spmon.sample_data import demo_contracts, demo_programme, good_quarter_values, write_return
from tests.e2e.cli import Workspace, read_csv
from tests.flows.ingest_setup import (
    RECEIVED,
    YEAR,
    contract_row,
    demo_workspace,
    import_contracts,
    write_contracts_csv,
)

pytestmark = pytest.mark.e2e
NUL = "_x0000_"  # how a workbook holds a NUL character in text


def _contracts() -> list[ContractRecord]:
    return demo_contracts(YEAR, count=2)


def _like(contract: ContractRecord, **changes: object) -> ContractRecord:
    return contract.model_copy(update=changes)


def _hostile_drop(folder: Path) -> dict[str, set[str]]:
    """Write the hostile workbooks; file name -> reasons its first row must have."""
    first, second = _contracts()
    settings = demo_programme([YEAR]).year(YEAR)
    q1 = good_quarter_values(first, "Q1", seed=1)
    q1_second = good_quarter_values(second, "Q1", seed=2)
    q2 = good_quarter_values(first, "Q2", seed=3)  # another quarter, so nothing supersedes it
    q2_second = good_quarter_values(second, "Q2", seed=4)
    cases: dict[str, tuple[ContractRecord, dict[str, object], set[str]]] = {
        "long_ids.xlsx": (
            _like(first, service_id="SV" + "9" * 298, provider_id="PR" + "8" * 298),
            q1,
            {"unknown_service"},
        ),
        "nul_id.xlsx": (
            _like(first, service_id=f"SV00101{NUL}", provider_id=f"PR{NUL}1"),
            q1,
            {"unknown_service"},
        ),
        "traversal.xlsx": (
            _like(first, service_id="../../../../escaped", provider_id="../../../escaped_provider"),
            q1,
            {"unknown_service"},
        ),
        "version.xlsx": (_like(first, workbook_version="V" + "1" * 5000), q1, {"outdated_version"}),
        "units.xlsx": (second, q1_second | {"units": 3_000_000_000}, {"units_changed_unexplained"}),
        # a 1 MB comment: what the workbook reader gives is held the same on both databases
        "long_comment.xlsx": (first, q2 | {"comments": "word " * 210_000}, set()),
        "nul_text.xlsx": (
            second,
            q2_second | {"comments": f"All{NUL} explained here", "referrals_received": "1" * 5000},
            {"invalid_value"},
        ),
    }
    for offset, (name, (contract, values, _)) in enumerate(sorted(cases.items())):
        received = RECEIVED.replace(minute=offset)
        quarter = "Q2" if name in ("long_comment.xlsx", "nul_text.xlsx") else "Q1"
        write_return(folder / name, contract, settings, {quarter: values}, received_at=received)
    for raw_name in (b"bad\xffname.xlsx", b"ctrl\x01name.xlsx"):  # a name no database can hold as it is
        (folder / os.fsdecode(raw_name)).write_bytes(b"not a workbook: " + raw_name)
    expected = {name: reasons for name, (_, _, reasons) in cases.items()}
    return expected | {"bad\ufffdname.xlsx": {"unreadable"}, "ctrl\x01name.xlsx": {"unreadable"}}


def _files_under(folder: Path) -> set[Path]:
    return {Path(root) / name for root, _, names in os.walk(folder) for name in names}


def _ingest(root: Path, drop: Path, prefect_api_url: str, database_url: str | None = None) -> Workspace:
    workspace = demo_workspace(root, prefect_api_url, database_url)
    shutil.copytree(drop, workspace.drop)  # copytree keeps the received times
    import_contracts(workspace, _contracts())
    before = _files_under(root)
    workspace.run("ingest", workspace.drop)
    written = _files_under(root) - before
    outside = {path for path in written if not path.is_relative_to(workspace.data)}
    assert outside == set(), f"written outside the data folder: {outside}"
    return workspace


def _register(workspace: Workspace) -> list[dict[str, str]]:
    out = workspace.root / "register.csv"
    workspace.run("register", "export", out)
    return read_csv(out)


def _notices(workspace: Workspace) -> dict[str, str]:
    outbox = workspace.data / "outbox"
    return {str(p.relative_to(outbox)): p.read_text(encoding="utf-8") for p in sorted(outbox.rglob("*.txt"))}


def _check_outcome(workspace: Workspace, expected: dict[str, set[str]]) -> list[dict[str, str]]:
    rows = _register(workspace)
    by_file = {row["source_file"]: row for row in rows}
    assert len(rows) == len(by_file) == len(expected)
    assert set(by_file) == set(expected)
    for name, reasons in expected.items():
        row = by_file[name]
        if reasons:
            assert row["status"] == ("quarantined" if reasons == {"unreadable"} else "returned"), (name, row)
            assert reasons <= set(row["reasons"].split(";")), (name, row["reasons"])
    assert len(by_file["long_ids.xlsx"]["service_id"]) <= 64
    assert "\x00" not in "".join(value for row in rows for value in row.values())
    assert not any(workspace.drop.iterdir()), "every file is archived"
    notices = _notices(workspace)
    assert len(notices) == sum(1 for row in rows if row["status"] == "returned")
    assert all(len(part.encode()) <= 255 for name in notices for part in Path(name).parts)
    return rows


def test_hostile_files_on_sqlite(tmp_path: Path, prefect_api_url: str) -> None:
    drop = tmp_path / "hostile"
    expected = _hostile_drop(drop)
    workspace = _ingest(tmp_path / "sqlite", drop, prefect_api_url)
    _check_outcome(workspace, expected)
    assert all(len(Path(name).parts) == 3 for name in _notices(workspace)), "pi/<provider>/<notice>.txt"
    again = workspace.run("ingest", workspace.drop)  # a later run is not troubled by the notices
    assert again.returncode == 0


@pytest.mark.postgres
def test_hostile_files_give_the_same_register_on_sqlite_and_postgresql(
    tmp_path: Path, prefect_api_url: str, postgres_url: str
) -> None:
    drop = tmp_path / "hostile"
    expected = _hostile_drop(drop)
    on_sqlite = _ingest(tmp_path / "sqlite", drop, prefect_api_url)
    on_postgres = _ingest(tmp_path / "postgres", drop, prefect_api_url, database_url=postgres_url)
    assert _check_outcome(on_postgres, expected) == _check_outcome(on_sqlite, expected)
    assert _notices(on_postgres) == _notices(on_sqlite)


def _hostile_contract_rows() -> dict[str, dict[str, object]]:
    contract = _contracts()[0]
    row = contract_row(contract)
    return {
        "contracted_units": row | {"contracted_units": "3000000000"},
        "service_id": row | {"service_id": "SV" + "1" * 40},
        "service_name": row | {"service_name": "Hostel\x00"},
        "workbook_version": row | {"workbook_version": "V" + "1" * 5000},
    }


@pytest.mark.parametrize("column", sorted(_hostile_contract_rows()))
@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_contract_value_the_database_cannot_hold_is_bad_input_on_both(
    tmp_path: Path, prefect_api_url: str, request: pytest.FixtureRequest, column: str, database: str
) -> None:
    url = request.getfixturevalue("postgres_url") if database == "postgres" else None
    workspace = demo_workspace(tmp_path, prefect_api_url, database_url=url)
    workspace.run("init")
    path = write_contracts_csv(tmp_path / "contracts.csv", [_hostile_contract_rows()[column]])
    result = workspace.run("contracts", "import", path, check=False)
    assert result.returncode == 2, result.stderr
    assert f"row 2, column {column}" in result.stderr
    assert "Traceback" not in result.stderr
