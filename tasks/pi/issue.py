"""Issuing the PI workbooks (``pi-workbook.md``, What an issued workbook must also do).

One workbook per service and year: a protected ``Contract`` page filled from
the contract record, four quarter pages ``Q1``..``Q4`` whose white cells the
provider fills, and a ``Guidance`` page. Every value cell sits immediately
right of its label and carries a workbook-scoped defined name, so the reader
finds it either way. The cell lists come from ``data_contracts.pi_workbook``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.pi_workbook import (
    CONTRACT_CELLS,
    CONTRACT_SHEET,
    GUIDANCE_SHEET,
    QUARTER_CELLS,
    QUARTERS,
    Cell,
    CellType,
    FilledBy,
    quarter_name,
    workbook_file_name,
)
from data_contracts.tables import ContractRecord
from foundation.programme import Programme, YearSettings
from tasks.calendar.dates import as_utc, days_in_quarter, quarter_period
from tasks.pi.rules import applicable_pis, is_accommodation

# Looks: white cells are the provider's, grey ones are issued, yellow ones are office use.
_FILLS = {
    FilledBy.ISSUED: PatternFill("solid", fgColor="D9D9D9"),
    FilledBy.PROVIDER: PatternFill("solid", fgColor="FFFFFF"),
    FilledBy.AUTHORITY: PatternFill("solid", fgColor="FFF2CC"),
}
_NUMBER_FORMATS = {
    CellType.TEXT: "@",
    CellType.WHOLE: "0",
    CellType.NUMBER: "General",
    CellType.DATE: "dd/mm/yyyy",
}
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_RED_FONT = Font(color="FFFF0000")
_EXCEL_EPOCH = date(1899, 12, 30)
_EARLIEST_DATE = date(2000, 1, 1)
CellValue = str | int | float | date | None
_UNITS_CELLS = ("units", "contracted_units")  # counts that must be above 0

PI_LABELS: dict[str, str] = {
    "SPI1": "SPI1 Service availability (%)",
    "SPI2": "SPI2 Utilisation (%)",
    "SPI3": "SPI3 Staffing (%)",
}

_GUIDANCE = (
    "How to complete this workbook",
    "Fill in the white cells on the page of the quarter you are reporting (Q1 to Q4). "
    "Grey cells are filled in by the authority and are locked.",
    "Enter counts as whole numbers and dates as dd/mm/yyyy. "
    "Leave a white cell blank only where it does not apply to your service.",
    "Referrals received must equal accepted + declined + withdrawn + pending, "
    "and the six ethnicity counts must add up to referrals received.",
    "The performance indicators below your figures are worked out from them. A figure in red is below "
    "the authority's trigger: explain it in Comments, in a sentence, before you send the return.",
    "If your unit numbers this quarter differ from the contract, explain why in Comments.",
    "Send the whole workbook back. Please do not rename the sheets or delete rows.",
)


@dataclass
class _Page:
    """One sheet being written top to bottom: a label in column A, its value in column B."""

    workbook: Workbook
    sheet: Worksheet
    values: Mapping[str, CellValue]
    quarter: str | None = None  # None on the contract page, whose names have no prefix
    earliest_date: date = _EARLIEST_DATE
    row: int = 1

    def line(self, text: str, bold: bool = False) -> None:
        """A line of text in column A."""
        self.sheet.cell(self.row, 1, text).font = _BOLD if bold else Font()
        self.row += 1

    def section(self, heading: str, cells: Sequence[Cell], lists: Mapping[tuple[str, ...], str]) -> None:
        """A bold heading, then one row per cell, then a blank row."""
        self.line(heading, bold=True)
        for cell in cells:
            self.value_cell(cell, _validation(cell, self.earliest_date, lists))
        self.row += 1

    def value_cell(self, cell: Cell, validation: DataValidation | None) -> None:
        """The label, the styled value cell, its defined name and its validation."""
        self.sheet.cell(self.row, 1, cell.label)
        target = self.sheet.cell(self.row, 2, self.values.get(cell.name))
        target.number_format = _NUMBER_FORMATS[cell.type]
        target.fill = _FILLS[cell.filled_by]
        target.border = _BOX
        target.protection = Protection(locked=cell.filled_by is not FilledBy.PROVIDER)
        if cell.name == "comments":
            target.alignment = Alignment(wrap_text=True, vertical="top")
            self.sheet.row_dimensions[self.row].height = 60
        name = quarter_name(self.quarter, cell.name) if self.quarter else cell.name
        _define_name(self.workbook, name, self.sheet, target.coordinate)
        if validation is not None:
            self.sheet.add_data_validation(validation)
            validation.add(target)
        self.row += 1

    def formula(self, label: str, formula: str, trigger: float) -> None:
        """A worked-out PI: its formula in column B, red font when below ``trigger``."""
        self.sheet.cell(self.row, 1, label)
        target = self.sheet.cell(self.row, 2, formula)
        target.number_format = "0.00"
        target.fill = _FILLS[FilledBy.ISSUED]
        target.border = _BOX
        self.sheet.cell(self.row, 3, f"Shown in red when below the trigger of {trigger:g}%")
        ref = target.coordinate
        red_when_low = FormulaRule(formula=[f"AND(ISNUMBER({ref}),{ref}<{float(trigger)!r})"], font=_RED_FONT)
        self.sheet.conditional_formatting.add(ref, red_when_low)
        self.row += 1


def build_pi_workbook(contract: ContractRecord, year_settings: YearSettings) -> Workbook:
    """The issued PI workbook of one service for the contract's year, ready to save."""
    workbook = Workbook()
    contract_sheet = workbook.worksheets[0]
    contract_sheet.title = CONTRACT_SHEET
    for quarter in QUARTERS:
        workbook.create_sheet(quarter)
    lists = _write_guidance(workbook.create_sheet(GUIDANCE_SHEET))
    _write_contract_page(_Page(workbook, contract_sheet, _contract_values(contract, year_settings)), lists)
    for quarter in QUARTERS:
        _write_quarter_page(workbook, quarter, contract, year_settings)
    workbook.calculation.fullCalcOnLoad = True  # the PI formulas have no saved values
    return workbook


