"""Issuing the stakeholder questionnaire workbook (``feedback.md``); ``questionnaire_read`` reads one back.

An issued workbook has one sheet ``Questionnaire``: a label in column A, its
value in column B, every value cell with a workbook-scoped defined name. The
authority's cells are grey and locked, the stakeholder's white and unlocked,
and the sheet is protected. Ratings and ``sq_confidential`` have drop-downs
(lists written in the validation itself, so the workbook keeps one sheet).

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.feedback_tables import QuestionnaireIssue, Stakeholder
from data_contracts.pi_workbook import Cell, CellType, FilledBy
from data_contracts.questionnaire_workbook import CELLS, REPLY_DAYS, SHEET, file_name, reference
from tasks.pi.issue import save_workbook

_GREY, _WHITE = PatternFill("solid", fgColor="D9D9D9"), PatternFill("solid", fgColor="FFFFFF")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LONG_TEXT = {"sq_reasons", "sq_suggestions", "sq_helps_objectives", "sq_further_comments"}
_INTRO = (
    "Stakeholder questionnaire",
    "Please tell us what you think of this service. Fill in the white cells and send the workbook back.",
    "Rate each aspect from the list. If you rate any aspect Poor or V.Poor, please give your reasons.",
    "Your comments are passed to the provider unless you ask us to keep them confidential.",
)


@dataclass(frozen=True)
class IssueTarget:
    """What one questionnaire is filled with: the service and the stakeholder asked."""

    service_id: str
    service_name: str
    provider_id: str
    stakeholder_id: str


def build_questionnaire(target: IssueTarget, issued: date) -> OpenpyxlWorkbook:
    """The issued questionnaire workbook for one stakeholder, ready to save."""
    workbook = OpenpyxlWorkbook()
    sheet = workbook.worksheets[0]
    sheet.title = SHEET
    for row, text in enumerate(_INTRO, start=1):
        sheet.cell(row, 1, text).font = Font(bold=row == 1)
    values: dict[str, str | None] = {
        "sq_reference": reference(target.service_id, target.stakeholder_id, issued),
        "sq_service_id": target.service_id,
        "sq_service_name": target.service_name,
    }
    for row, cell in enumerate(CELLS, start=len(_INTRO) + 2):
        _value_cell(workbook, sheet, row, cell, values.get(cell.name))
    sheet.column_dimensions["A"].width = 62
    sheet.column_dimensions["B"].width = 50
    sheet.protection.sheet = True
    return workbook


def _value_cell(
    workbook: OpenpyxlWorkbook, sheet: Worksheet, row: int, cell: Cell, value: str | None
) -> None:
    sheet.cell(row, 1, cell.label)
    target = sheet.cell(row, 2, value)
    theirs = cell.filled_by is FilledBy.PROVIDER
    target.fill = _WHITE if theirs else _GREY
    target.border = _BOX
    target.protection = Protection(locked=not theirs)
    target.number_format = "dd/mm/yyyy" if cell.type is CellType.DATE else "@"
    if cell.name in _LONG_TEXT:
        target.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 60
    _define_name(workbook, cell.name, sheet, target.coordinate)
    validation = _validation(cell)
    if validation is not None:
        sheet.add_data_validation(validation)
        validation.add(target)


def _define_name(workbook: OpenpyxlWorkbook, name: str, sheet: Worksheet, coordinate: str) -> None:
    """A workbook-scoped defined name for one cell, e.g. ``sq_reference`` -> ``'Questionnaire'!$B$6``."""
    reference_text = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(coordinate)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=reference_text)


def _validation(cell: Cell) -> DataValidation | None:
    if cell.choices:
        rule = DataValidation(type="list", formula1='"' + ",".join(cell.choices) + '"', allow_blank=True)
        rule.error = f"{cell.label}: choose an answer from the list."
    elif cell.type is CellType.DATE:
        rule = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
        rule.error = f"{cell.label}: enter a date as dd/mm/yyyy."
    else:
        return None
    rule.errorTitle = "Please check this cell"
    rule.showErrorMessage = True
    return rule


def issue_questionnaires(
    targets: Iterable[IssueTarget], issued: date, out_dir: Path
) -> tuple[list[Path], list[QuestionnaireIssue]]:
    """Write one workbook per target into ``out_dir``; the paths, and the issues to record."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths, issues = [], []
    for target in targets:
        workbook = build_questionnaire(target, issued)
        name = file_name(target.service_id, target.stakeholder_id, issued)
        paths.append(save_workbook(workbook, out_dir / name))
        issues.append(issue_record(target, issued))
    return paths, issues


def issue_record(target: IssueTarget, issued: date) -> QuestionnaireIssue:
    """The record of one questionnaire issued: its reply is due 14 days later."""
    return QuestionnaireIssue(
        reference=reference(target.service_id, target.stakeholder_id, issued),
        service_id=target.service_id,
        provider_id=target.provider_id,
        stakeholder_id=target.stakeholder_id,
        issued_on=issued,
        reply_due=issued + timedelta(days=REPLY_DAYS),
    )


def targets_for(stakeholders: Iterable[Stakeholder], service_names: Mapping[str, str]) -> list[IssueTarget]:
    """One target per stakeholder, named after its service, in order of service then stakeholder."""
    ordered = sorted(stakeholders, key=lambda s: (s.service_id, s.stakeholder_id))
    return [
        IssueTarget(s.service_id, service_names.get(s.service_id, ""), s.provider_id, s.stakeholder_id)
        for s in ordered
    ]
