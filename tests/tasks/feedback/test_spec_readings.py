"""feedback.md read literally where the exports are checked exactly (issue 12, the reviewer's findings)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import (
    CONSULTATION_COLUMNS,
    REPLY_REASONS,
    RESPONSE_COLUMNS,
    Audit,
    Consultation,
    QuestionnaireReply,
)
from foundation.errors import BadInput
from foundation.programme import parse_programme
from tasks.feedback.audits import feedback_late
from tasks.feedback.consultations import import_consultations, report_late
from tasks.feedback.cycle import ServiceRef, parse_feedback_programme
from tasks.feedback.due import DueItem, cycle_items
from tasks.feedback.facts import FeedbackRecords, candidate_days, judge_feedback, service_feedback
from tasks.feedback.intake import rebuild_reply_statuses
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tasks.feedback.responses import ReplyInput, import_responses, record_reply
from tests.factories.feedback import feedback_session, issue, stakeholder
from tests.factories.imports import csv_file
from tests.factories.programmes import PROGRAMME_TOML

SV1 = ServiceRef("SV1", "PR1", "Accommodation based")
GOOD5: dict[str, str | None] = dict.fromkeys(
    ["strategic_relevance", "demand", "outcomes", "quality", "cost_effectiveness"], "Good"
)


@pytest.fixture
def session() -> Iterator[Session]:
    for session in feedback_session():
        stakeholder(session, "ST1")
        yield session


def _consultation(**fields: Any) -> Consultation:
    values: dict[str, Any] = {"consultation_id": "C1", "provider_id": "PR1", "service_id": "SV1",
                              "method": "group", "service_users": 10, "held_on": date(2025, 7, 1)}  # fmt: skip
    return Consultation(**(values | fields))


# 1. report_late and feedback_late: blank exactly while the as-at date is before the due date.


@pytest.mark.parametrize(
    ("sent", "as_at", "late"),
    [
        (None, date(2025, 8, 11), None),
        (None, date(2025, 8, 12), True),  # the due date with nothing sent
        (date(2025, 8, 1), date(2025, 8, 5), None),  # sent early, not yet due
        (date(2025, 8, 1), date(2025, 8, 12), False),
        (date(2025, 8, 12), date(2025, 8, 12), False),
        (date(2025, 8, 13), date(2025, 8, 12), True),  # not sent by the as-at date
        (date(2025, 8, 13), date(2025, 9, 1), True),
    ],
)
def test_report_late_is_blank_only_before_the_due_date(
    sent: date | None, as_at: date, late: bool | None
) -> None:
    assert report_late(_consultation(report_sent_on=sent), as_at) is late  # due 12/08/2025


@pytest.mark.parametrize(
    ("sent", "as_at", "late"),
    [
        (None, date(2025, 6, 29), None),
        (None, date(2025, 6, 30), True),
        (date(2025, 6, 10), date(2025, 6, 20), None),
        (date(2025, 6, 10), date(2025, 6, 30), False),
    ],
)
def test_feedback_late_is_blank_only_before_the_due_date(
    sent: date | None, as_at: date, late: bool | None
) -> None:
    audit = Audit(audit_id="A1", provider_id="PR1", service_id="SV1", audit_date=date(2025, 6, 2),
                  plans_viewed=10, feedback_sent_on=sent)  # fmt: skip
    assert feedback_late(audit, as_at) is late  # due 30/06/2025


# 2. One reader of [feedback] cycle_start: a TOML date, or bad input naming the key.


@pytest.mark.parametrize("value", ['"2023-10-01"', '"01/10/2023"'])
def test_a_quoted_cycle_start_is_refused_the_same_everywhere(value: str) -> None:
    text = PROGRAMME_TOML + f"\n[feedback]\ncycle_start = {value}\n"
    for parse in (parse_programme, parse_feedback_programme):
        with pytest.raises(BadInput, match="feedback.cycle_start"):
            parse(text)


# 3. The procurement review year moves the consultation due date to the next year's start.


def _reviewed(*years: str) -> str:
    text = PROGRAMME_TOML + '\n[years."2026/27"]\ncode = "X"\n[years."2026/27".triggers]\n'
    text += "KPI1 = 1.0\nKPI2 = 1.0\nSPI1 = 1.0\nSPI2 = 1.0\nSPI3 = 1.0\nSPI4 = 1.0\n"
    for year in years:
        text = text.replace(f'[years."{year}"]\n', f'[years."{year}"]\nprocurement_review = ["SV1"]\n')
    return text + "\n[feedback]\ncycle_start = 2022-07-01\n"


def _consultation_due(text: str, as_at: date) -> tuple[date | None, str, list[DueItem]]:
    facts = service_feedback(SV1, FeedbackRecords((), (), (), ()), parse_feedback_programme(text), as_at)
    clause = judge_feedback(facts, as_at)[1]
    items = [i for i in cycle_items(facts, as_at) if i.kind == "consultation_due"]
    return facts.service_users.cycle_due_on, f"{clause.level}: {clause.detail}", items


def test_after_a_review_year_the_consultation_is_due_from_the_next_year_start() -> None:
    due, clause, (item,) = _consultation_due(_reviewed("2024/25"), date(2025, 4, 2))
    assert due == date(2025, 4, 1)
    assert clause == "Medium: service users not consulted in 24 months: due 01/04/2025, 1 day overdue"
    assert (item.due_on, item.days_overdue(date(2025, 4, 2))) == (date(2025, 4, 1), 1)


def test_not_due_in_the_review_year_nor_in_consecutive_ones() -> None:
    assert _consultation_due(_reviewed("2024/25"), date(2025, 3, 31))[0] is None
    assert _consultation_due(_reviewed("2024/25", "2025/26"), date(2026, 3, 1))[0] is None
    due, _, items = _consultation_due(_reviewed("2024/25", "2025/26"), date(2026, 4, 2))
    assert due == date(2026, 4, 1) and len(items) == 1
    due, clause, _ = _consultation_due(_reviewed(), date(2025, 4, 2))  # no review: the original due date
    assert due == date(2024, 7, 1) and clause.endswith("275 days overdue")


def test_the_candidate_days_find_the_changes_a_review_year_makes() -> None:
    fb = parse_feedback_programme(_reviewed("2024/25"))
    records = FeedbackRecords((), (), (), ())
    days = candidate_days(records, "SV1", fb)["service_user_feedback"]
    day, previous = date(2024, 1, 1), None
    while day <= date(2026, 6, 1):
        level = judge_feedback(service_feedback(SV1, records, fb, day), day)[1].level
        assert previous in (None, level) or day in days, day
        previous, day = level, day + timedelta(days=1)


# 7. An issue (or a consultation) exactly 24 months before the as-at date still counts.


@pytest.mark.parametrize(
    ("last", "as_at", "due"),
    [
        (date(2023, 12, 1), date(2025, 12, 1), False),
        (date(2023, 12, 1), date(2025, 12, 2), True),
        (date(2024, 2, 29), date(2026, 2, 28), False),  # month-end clamping
        (date(2024, 2, 29), date(2026, 3, 1), True),
    ],
)
def test_the_24_month_cycle_counts_the_day_exactly_24_months_before(
    last: date, as_at: date, due: bool
) -> None:
    issued = issue_record(IssueTarget("SV1", "Service SV1", "PR1", "ST1"), last)
    consulted = _consultation(held_on=last, report_sent_on=last)
    fb = parse_feedback_programme(PROGRAMME_TOML)
    facts = service_feedback(SV1, FeedbackRecords((issued,), (), (consulted,), ()), fb, as_at)
    cycles = ("stakeholders_due", "consultation_due")
    kinds = {i.kind: i.days_overdue(as_at) for i in cycle_items(facts, as_at) if i.kind in cycles}
    levels = [r.level for r in judge_feedback(facts, as_at)[:2]]
    if due:
        assert kinds == {"stakeholders_due": 1, "consultation_due": 1}
        assert levels == ["Medium", "Medium"]
    else:
        assert (kinds, levels) == ({}, ["Low", "Low"])


# 4. The reason codes are the spec's five, no more.


def test_the_reply_reason_codes_are_the_spec_table() -> None:
    assert REPLY_REASONS == (
        "unreadable",
        "unknown_questionnaire",
        "rating_missing",
        "rating_invalid",
        "poor_unexplained",
    )


# 5. The responses import: the file's name and sha256 (6, unknown references: test_responses.py).

HEADER = ",".join(RESPONSE_COLUMNS)


def _row(reference: str, day: str = "2025-10-20") -> str:
    return f"{reference},Jo,Officer,Org,Referrer,Good,Good,Good,Good,Good,,,,,No,{day},telephone"


def _replies(session: Session) -> list[QuestionnaireReply]:
    return list(session.execute(select(QuestionnaireReply).order_by(col(QuestionnaireReply.id))).scalars())


def test_telephone_replies_carry_the_import_files_name_and_sha256(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    path = csv_file(tmp_path, HEADER, _row(ref), _row(ref, "2025-10-21"))
    assert import_responses(session, path) == 2
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert [(r.source_file, r.sha256, r.status) for r in _replies(session)] == [
        (path.name, digest, "superseded"),
        (path.name, digest, "received"),
    ]
    import_responses(session, path)  # the same file again changes nothing
    assert len(_replies(session)) == 2


# 8. The consultation import refuses no count above contacted.


def test_responses_and_consent_forms_above_contacted_are_imported(session: Session, tmp_path: Path) -> None:
    line = "C1,PR1,SV1,group,2025-06-01,2025-07-01,,30,5,8,9,no,no,,"
    assert import_consultations(session, csv_file(tmp_path, ",".join(CONSULTATION_COLUMNS), line)) == 1


# 9. A blank reference never supersedes or duplicates by answers; a duplicate shows no reasons.


def _blank(sha: str, hour: int) -> ReplyInput:
    return ReplyInput("", f"{sha}.xlsx", sha * 32, datetime(2025, 10, 20, hour, tzinfo=UTC), "file", GOOD5)


def test_replies_with_a_blank_reference_stand_alone(session: Session) -> None:
    first, second = record_reply(session, _blank("ab", 9)), record_reply(session, _blank("cd", 10))
    assert (first.status, second.status) == ("incomplete", "incomplete")
    rebuild_reply_statuses(session, [""])
    assert [r.status for r in _replies(session)] == ["incomplete", "incomplete"]


def test_a_duplicate_shows_no_reasons(session: Session) -> None:
    first, again = record_reply(session, _blank("ab", 9)), record_reply(session, _blank("ab", 9))
    assert (first.reasons, again.status, again.reasons) == ("unknown_questionnaire", "duplicate", "")
