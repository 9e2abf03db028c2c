"""Officers' imports: contract records and extensions, CSV or XLSX, all or nothing (interface.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from data_contracts.tables import ContractRecord, Extension
from foundation.errors import BadInput
from tasks.common.contract_records import (
    CONTRACT_COLUMNS,
    EXTENSION_COLUMNS,
    import_contracts,
    import_extensions,
)
from tests.factories.sessions import sqlite_session

HEADER = [
    "year", "service_id", "service_name", "provider_id", "provider_name", "client_group", "service_type",
    "administering_authority", "contracted_units", "planned_duration", "out_of_hours_cover", "contract_manager",
    "contract_manager_contact", "frontline_staff_fte", "frontline_hours_per_week", "management_staff_fte",
    "management_hours_per_week", "other_staff_fte", "workbook_version",
]  # fmt: skip


def record(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "year": "2025/26",
        "service_id": "SV00123",
        "service_name": "Harbour House",
        "provider_id": "PR0042",
        "provider_name": "Harbour Housing Trust",
        "client_group": "Single homeless",
        "service_type": "Accommodation based",
        "administering_authority": "Testshire County Council",
        "contracted_units": "10",
        "planned_duration": "Short term",
        "out_of_hours_cover": "Yes",
        "contract_manager": "Sam Jones",
        "contract_manager_contact": "sam.jones@example.org",
        "frontline_staff_fte": "2",
        "frontline_hours_per_week": "35",
        "management_staff_fte": "0.5",
        "management_hours_per_week": "10",
        "other_staff_fte": "0",
        "workbook_version": "V1",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict[str, Any]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)  # type: ignore[union-attr]
    for row in rows:
        sheet.append([row.get(column) for column in header])  # type: ignore[union-attr]
    book.save(path)
    return path


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def count(session: Session, table: Any) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def test_columns_are_the_interface_columns() -> None:
    assert set(CONTRACT_COLUMNS) == set(HEADER)
    assert EXTENSION_COLUMNS == ("service_id", "year", "quarter", "until")


def test_import_contracts_csv(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "contracts.csv", [record(), record(service_id="SV00200", contracted_units="1,200")]
    )
    assert import_contracts(session, path) == 2
    session.commit()
    stored = session.get(ContractRecord, ("2025/26", "SV00200"))
    assert stored is not None
    assert stored.contracted_units == 1200
    assert stored.frontline_hours_per_week == 35.0


def test_import_contracts_xlsx_with_numbers_as_numbers(session: Session, tmp_path: Path) -> None:
    row = record(
        contracted_units=10, frontline_hours_per_week=37.5, management_staff_fte=0.5, other_staff_fte=0
    )
    path = write_xlsx(tmp_path / "contracts.xlsx", [row])
    assert import_contracts(session, path) == 1
    stored = session.get(ContractRecord, ("2025/26", "SV00123"))
    assert stored is not None
    assert (stored.contracted_units, stored.frontline_hours_per_week) == (10, 37.5)


def test_choices_are_read_in_any_case_and_versions_normalised(session: Session, tmp_path: Path) -> None:
    row = record(service_type=" floating SUPPORT ", planned_duration="long term", workbook_version="v2")
    import_contracts(session, write_csv(tmp_path / "c.csv", [row]))
    stored = session.get(ContractRecord, ("2025/26", "SV00123"))
    assert stored is not None
    assert (stored.service_type, stored.planned_duration, stored.workbook_version) == (
        "Floating support",
        "Long term",
        "V2",
    )


def test_blank_version_is_v1(session: Session, tmp_path: Path) -> None:
    import_contracts(session, write_csv(tmp_path / "c.csv", [record(workbook_version="")]))
    stored = session.get(ContractRecord, ("2025/26", "SV00123"))
    assert stored is not None and stored.workbook_version == "V1"


def test_upsert_by_year_and_service_id(session: Session, tmp_path: Path) -> None:
    import_contracts(session, write_csv(tmp_path / "a.csv", [record()]))
    session.commit()
    import_contracts(
        session, write_csv(tmp_path / "b.csv", [record(contracted_units="12"), record(year="2026/27")])
    )
    session.commit()
    assert count(session, ContractRecord) == 2
    stored = session.get(ContractRecord, ("2025/26", "SV00123"))
    assert stored is not None and stored.contracted_units == 12


@pytest.mark.parametrize(
    ("changes", "row", "column", "why"),
    [
        ({"year": "2025-26"}, 3, "year", "'2025-26' is not a year like 2025/26"),
        ({"year": "2025/27"}, 3, "year", "not a year"),
        ({"service_type": "Hostel"}, 3, "service_type", "'Hostel' is not one of"),
        ({"client_group": "Everyone"}, 3, "client_group", "is not one of"),
        ({"planned_duration": "Medium term"}, 3, "planned_duration", "is not one of"),
        ({"out_of_hours_cover": "Maybe"}, 3, "out_of_hours_cover", "is not one of"),
        ({"contracted_units": "0"}, 3, "contracted_units", "0 must be more than 0"),
        ({"contracted_units": "2.5"}, 3, "contracted_units", "2.5 is not a whole number"),
        ({"contracted_units": "ten"}, 3, "contracted_units", "'ten' is not a number"),
        ({"frontline_hours_per_week": "-1"}, 3, "frontline_hours_per_week", "-1 must be at least 0"),
        ({"service_name": "  "}, 3, "service_name", "is blank"),
        ({"workbook_version": "version 2"}, 3, "workbook_version", "is not a version like V1"),
    ],
)
def test_a_bad_row_imports_nothing_and_names_file_row_and_column(
    session: Session, tmp_path: Path, changes: dict[str, Any], row: int, column: str, why: str
) -> None:
    path = write_csv(tmp_path / "contracts.csv", [record(service_id="SV00001"), record(**changes)])
    with pytest.raises(BadInput) as raised:
        import_contracts(session, path)
    message = str(raised.value)
    assert f"{path}: row {row}, column {column}: " in message
    assert why in message
    assert "nothing imported" in message
    assert count(session, ContractRecord) == 0


def test_every_bad_cell_is_reported(session: Session, tmp_path: Path) -> None:
    rows = [record(year="bad"), record(service_id="SV00002", contracted_units="0", service_type="x")]
    path = write_csv(tmp_path / "contracts.csv", rows)
    with pytest.raises(BadInput) as raised:
        import_contracts(session, path)
    message = str(raised.value)
    assert "row 2, column year" in message
    assert "row 3, column contracted_units" in message
    assert "row 3, column service_type" in message


def test_bad_xlsx_row_names_the_sheet_row(session: Session, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "contracts.xlsx", [record(), record(service_id="SV00002", contracted_units=0)]
    )
    with pytest.raises(BadInput, match=r"row 3, column contracted_units"):
        import_contracts(session, path)
    assert count(session, ContractRecord) == 0


def test_missing_column_is_named(session: Session, tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "frontline_hours_per_week"]
    path = write_csv(tmp_path / "contracts.csv", [record()], header=header)
    with pytest.raises(BadInput, match=r"row 1: missing column\(s\) frontline_hours_per_week"):
        import_contracts(session, path)


def test_repeated_key_is_bad_input(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "contracts.csv", [record(), record(service_name="Again")])
    with pytest.raises(BadInput, match="row 3: repeats the year and service_id of row 2"):
        import_contracts(session, path)
    assert count(session, ContractRecord) == 0


def test_blank_lines_are_skipped(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "contracts.csv", [record(), dict.fromkeys(HEADER, ""), record(service_id="SV2")]
    )
    assert import_contracts(session, path) == 2


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"", "empty"),
        ("year,service_id\n2025/26,SV\xe9\n".encode("latin-1"), "not a UTF-8 CSV"),
    ],
)
def test_unreadable_csv_is_bad_input(session: Session, tmp_path: Path, body: bytes, why: str) -> None:
    path = tmp_path / "contracts.csv"
    path.write_bytes(body)
    with pytest.raises(BadInput, match=why):
        import_contracts(session, path)


def test_unreadable_xlsx_and_missing_file_are_bad_input(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "contracts.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(BadInput, match="not a readable .xlsx"):
        import_contracts(session, path)
    with pytest.raises(BadInput, match="file not found"):
        import_contracts(session, tmp_path / "missing.csv")


def test_csv_with_a_byte_order_mark(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "contracts.csv", [record()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert import_contracts(session, path) == 1


# --- extensions -----------------------------------------------------------------------------


def write_extensions(path: Path, lines: list[str]) -> Path:
    path.write_text("service_id,year,quarter,until\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_extensions(session: Session, tmp_path: Path) -> None:
    path = write_extensions(
        tmp_path / "ext.csv", ["SV00123,2025/26,Q2,2025-11-07", "SV00123,2025/26,q3,5/1/2026"]
    )
    assert import_extensions(session, path) == 2
    stored = session.get(Extension, ("SV00123", "2025/26", "Q3"))
    assert stored is not None and stored.until == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("line", "column", "why"),
    [
        ("SV00123,2025-26,Q2,2025-11-07", "year", "not a year"),
        ("SV00123,2025/26,Q5,2025-11-07", "quarter", "'Q5' is not a quarter Q1..Q4"),
        ("SV00123,2025/26,Q2,31/02/2026", "until", "not a real date"),
        ("SV00123,2025/26,Q2,", "until", "is blank"),
        (",2025/26,Q2,2025-11-07", "service_id", "is blank"),
    ],
)
def test_bad_extension_imports_nothing(
    session: Session, tmp_path: Path, line: str, column: str, why: str
) -> None:
    path = write_extensions(tmp_path / "ext.csv", ["SV00999,2025/26,Q1,2025-08-01", line])
    with pytest.raises(BadInput) as raised:
        import_extensions(session, path)
    assert f"row 3, column {column}: " in str(raised.value)
    assert why in str(raised.value)
    assert count(session, Extension) == 0


def test_repeated_extension_is_bad_input(session: Session, tmp_path: Path) -> None:
    path = write_extensions(tmp_path / "ext.csv", ["SV1,2025/26,Q2,2025-11-07", "SV1,2025/26,Q2,2025-11-08"])
    with pytest.raises(BadInput, match="repeats the service_id, year and quarter of row 2"):
        import_extensions(session, path)


@pytest.mark.parametrize(
    ("changes", "column", "why"),
    [
        ({"contracted_units": "3000000000"}, "contracted_units", "is too large (at most 2147483647)"),
        ({"contracted_units": "1" * 5000}, "contracted_units", "too large to be a figure"),
        ({"service_id": "SV" + "1" * 40}, "service_id", "more than the 32 allowed"),
        ({"service_id": "../SV00001"}, "service_id", "is not an ID"),
        ({"provider_id": "PR 0001"}, "provider_id", "is not an ID"),
        ({"service_name": "Hostel\x00"}, "service_name", "holds a control character"),
        ({"workbook_version": "V" + "1" * 5000}, "workbook_version", "is not a version like V1"),
        ({"contract_manager": "x" * 40_000}, "contract_manager", "more than the 32767 allowed"),
    ],
)
def test_a_value_the_database_cannot_hold_is_bad_input(
    session: Session, tmp_path: Path, changes: dict[str, Any], column: str, why: str
) -> None:
    path = write_csv(tmp_path / "contracts.csv", [record(**changes)])
    with pytest.raises(BadInput) as raised:
        import_contracts(session, path)
    assert f"{path}: row 2, column {column}: " in str(raised.value)
    assert why in str(raised.value)
    assert count(session, ContractRecord) == 0
