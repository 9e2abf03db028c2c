from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session

import data_contracts.tables  # noqa: F401  (registers the tables)
from data_contracts.qaf_tables import AgreedGrade, CurrentQaf, ImprovementPlan, QafReturn, d_grade_follow_ups
from foundation.errors import BadInput
from tasks.outbox.qaf_letters import render_qaf_notice, write_pending_grade_letters, write_pending_qaf_notices
from tasks.qaf.imports import GRADE_COLUMNS, PLAN_COLUMNS, import_agreed_grades, import_improvement_plans
from tests.factories.imports import csv_file, refusal
from tests.factories.qafs import agreed_grade, qaf_return
from tests.factories.sessions import sqlite_session

HEADER = ",".join(GRADE_COLUMNS)
PLAN_HEADER = ",".join(PLAN_COLUMNS)


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _current_qaf(session: Session, claimed_c1_3: str = "C", claimed_c1_4: str = "C") -> QafReturn:
    received = datetime(2026, 2, 11, 9, 0, tzinfo=UTC)
    row = qaf_return(
        session, "PR1", "SV1;SV2", received, claimed_c1_3=claimed_c1_3, claimed_c1_4=claimed_c1_4
    )
    assert row.id is not None
    session.add(CurrentQaf(provider_id="PR1", year="2025/26", service_ids="SV1;SV2", return_id=row.id))
    session.flush()
    return row


def _grades(session: Session) -> list[AgreedGrade]:
    return list(session.execute(select(AgreedGrade).order_by(AgreedGrade.objective)).scalars())


def _imported_by_objective(session: Session, tmp_path: Path, *rows: str) -> dict[str, AgreedGrade]:
    """Import a grades file of ``rows``; every grade then recorded, by objective."""
    import_agreed_grades(session, csv_file(tmp_path, HEADER, *rows))
    return {g.objective: g for g in _grades(session)}


def test_grades_import_and_the_service_key_is_normalised(tmp_path: Path, session: Session):
    path = csv_file(
        tmp_path,
        HEADER,
        "PR1,2025/26,SV2; SV1,C1.3,C,2026-03-02,desk,",
        "PR1,2025/26,SV1;SV2,c1.4,D,02/03/2026,Visit,Evidence did not meet the C standard",
    )
    assert import_agreed_grades(session, path) == 2
    grades = _grades(session)
    assert [(g.service_ids, g.objective, g.grade, g.method) for g in grades] == [
        ("SV1;SV2", "C1.3", "C", "desk"),
        ("SV1;SV2", "C1.4", "D", "visit"),
    ]
    assert grades[1].date_agreed == date(2026, 3, 2)
    # no current QAF, so no claim to compare with; the D still gets a letter with its plan's due date
    assert [bool(g.letter_path) for g in grades] == [False, True]


def test_bad_rows_import_nothing_and_name_file_row_and_column(tmp_path: Path, session: Session):
    path = csv_file(
        tmp_path,
        HEADER,
        "PR1,2025/26,SV1,C1.3,C,2026-03-02,desk,",
        "PR1,2025-26,SV1,C1.8,E,2026-13-02,phone,",
        "PR1,2025/26,,C1.3,C,2026-03-02,desk,",
    )
    message = refusal(import_agreed_grades, session, path)
    for column in ("year", "objective", "grade", "date_agreed", "method"):
        assert f"{path}: row 3, column {column}:" in message
    assert f"{path}: row 4, column service_ids: is blank" in message
    assert _grades(session) == []


@pytest.mark.parametrize(
    ("header", "rows", "why"),
    [
        (  # the same services written another way are the same key
            HEADER,
            ["PR1,2025/26,SV1;SV2,C1.3,C,2026-03-02,desk,", "PR1,2025/26,SV2 SV1,C1.3,B,2026-03-02,desk,"],
            "row 3: repeats",
        ),
        (
            "provider_id,year,service_ids,objective,grade,date_agreed",
            ["PR1,2025/26,SV1,C1.3,C,2026-03-02"],
            "missing column\\(s\\) method, explanation",
        ),
    ],
    ids=["repeated grade", "missing columns"],
)
def test_a_grades_file_is_refused_saying_why(
    tmp_path: Path, session: Session, header: str, rows: list[str], why: str
) -> None:
    with pytest.raises(BadInput, match=why):
        import_agreed_grades(session, csv_file(tmp_path, header, *rows))
    assert _grades(session) == []