def issue_pi_workbooks(
    contracts: Iterable[ContractRecord], programme: Programme, out_dir: Path
) -> list[Path]:
    """Write each contract's issued workbook into ``out_dir`` as ``PI_<service>_<year>_<version>.xlsx``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for contract in contracts:
        workbook = build_pi_workbook(contract, programme.year(contract.year))
        name = workbook_file_name(contract.service_id, contract.year, contract.workbook_version)
        paths.append(save_workbook(workbook, out_dir / name))
    return paths


def save_workbook(workbook: Workbook, path: Path, modified_at: datetime | None = None) -> Path:
    """Save under a temporary name, then rename, so that no half-written file is ever seen.

    ``modified_at`` (naive means UTC) becomes the file's modification time.
    """
    temporary = path.with_name(path.name + ".tmp")
    workbook.save(temporary)
    if modified_at is not None:
        stamp = as_utc(modified_at).timestamp()
        os.utime(temporary, (stamp, stamp))
    temporary.replace(path)
    return path


def _contract_values(contract: ContractRecord, year_settings: YearSettings) -> dict[str, CellValue]:
    values: dict[str, CellValue] = {cell.name: getattr(contract, cell.name, None) for cell in CONTRACT_CELLS}
    values["year_code"] = year_settings.code
    return values


def _write_contract_page(page: _Page, lists: Mapping[tuple[str, ...], str]) -> None:
    page.line("Supporting People contract", bold=True)
    page.line("Filled in by the authority from the contract record. Tell your contract manager of any error.")
    page.row += 1
    page.section("Contract", CONTRACT_CELLS, lists)
    _finish_sheet(page.sheet)


def _write_quarter_page(
    workbook: Workbook, quarter: str, contract: ContractRecord, year_settings: YearSettings
) -> None:
    start, end = quarter_period(contract.year, quarter)
    issued: dict[str, CellValue] = {
        "year_code": year_settings.code,
        "service_id": contract.service_id,
        "year": contract.year,
        "period_start": start,
        "period_end": end,
        "days_in_period": days_in_quarter(contract.year, quarter),
        "units": contract.contracted_units,
    }
    page = _Page(workbook, workbook[quarter], issued, quarter=quarter, earliest_date=start)
    page.line(f"Quarterly performance return: {quarter} {contract.year}", bold=True)
    page.line(f"{contract.service_id} {contract.service_name} ({contract.provider_name})")
    page.row += 1
    page.section("About this return (filled in by the authority)", _cells(FilledBy.ISSUED), {})
    page.section("Your figures for the quarter (fill in the white cells)", _cells(FilledBy.PROVIDER), {})
    page.line("Performance indicators (worked out from your figures)", bold=True)
    for pi, formula in pi_formulas(quarter, contract).items():
        page.formula(PI_LABELS[pi], formula, year_settings.triggers.of(pi))
    page.row += 1
    page.section("Office use only", _cells(FilledBy.AUTHORITY), {})
    _finish_sheet(page.sheet)


def _cells(filled_by: FilledBy) -> list[Cell]:
    return [cell for cell in QUARTER_CELLS if cell.filled_by is filled_by]


def pi_formulas(quarter: str, contract: ContractRecord) -> dict[str, str]:
    """The Excel formulas of SPI1, SPI2 and SPI3 on a quarter page, for those that apply to the service.

    They follow ``pi-rules.md`` (Formulas) and refer to the cells by defined name.
    """

    def cell(name: str) -> str:
        return quarter_name(quarter, name)

    units, days = cell("units"), cell("days_in_period")
    unavailable, occupied = cell("unit_days_unavailable"), cell("unit_days_occupied")
    unit_days = f"{units}*{days}"
    formulas = {"SPI1": _percentage([units, days, unavailable], f"{unit_days}-{unavailable}", unit_days)}
    if is_accommodation(contract):
        inputs = [units, days, unavailable, occupied]
        formulas["SPI2"] = _percentage(inputs, occupied, f"{unit_days}-{unavailable}")
    else:
        user_days = cell("service_user_days")
        formulas["SPI2"] = _percentage([units, days, user_days], user_days, unit_days)
    hours = cell("frontline_hours_delivered")
    formulas["SPI3"] = _percentage([hours, days], hours, f"frontline_hours_per_week*{days}/7")
    applicable = applicable_pis(contract)
    return {pi: formula for pi, formula in formulas.items() if pi in applicable}


def _percentage(inputs: Sequence[str], numerator: str, denominator: str) -> str:
    """``100 x numerator / denominator``: blank until every input is a number, and when dividing by 0."""
    count = f"COUNT({','.join(inputs)})<{len(inputs)}"
    return f'=IF({count},"",IF(({denominator})=0,"",100*({numerator})/({denominator})))'


def _validation(
    cell: Cell, earliest_date: date, lists: Mapping[tuple[str, ...], str]
) -> DataValidation | None:
    """The Excel data validation of a value cell (``None`` for free text)."""
    if cell.choices:
        rule = DataValidation(type="list", formula1=lists[cell.choices], allow_blank=True)
        rule.error = f"{cell.label}: choose a value from the list."
    elif cell.type is CellType.WHOLE and cell.name in _UNITS_CELLS:
        rule = DataValidation(type="whole", operator="greaterThan", formula1="0", allow_blank=True)
        rule.error = f"{cell.label}: enter a whole number above 0."
    elif cell.type is CellType.WHOLE:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule.error = f"{cell.label}: enter a whole number, 0 or more."
    elif cell.type is CellType.NUMBER:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule.error = f"{cell.label}: enter a number, 0 or more."
    elif cell.type is CellType.DATE:
        serial = str((earliest_date - _EXCEL_EPOCH).days)
        rule = DataValidation(type="date", operator="greaterThanOrEqual", formula1=serial, allow_blank=True)
        rule.error = f"{cell.label}: enter a date on or after {earliest_date:%d/%m/%Y}, as dd/mm/yyyy."
    else:
        return None
    rule.errorTitle = "Please check this cell"
    rule.showErrorMessage = True
    return rule


def _write_guidance(sheet: Worksheet) -> dict[tuple[str, ...], str]:
    """The guidance text, and the drop-down lists; returns each list's range by its choices."""
    for row, text in enumerate(_GUIDANCE, start=1):
        sheet.cell(row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(1, 1).font = _BOLD
    sheet.column_dimensions["A"].width = 90
    lists = {}
    for column, cell in enumerate((cell for cell in CONTRACT_CELLS if cell.choices), start=3):
        sheet.cell(1, column, cell.label).font = _BOLD
        for row, choice in enumerate(cell.choices, start=2):
            sheet.cell(row, column, choice)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 30
        lists[cell.choices] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${len(cell.choices) + 1}"
    sheet.protection.sheet = True
    return lists


def _define_name(workbook: Workbook, name: str, sheet: Worksheet, coordinate: str) -> None:
    """A workbook-scoped defined name for one cell, e.g. ``q2_units`` -> ``'Q2'!$B$16``."""
    reference = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(coordinate)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=reference)


def _finish_sheet(sheet: Worksheet) -> None:
    """Column widths, and protection: only the cells left unlocked can be typed in."""
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 45
    sheet.protection.sheet = True
