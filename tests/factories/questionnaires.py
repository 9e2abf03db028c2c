"""Returned questionnaire workbooks: an issued workbook filled in as a stakeholder would."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import quote_sheetname

from data_contracts.column_limits import MAX_TEXT
from data_contracts.questionnaire_workbook import SHEET
from tasks.feedback.questionnaire import IssueTarget, issue_questionnaires

_SHEET_PART = "xl/worksheets/sheet1.xml"
GOOD_RATINGS: dict[str, str] = {
    "sq_rating_strategic_relevance": "Good",
    "sq_rating_demand": " excellent ",
    "sq_rating_outcomes": "Fair",
    "sq_rating_quality": "Dont know",
    "sq_rating_cost_effectiveness": "Good",
}


def returned_questionnaire(
    path: Path,
    target: IssueTarget,
    issued: date,
    values: Mapping[str, object],
    sheet_title: str = SHEET,
    received_at: datetime | None = None,
    keep_names: bool = True,
) -> Path:
    """The questionnaire issued to ``target`` with ``values`` typed into its named cells, saved at ``path``.

    Text is kept as text even when it looks like a formula (``=...``), as Excel keeps what a
    stakeholder types into a text-formatted cell; ``received_at`` sets the file's time;
    without ``keep_names`` the defined names are lost (the sheet copied into a new workbook).
    """
    (issued_path,), _ = issue_questionnaires([target], issued, path.parent / f".issued-{path.stem}")
    workbook = load_workbook(issued_path)
    for name, value in values.items():
        ((_, coordinate),) = list(workbook.defined_names[name].destinations)
        cell = workbook[SHEET][coordinate.replace("$", "")]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    if sheet_title != SHEET:  # as Excel does: the defined names follow the renamed sheet
        workbook[SHEET].title = sheet_title
        for defined in workbook.defined_names.values():
            defined.attr_text = defined.attr_text.replace(
                quote_sheetname(SHEET), quote_sheetname(sheet_title)
            )
    if not keep_names:
        for name in list(workbook.defined_names):
            del workbook.defined_names[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    _keep_long_texts(path, values)
    issued_path.unlink()
    issued_path.parent.rmdir()
    if received_at is not None:
        os.utime(path, (received_at.timestamp(), received_at.timestamp()))
    return path


def _keep_long_texts(path: Path, values: Mapping[str, object]) -> None:
    """Put back in full any text openpyxl cut to an Excel cell's 32,767 characters (a hostile file's)."""
    long_texts = [value for value in values.values() if isinstance(value, str) and len(value) > MAX_TEXT]
    if not long_texts:
        return
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for text in long_texts:
        parts[_SHEET_PART] = parts[_SHEET_PART].replace(text[:MAX_TEXT].encode(), text.encode(), 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
