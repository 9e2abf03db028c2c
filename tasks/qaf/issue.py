"""Issuing the QAF workbooks (``qaf.md``, The workbook): one per provider and year.

A ``Summary`` page (issued cells locked and grey; grades, completed by and
date completed white, with drop-downs and date checks) whose value cells sit
right of their labels and carry workbook-scoped defined names, then one sheet
per assessed objective with its requirements by level and an Evidence column.
The Lite form, issued where all the provider's services are community alarms,
has no C1.1 and C1.2 sheets and their grades are locked. Reading an issued
workbook back (``tasks.qaf.read``) gives what was issued.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.pi_workbook import Cell, CellType, FilledBy
from data_contracts.qaf_workbook import (
    FULL,
    GRADES,
    LITE,
    LITE_OMITS,
    OBJECTIVES,
    SUMMARY_CELLS,
    SUMMARY_SHEET,
    TABLE_HEADER,
    Objective,
    assessed_objectives,
    is_community_alarm,
    qaf_file_name,
    requirements_of,
)
from data_contracts.tables import ContractRecord
from foundation.errors import BadInput
from foundation.programme import Programme, YearSettings
from tasks.pi.issue import save_workbook

_GREY = PatternFill("solid", fgColor="D9D9D9")
_WHITE = PatternFill("solid", fgColor="FFFFFF")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_VALUE_ROW = 4
CellValue = str | date | None

_GUIDANCE = (
    "Claim a grade A, B, C or D for each core objective. C is the minimum standard.",
    "On each objective's sheet, write the evidence for every requirement up to the grade you claim "
    "(C for grade C; C and B for grade B; C, B and A for grade A).",
    "Evidence is a description of at least three words, such as 'Policy in place since 2023': "
    "a tick, 'yes' or 'done' is not evidence.",
    "Send the whole workbook back. Please do not rename the sheets or change the Requirement column.",
)


def form_for(services: Sequence[ContractRecord]) -> str:
    """``Lite`` where every service is a community alarm, else ``Full``."""
    return LITE if services and all(is_community_alarm(s.service_type) for s in services) else FULL


def build_qaf_workbook(
    provider_id: str,
    provider_name: str,
    services: list[ContractRecord],
    year: str,
    year_settings: YearSettings,
) -> Workbook:
    """The issued QAF workbook of one provider for the year, ready to save."""
    form = form_for(services)
    issued: dict[str, CellValue] = {
        "qaf_year_code": year_settings.code,
        "qaf_year": year,
        "qaf_provider_id": provider_id,
        "qaf_provider_name": provider_name,
        "qaf_service_ids": "; ".join(sorted({s.service_id for s in services})),
        "qaf_form": form,
    }
    workbook = Workbook()
    summary = workbook.worksheets[0]
    summary.title = SUMMARY_SHEET
    _write_summary(workbook, summary, issued, form)
    for objective in OBJECTIVES:
        if objective.code in assessed_objectives(form):
            _write_objective(workbook.create_sheet(objective.code), objective)
    return workbook


def _write_summary(workbook: Workbook, sheet: Worksheet, issued: dict[str, CellValue], form: str) -> None:
    sheet.cell(1, 1, "Quality Assessment Framework: annual self-assessment").font = _BOLD
    sheet.cell(2, 1, _GUIDANCE[0])
    for row, cell in enumerate(SUMMARY_CELLS, start=_FIRST_VALUE_ROW):
        not_assessed = form == LITE and cell.name in _lite_omitted_cells()
        filled_by_provider = cell.filled_by is FilledBy.PROVIDER and not not_assessed
        sheet.cell(row, 1, cell.label)
        target = sheet.cell(row, 2, issued.get(cell.name))
        target.fill = _WHITE if filled_by_provider else _GREY
        target.border = _BOX
        target.protection = Protection(locked=not filled_by_provider)
        target.number_format = "dd/mm/yyyy" if cell.type is CellType.DATE else "@"
        _define_name(workbook, cell.name, sheet, target.coordinate)
        if not_assessed:
            sheet.cell(row, 3, "Not assessed on the Lite form")
        elif filled_by_provider:
            _validate(sheet, cell, target.coordinate)
    guidance_row = _FIRST_VALUE_ROW + len(SUMMARY_CELLS) + 1
    for offset, text in enumerate(_GUIDANCE[1:]):
        sheet.cell(guidance_row + offset, 1, text)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 32
    _protect(sheet)


def _lite_omitted_cells() -> set[str]:
    return {o.claimed_cell for o in OBJECTIVES if o.code in LITE_OMITS}


def _validate(sheet: Worksheet, cell: Cell, coordinate: str) -> None:
    if cell.choices:
        rule = DataValidation(type="list", formula1=f'"{",".join(GRADES)}"', allow_blank=True)
        rule.error = f"{cell.label}: choose A, B, C or D."
    elif cell.type is CellType.DATE:
        serial = str((date(2000, 1, 1) - _EXCEL_EPOCH).days)
        rule = DataValidation(type="date", operator="greaterThanOrEqual", formula1=serial, allow_blank=True)
        rule.error = f"{cell.label}: enter a date as dd/mm/yyyy."
    else:
        return
    rule.errorTitle = "Please check this cell"
    rule.showErrorMessage = True
    sheet.add_data_validation(rule)
    rule.add(coordinate)


def _write_objective(sheet: Worksheet, objective: Objective) -> None:
    sheet.cell(1, 1, objective.title).font = _BOLD
    for column, heading in enumerate(TABLE_HEADER, start=1):
        sheet.cell(2, column, heading).font = _BOLD
    for row, requirement in enumerate(requirements_of(objective.code), start=3):
        sheet.cell(row, 1, requirement.id)
        sheet.cell(row, 2, requirement.level)
        sheet.cell(row, 3, requirement.text).alignment = _WRAP
        evidence = sheet.cell(row, 4)
        evidence.fill = _WHITE
        evidence.border = _BOX
        evidence.alignment = _WRAP
        evidence.number_format = "@"
        evidence.protection = Protection(locked=False)
    for letter, width in (("A", 12), ("B", 8), ("C", 60), ("D", 70)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    _protect(sheet)


def _protect(sheet: Worksheet) -> None:
    """Only unlocked cells can be typed in; rows and columns may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _define_name(workbook: Workbook, name: str, sheet: Worksheet, coordinate: str) -> None:
    reference = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(coordinate)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=reference)


