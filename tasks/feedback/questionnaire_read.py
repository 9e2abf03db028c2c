"""Reading a returned questionnaire workbook back (``feedback.md``, Intake).

:func:`read_questionnaire` reads a workbook (``tasks.intake.workbook_reader``) by
defined name, falling back to the label, and normalises the values as
``pi-workbook.md`` says; it never judges (``tasks.feedback.judge`` does). The
ingestion run's reader process imports this module, so it imports only what
reading needs (not openpyxl, not the tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from data_contracts.pi_workbook import CellType
from data_contracts.questionnaire_workbook import CELLS, SHEET
from tasks.intake.normalise import UnreadableValue, read_date, read_long_text
from tasks.intake.workbook_reader import Workbook

QUESTIONNAIRE = "questionnaire"  # the kind of a received questionnaire file


@dataclass
class QuestionnaireAnswers:
    """A questionnaire's cells as read: text (``None`` when blank) and the date.

    ``values`` holds every cell by defined name (``sq_date`` as a date);
    ``problems`` the cells that could not be read as their type, with why.
    """

    values: dict[str, str | date | None]
    problems: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        """A text cell's value."""
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    @property
    def reference(self) -> str | None:
        """The questionnaire reference as read."""
        return self.text("sq_reference")


def questionnaire_sheet(workbook: Workbook) -> str | None:
    """The sheet the labels are looked for on: ``Questionnaire``, or else a workbook's only sheet.

    A stakeholder may rename the one sheet and lose the defined names (copied into a
    new workbook): its labels still say what each answer is. Only a one-sheet workbook
    is searched so, so that telling a PI or QAF workbook apart costs no search.
    """
    sheet = workbook.sheet(SHEET)
    if sheet is None and len(workbook.sheet_names) == 1:
        return workbook.sheet_names[0]
    return sheet


def is_questionnaire(workbook: Workbook) -> bool:
    """Whether a workbook is a questionnaire: it has an ``sq_reference`` cell (by name or label)."""
    cell = next(c for c in CELLS if c.name == "sq_reference")
    return workbook.find(cell.name, questionnaire_sheet(workbook), cell.label).address is not None


def read_questionnaire(workbook: Workbook) -> QuestionnaireAnswers:
    """Every cell of a returned questionnaire, by defined name or else by label, normalised."""
    sheet = questionnaire_sheet(workbook)
    answers = QuestionnaireAnswers(values={})
    for cell in CELLS:
        raw = workbook.find(cell.name, sheet, cell.label).value
        try:
            if cell.type is CellType.DATE:
                answers.values[cell.name] = read_date(raw)
            else:
                answers.values[cell.name] = read_long_text(raw)
        except UnreadableValue as error:
            answers.values[cell.name] = None
            answers.problems[cell.name] = str(error)
    return answers