def test_grades_import_from_xlsx(tmp_path: Path, session: Session):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(GRADE_COLUMNS))
    sheet.append(["PR1", "2025/26", "SV1", "C1.6", "B", datetime(2026, 3, 2), "desk", None])
    path = tmp_path / "grades.xlsx"
    workbook.save(path)
    assert import_agreed_grades(session, path) == 1
    assert _grades(session)[0].date_agreed == date(2026, 3, 2)


def test_grade_differing_from_the_claim_gets_a_letter(tmp_path: Path, session: Session):
    _current_qaf(session, claimed_c1_3="A", claimed_c1_4="B")
    grades = _imported_by_objective(
        session,
        tmp_path,
        "PR1,2025/26,SV1;SV2,C1.3,B,2026-03-02,visit,No service user took part in the safety review",
        "PR1,2025/26,SV1;SV2,C1.4,D,2026-03-02,visit,Safeguarding concerns were not followed up",
        "PR1,2025/26,SV1;SV2,C1.5,C,2026-03-02,visit,",
    )
    assert grades["C1.3"].claimed == "A" and grades["C1.3"].letter_path
    assert grades["C1.3"].letter_path == grades["C1.4"].letter_path
    assert grades["C1.5"].letter_path == ""
    outbox = tmp_path / "outbox"
    (letter,) = write_pending_grade_letters(session, outbox)
    assert letter == outbox / grades["C1.3"].letter_path
    assert letter.is_relative_to(outbox / "qaf" / "PR1")
    text = letter.read_text(encoding="utf-8")
    assert (
        "C1.3 Security, Health and Safety" in text and "You claimed: A" in text and "Agreed grade: B" in text
    )
    assert "No service user took part in the safety review" in text
    assert "C1.4 Protection from Abuse" in text and "improvement plan by 16/03/2026" in text
    assert "C1.5" not in text
    assert "validation visit" in text and "02/03/2026" in text
    assert write_pending_grade_letters(session, outbox) == []


def test_grades_imported_again_unchanged_send_no_second_letter(tmp_path: Path, session: Session):
    _current_qaf(session, claimed_c1_3="A")
    path = csv_file(tmp_path, HEADER, "PR1,2025/26,SV1;SV2,C1.3,B,2026-03-02,desk,Not enough evidence yet")
    import_agreed_grades(session, path)
    assert len(write_pending_grade_letters(session, tmp_path)) == 1
    import_agreed_grades(session, path)
    assert write_pending_grade_letters(session, tmp_path) == []
    changed = csv_file(
        tmp_path,
        HEADER,
        "PR1,2025/26,SV1;SV2,C1.3,C,2026-03-09,desk,Less evidence than claimed",
        name="b.csv",
    )
    import_agreed_grades(session, changed)
    assert len(write_pending_grade_letters(session, tmp_path)) == 1


def _d_grade(session: Session, services: str = "SV1;SV2") -> None:
    agreed_grade(session, "PR1", services, "C1.4", "D", date(2026, 3, 2))


def test_improvement_plans_import_and_follow_up(tmp_path: Path, session: Session):
    _d_grade(session)
    path = csv_file(tmp_path, PLAN_HEADER, "PR1,2025/26,SV2;SV1,2026-03-12,,")
    assert import_improvement_plans(session, path) == 1
    (follow_up,) = d_grade_follow_ups(session)
    assert follow_up.plan_received == date(2026, 3, 12)
    assert follow_up.revalidation_due == date(2026, 4, 12)
    assert follow_up.state(date(2026, 4, 13)) == "revalidation_overdue"
    again = csv_file(tmp_path, PLAN_HEADER, "PR1,2025/26,SV1;SV2,2026-03-12,2026-04-10,false", name="b.csv")
    import_improvement_plans(session, again)
    (follow_up,) = d_grade_follow_ups(session)
    assert (follow_up.revalidated_on, follow_up.improved) == (date(2026, 4, 10), False)
    assert follow_up.state(date(2026, 4, 13)) == "not_improved"
    assert len(session.execute(select(ImprovementPlan)).scalars().all()) == 1


