"""The questionnaire workbook: exactly as feedback.md's table says, and read back as issued."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import QuestionnaireIssue
from data_contracts.questionnaire_workbook import CELLS, SHEET
from foundation.errors import BadInput
from tasks.feedback.issuing import issue_for_services
from tasks.feedback.questionnaire import IssueTarget, issue_questionnaires
from tasks.feedback.questionnaire_read import QuestionnaireAnswers, is_questionnaire, read_questionnaire
from tasks.intake.workbook_reader import read_workbook
from tests.factories.feedback import feedback_session, stakeholder

ISSUED = date(2025, 10, 14)
TARGET = IssueTarget("SV1", "Service SV1", "PR1", "ST0042")


@pytest.fixture
def session() -> Iterator[Session]:
    yield from feedback_session()


def issued_file(tmp_path: Path) -> Path:
    paths, _ = issue_questionnaires([TARGET], ISSUED, tmp_path)
    return paths[0]


def read_back(path: Path) -> QuestionnaireAnswers:
    return read_questionnaire(read_workbook(path.read_bytes(), 50 * 1024 * 1024))


def test_file_name_sheet_and_issue_record(tmp_path: Path) -> None:
    paths, issues = issue_questionnaires([TARGET], ISSUED, tmp_path)
    assert paths == [tmp_path / "SQ_SV1_ST0042_20251014.xlsx"]
    assert load_workbook(paths[0]).sheetnames == [SHEET]
    (record,) = issues
    assert (record.reference, record.service_id, record.stakeholder_id) == (
        "SQ-SV1-ST0042-20251014",
        "SV1",
        "ST0042",
    )
    assert (record.issued_on, record.reply_due) == (ISSUED, date(2025, 10, 28))


def test_every_value_cell_has_a_workbook_scoped_name_beside_its_label(tmp_path: Path) -> None:
    workbook = load_workbook(issued_file(tmp_path))
    sheet = workbook[SHEET]
    for cell in CELLS:
        defined = workbook.defined_names[cell.name]
        ((title, coordinate),) = list(defined.destinations)
        assert title == SHEET
        target = sheet[coordinate.replace("$", "")]
        assert sheet.cell(target.row, target.column - 1).value == cell.label


def test_only_the_stakeholders_cells_are_unlocked_and_the_sheet_is_protected(tmp_path: Path) -> None:
    workbook = load_workbook(issued_file(tmp_path))
    sheet = workbook[SHEET]
    assert sheet.protection.sheet
    for cell in CELLS:
        ((_, coordinate),) = list(workbook.defined_names[cell.name].destinations)
        locked = sheet[coordinate.replace("$", "")].protection.locked
        assert locked is (cell.name in ("sq_reference", "sq_service_id", "sq_service_name")), cell.name


def test_drop_downs_for_the_ratings_and_confidential(tmp_path: Path) -> None:
    workbook = load_workbook(issued_file(tmp_path))
    sheet = workbook[SHEET]
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            for cell_range in validation.sqref.ranges:
                lists[cell_range.coord] = validation.formula1
    for cell in CELLS:
        ((_, coordinate),) = list(workbook.defined_names[cell.name].destinations)
        coordinate = coordinate.replace("$", "")
        if cell.name.startswith("sq_rating_"):
            assert lists[coordinate] == '"Excellent,Good,Fair,Poor,V.Poor,Don\'t know"'
        elif cell.name == "sq_confidential":
            assert lists[coordinate] == '"Yes,No"'
        else:
            assert coordinate not in lists


def test_reading_an_issued_workbook_back_gives_what_was_issued(tmp_path: Path) -> None:
    path = issued_file(tmp_path)
    workbook = read_workbook(path.read_bytes(), 50 * 1024 * 1024)
    assert is_questionnaire(workbook)
    answers = read_questionnaire(workbook)
    assert answers.reference == "SQ-SV1-ST0042-20251014"
    assert answers.values["sq_service_id"] == "SV1"
    assert answers.values["sq_service_name"] == "Service SV1"
    assert all(answers.values[c.name] is None for c in CELLS[3:])
    assert answers.problems == {}


def fill(path: Path, values: Mapping[str, str | date], drop_names: bool = False) -> Path:
    workbook = load_workbook(path)
    sheet = workbook[SHEET]
    for name, value in values.items():
        ((_, coordinate),) = list(workbook.defined_names[name].destinations)
        sheet[coordinate.replace("$", "")] = value
    if drop_names:
        for name in list(workbook.defined_names):
            del workbook.defined_names[name]
    out = path.with_name("returned.xlsx")
    workbook.save(out)
    return out


@pytest.mark.parametrize("drop_names", [False, True], ids=["by name", "by label"])
def test_a_filled_workbook_is_read_by_name_or_else_by_label(tmp_path: Path, drop_names: bool) -> None:
    values = {
        "sq_respondent": " Jo Bloggs ",
        "sq_organisation": "Housing Options",
        "sq_rating_demand": "very poor",
        "sq_reasons": "Waiting list never moves",
        "sq_confidential": "Yes",
        "sq_date": "20/10/2025",
    }
    answers = read_back(fill(issued_file(tmp_path), values, drop_names))
    assert answers.reference == "SQ-SV1-ST0042-20251014"
    assert answers.values["sq_respondent"] == "Jo Bloggs"
    assert answers.values["sq_rating_demand"] == "very poor"
    assert answers.values["sq_date"] == date(2025, 10, 20)
    assert answers.text("sq_confidential") == "Yes"


def test_an_unreadable_date_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    answers = read_back(fill(issued_file(tmp_path), {"sq_date": "next Tuesday"}))
    assert answers.values["sq_date"] is None
    assert "sq_date" in answers.problems


def test_issue_for_services_writes_one_per_stakeholder_and_records_each(
    session: Session, tmp_path: Path
) -> None:
    stakeholder(session, "ST1")
    stakeholder(session, "ST2")
    stakeholder(session, "ST3", service_id="SV2")
    paths = issue_for_services(session, ["SV1"], ISSUED, tmp_path)
    assert [p.name for p in paths] == ["SQ_SV1_ST1_20251014.xlsx", "SQ_SV1_ST2_20251014.xlsx"]
    issue_for_services(session, ["SV1"], ISSUED, tmp_path)  # the same day again: recorded once
    references = sorted(session.execute(select(QuestionnaireIssue.reference)).scalars())  # type: ignore[call-overload]
    assert references == ["SQ-SV1-ST1-20251014", "SQ-SV1-ST2-20251014"]


def test_issue_for_unknown_services_or_without_stakeholders_is_bad_input(
    session: Session, tmp_path: Path
) -> None:
    with pytest.raises(BadInput, match="SV404"):
        issue_for_services(session, ["SV404"], ISSUED, tmp_path)
    with pytest.raises(BadInput, match="no stakeholders recorded for SV2"):
        issue_for_services(session, ["SV2"], ISSUED, tmp_path)