def providers_services(
    contracts: Iterable[ContractRecord], year: str, providers: Sequence[str] | None = None
) -> dict[str, list[ContractRecord]]:
    """Each provider's services in the year (all providers, or those asked for), by provider ID."""
    by_provider: dict[str, list[ContractRecord]] = defaultdict(list)
    for contract in contracts:
        if contract.year == year:
            by_provider[contract.provider_id].append(contract)
    if providers:
        unknown = sorted(set(providers) - set(by_provider))
        if unknown:
            raise BadInput(f"--provider: no contract records for {', '.join(unknown)} in {year}")
        by_provider = {p: s for p, s in by_provider.items() if p in providers}
    return {p: sorted(s, key=lambda c: c.service_id) for p, s in sorted(by_provider.items())}


def issue_qaf_workbooks(
    contracts: Iterable[ContractRecord],
    programme: Programme,
    year: str,
    out_dir: Path,
    providers: Sequence[str] | None = None,
) -> list[Path]:
    """Write each provider's QAF workbook into ``out_dir`` as ``QAF <year> <provider ID> <name>.xlsx``."""
    year_settings = programme.year(year)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for provider_id, services in providers_services(contracts, year, providers).items():
        name = services[0].provider_name
        workbook = build_qaf_workbook(provider_id, name, services, year, year_settings)
        paths.append(save_workbook(workbook, out_dir / qaf_file_name(provider_id, year, name)))
    return paths