def test_bad_plans_import_nothing(tmp_path: Path, session: Session):
    _d_grade(session)
    path = csv_file(
        tmp_path,
        PLAN_HEADER,
        "PR1,2025/26,SV1;SV2,2026-03-12,2026-03-01,true",
        "PR1,2025/26,SV1;SV2,,,",
        "PR9,2025/26,SV9,2026-03-12,,",
        "PR1,2025/26,SV1;SV2,2026-03-12,,yes",
        "PR1,2025/26,SV1;SV2,2026-03-12,2026-04-01,",
        "PR1,2025/26,SV1;SV2,2026-03-12,2026-04-01,maybe",
    )
    message = refusal(import_improvement_plans, session, path)
    assert f"{path}: row 3, column plan_received: is blank" in message
    assert f"{path}: row 7, column improved: 'maybe' is not true or false" in message
    assert session.execute(select(ImprovementPlan)).scalars().all() == []
    _d_grade(session, "SV3")
    _d_grade(session, "SV4")
    checks = csv_file(
        tmp_path,
        PLAN_HEADER,
        "PR1,2025/26,SV1;SV2,2026-03-12,2026-03-01,true",
        "PR9,2025/26,SV9,2026-03-12,,",
        "PR1,2025/26,SV3,2026-03-12,,yes",
        "PR1,2025/26,SV4,2026-03-12,2026-04-01,",
        name="checks.csv",
    )
    message = refusal(import_improvement_plans, session, checks)
    assert f"{checks}: row 2, column revalidated_on: is before plan_received" in message
    assert f"{checks}: row 3, column service_ids: no agreed D grade" in message
    assert f"{checks}: row 4, column improved: is given, but revalidated_on is blank" in message
    assert f"{checks}: row 5, column improved: is blank" in message


def test_returned_qaf_notice(tmp_path: Path, session: Session):
    row = _current_qaf(session)
    row.status = "returned"
    row.reasons = "unknown_service;evidence_missing"
    row.messages = ["Service SV2 is not one of PR1's services.", "Evidence is missing for C1.3.C1."]
    row.notice_path = "qaf/PR1/QAF_2025-26_ffffffffffff.txt"
    session.add(row)
    session.flush()
    text = render_qaf_notice(row)
    assert "Your QAF for 2025/26 has been returned" in text
    assert "services SV1, SV2" in text
    assert "1. Service SV2 is not one of PR1's services." in text
    assert "2. Evidence is missing for C1.3.C1." in text
    assert "11/02/2026 at 09:00" in text
    assert "unknown_service, evidence_missing" in text
    (written,) = write_pending_qaf_notices(session, tmp_path)
    assert written.read_text(encoding="utf-8") == text
    assert write_pending_qaf_notices(session, tmp_path) == []


def test_a_d_grade_agreed_as_claimed_gets_a_letter_with_the_plan_due_date(tmp_path: Path, session: Session):
    _current_qaf(session, claimed_c1_3="B", claimed_c1_4="D")
    grades = _imported_by_objective(
        session,
        tmp_path,
        "PR1,2025/26,SV1;SV2,C1.3,B,2026-03-02,desk,",
        "PR1,2025/26,SV1;SV2,C1.4,D,2026-03-02,desk,As claimed",
    )
    assert grades["C1.3"].letter_path == "" and grades["C1.4"].letter_path
    (letter,) = write_pending_grade_letters(session, tmp_path / "outbox")
    text = letter.read_text(encoding="utf-8")
    assert "You claimed: D" in text and "Agreed grade: D (as you claimed)" in text
    assert "improvement plan by 16/03/2026" in text and "C1.3" not in text
