"""Reading a PI workbook's contract page and quarter pages into plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from data_contracts.pi_workbook import (
    CONTRACT_CELLS,
    CONTRACT_SHEET,
    PROVIDER_CELLS,
    QUARTER_CELL_BY_NAME,
    QUARTERS,
    RETURN_MARKER_CELLS,
    quarter_name,
)
from tasks.intake.normalise import is_blank, read_text
from tasks.intake.workbook_reader import Workbook


@dataclass
class QuarterPage:
    """One quarter page: its identity cells (text) and the provider cells as found."""

    quarter: str
    year_code: str | None
    service_id: str | None
    year: str | None
    cells: dict[str, Any] = field(default_factory=dict)  # provider cells, raw
    addresses: dict[str, str] = field(default_factory=dict)  # provider cell -> "Q2!B12"

    def is_return(self) -> bool:
        """A page is a return when any provider cell other than ``units`` has a value."""
        return any(not is_blank(self.cells.get(name)) for name in RETURN_MARKER_CELLS)


@dataclass
class PiWorkbookContent:
    """What a PI workbook holds: the contract page (if any) and every quarter page."""

    contract_page: dict[str, Any] | None
    quarter_pages: list[QuarterPage]

    @property
    def returns(self) -> list[QuarterPage]:
        """The quarter pages that are returns."""
        return [page for page in self.quarter_pages if page.is_return()]


def _sheet_of_names(workbook: Workbook, prefix: str) -> str | None:
    for name, address in workbook.defined_names.items():
        if name.startswith(prefix) and address is not None and address.sheet in workbook.sheet_names:
            return address.sheet
    return None


def contract_sheet(workbook: Workbook) -> str | None:
    """The contract page's sheet, by name or by where its defined names point."""
    return workbook.sheet(CONTRACT_SHEET) or _sheet_of_names(workbook, "service_id")


def quarter_sheet(workbook: Workbook, quarter: str) -> str | None:
    """A quarter page's sheet, by name or by where its defined names point."""
    return workbook.sheet(quarter) or _sheet_of_names(workbook, f"{quarter.lower()}_")


def read_contract_page(workbook: Workbook) -> dict[str, Any] | None:
    """The contract page's raw values by defined name, or ``None`` when there is no contract page."""
    sheet = contract_sheet(workbook)
    if sheet is None:
        return None
    return {cell.name: workbook.find(cell.name, sheet, cell.label).value for cell in CONTRACT_CELLS}


def read_quarter_page(workbook: Workbook, quarter: str, sheet: str) -> QuarterPage:
    """One quarter page's identity and provider cells."""

    def find(cell_name: str) -> Any:
        cell = QUARTER_CELL_BY_NAME[cell_name]
        return workbook.find(quarter_name(quarter, cell_name), sheet, cell.label)

    page = QuarterPage(
        quarter=quarter,
        year_code=read_text(find("year_code").value),
        service_id=read_text(find("service_id").value),
        year=read_text(find("year").value),
    )
    for cell in PROVIDER_CELLS:
        found = find(cell.name)
        page.cells[cell.name] = found.value
        if found.address is not None:
            page.addresses[cell.name] = str(found.address)
    return page


def read_pi_workbook(workbook: Workbook) -> PiWorkbookContent:
    """Every quarter page of the workbook, with the contract page when it has one."""
    pages = []
    for quarter in QUARTERS:
        sheet = quarter_sheet(workbook, quarter)
        if sheet is not None:
            pages.append(read_quarter_page(workbook, quarter, sheet))
    return PiWorkbookContent(contract_page=read_contract_page(workbook), quarter_pages=pages)


def is_qaf_workbook(workbook: Workbook) -> bool:
    """QAF workbooks carry ``qaf_*`` defined names or a ``Summary`` sheet and no quarter pages."""
    if any(name.startswith("qaf_") for name in workbook.defined_names):
        return True
    has_quarters = any(quarter_sheet(workbook, quarter) for quarter in QUARTERS)
    return workbook.sheet("Summary") is not None and not has_quarters
