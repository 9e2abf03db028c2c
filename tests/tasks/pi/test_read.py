"""Reading a PI workbook's contract and quarter pages (pi-workbook.md)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from data_contracts.pi_workbook import CONTRACT_CELLS, QUARTER_CELLS, quarter_name
from tasks.intake.workbook_reader import read_workbook
from tasks.pi.read import read_pi_workbook

LIMIT = 200 * 1024 * 1024
ISSUED = {"year_code": "TST-2526-ABC", "service_id": "SV00123", "year": "2025/26", "units": 10}


def build(
    quarters: dict[str, dict[str, Any]],
    contract: dict[str, Any] | None = None,
    names: bool = True,
    sheet_titles: dict[str, str] | None = None,
    offset: int = 0,
) -> bytes:
    """A PI workbook laid out as issued: labels in column A, values in column B, one row a cell."""
    titles = sheet_titles or {}
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    if contract is not None:
        sheet = book.create_sheet(titles.get("Contract", "Contract"))
        for row, cell in enumerate(CONTRACT_CELLS, start=1 + offset):
            sheet.cell(row, 1, cell.label)
            sheet.cell(row, 2, contract.get(cell.name))
            if names:
                book.defined_names[cell.name] = DefinedName(cell.name, attr_text=f"'{sheet.title}'!$B${row}")
    for quarter, values in quarters.items():
        sheet = book.create_sheet(titles.get(quarter, quarter))
        for row, cell in enumerate(QUARTER_CELLS, start=1 + offset):
            sheet.cell(row, 1, cell.label)
            sheet.cell(row, 2, values.get(cell.name))
            if names:
                name = quarter_name(quarter, cell.name)
                book.defined_names[name] = DefinedName(name, attr_text=f"'{sheet.title}'!$B${row}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes) -> Any:
    return read_pi_workbook(read_workbook(data, LIMIT))


def test_identity_comes_from_the_quarter_page() -> None:
    content = read(
        build(
            {"Q2": {**ISSUED, "new_service_users": 3}}, contract={"service_id": "SV99999", "year": "2024/25"}
        )
    )
    [page] = content.quarter_pages
    assert (page.quarter, page.service_id, page.year, page.year_code) == (
        "Q2",
        "SV00123",
        "2025/26",
        ISSUED["year_code"],
    )
    assert content.contract_page is not None
    assert content.contract_page["service_id"] == "SV99999"


def test_every_quarter_page_is_read_in_order_and_blank_ones_are_not_returns() -> None:
    content = read(
        build({q: dict(ISSUED) for q in ("Q1", "Q2", "Q3", "Q4")} | {"Q2": {**ISSUED, "comments": "x"}})
    )
    assert [p.quarter for p in content.quarter_pages] == ["Q1", "Q2", "Q3", "Q4"]
    assert [p.quarter for p in content.returns] == ["Q2"]


def test_units_alone_never_make_a_return() -> None:
    content = read(build({"Q1": {**ISSUED, "units": 12}}))
    assert content.returns == []


def test_cells_of_only_spaces_do_not_make_a_return() -> None:
    content = read(build({"Q1": {**ISSUED, "completed_by": "   ", "comments": " "}}))
    assert content.returns == []


@pytest.mark.parametrize("cell", ["office_checked_by", "office_date_checked", "office_comments"])
def test_office_cells_are_ignored(cell: str) -> None:
    content = read(build({"Q1": {**ISSUED, cell: "typed by the provider"}}))
    assert content.returns == []
    assert cell not in content.quarter_pages[0].cells


def test_a_zero_makes_a_return() -> None:
    assert [p.quarter for p in read(build({"Q3": {**ISSUED, "referrals_pending": 0}})).returns] == ["Q3"]


def test_days_in_period_is_not_read_from_the_workbook() -> None:
    [page] = read(build({"Q1": {**ISSUED, "days_in_period": 100, "new_service_users": 1}})).quarter_pages
    assert "days_in_period" not in page.cells


def test_provider_cells_are_raw_with_their_addresses() -> None:
    values = {
        **ISSUED,
        "unit_days_occupied": " 1,234 ",
        "date_completed": "14/10/2025",
        "comments": "All fine here",
    }
    [page] = read(build({"Q1": values})).quarter_pages
    assert page.cells["unit_days_occupied"] == " 1,234 "
    assert page.cells["date_completed"] == "14/10/2025"
    row = 1 + [c.name for c in QUARTER_CELLS].index("unit_days_occupied")
    assert page.addresses["unit_days_occupied"] == f"Q1!B{row}"


def test_without_names_the_cells_are_found_by_label_after_inserted_rows() -> None:
    [page] = read(build({"Q1": {**ISSUED, "new_service_users": 4}}, names=False, offset=3)).quarter_pages
    assert page.cells["new_service_users"] == 4
    assert page.service_id == "SV00123"
    row = 4 + [c.name for c in QUARTER_CELLS].index("new_service_users")
    assert page.addresses["new_service_users"] == f"Q1!B{row}"


def test_cut_down_to_one_quarter_sheet() -> None:
    content = read(build({"Q3": {**ISSUED, "new_service_users": 1}}))
    assert content.contract_page is None
    assert [p.quarter for p in content.quarter_pages] == ["Q3"]


def test_renamed_sheets_are_found_by_their_defined_names() -> None:
    data = build(
        {"Q2": {**ISSUED, "new_service_users": 1}},
        contract={"service_id": "SV00123"},
        sheet_titles={"Q2": "Jul-Sep", "Contract": "Our contract"},
    )
    content = read(data)
    assert [p.quarter for p in content.returns] == ["Q2"]
    assert content.contract_page is not None
    assert content.contract_page["service_id"] == "SV00123"
