"""The due list and the CSV exports: exactly feedback.md's columns, kinds and statuses."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from data_contracts.feedback_tables import (
    AUDIT_EXPORT_COLUMNS,
    CONSULTATION_EXPORT_COLUMNS,
    DUE_EXPORT_COLUMNS,
    REGISTER_COLUMNS,
    Audit,
    Consultation,
)
from foundation.errors import BadInput
from tasks.feedback.consultations import WarningContext
from tasks.feedback.cycle import parse_feedback_programme
from tasks.feedback.due import due_items
from tasks.feedback.exports import export_audits, export_consultations, export_due, export_register
from tasks.feedback.priority import never_red
from tasks.feedback.responses import ReplyInput, record_reply
from tests.factories.feedback import feedback_session, issue, stakeholder
from tests.factories.programmes import PROGRAMME_TOML

FB = parse_feedback_programme(PROGRAMME_TOML + "\n[feedback]\ncycle_start = 2023-10-01\n")
AS_AT = date(2025, 12, 1)
POOR5: dict[str, str | None] = dict.fromkeys(
    ["strategic_relevance", "demand", "outcomes", "quality", "cost_effectiveness"], "Poor"
)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def session() -> Iterator[Session]:
    for session in feedback_session():
        for sid in ("ST1", "ST2"):
            stakeholder(session, sid)
        stakeholder(session, "ST9", service_id="SV9", provider_id="PR2")
        ref1 = issue(session, "ST1", date(2025, 11, 1))  # answered, adverse
        issue(session, "ST2", date(2025, 11, 10))  # no reply by 24/11: chase
        issue(session, "ST9", date(2025, 11, 25), service_id="SV9", provider_id="PR2")  # not yet due a chase
        received = datetime(2025, 11, 20, 10, tzinfo=UTC)
        record_reply(
            session,
            ReplyInput(
                ref1,
                "=HYPERLINK(x).xlsx",
                "ab" * 32,
                received,
                "file",
                POOR5,
                {"organisation": "Org"},
                {"reasons": "far too slow always"},
            ),
        )
        session.add(
            Consultation(
                consultation_id="C1",
                provider_id="PR1",
                service_id="SV1",
                method="group",
                service_users=30,
                contacted=7,
                consent_forms=7,
                notice_given_on=date(2025, 6, 20),
                held_on=date(2025, 7, 1),
            )
        )
        session.add(
            Consultation(
                consultation_id="C2",
                provider_id="PR1",
                service_id="SV2",
                method="informal",
                service_users=30,
                held_on=date(2025, 11, 20),
            )
        )
        session.add(
            Audit(
                audit_id="A1",
                provider_id="PR1",
                service_id="SV1",
                notified_on=date(2025, 5, 1),
                audit_date=date(2025, 6, 2),
                plans_viewed=10,
                meets_minimum=False,
                remedy_agreed_by=date(2025, 9, 1),
            )
        )
        session.add(
            Audit(
                audit_id="A9",
                provider_id="PR2",
                service_id="SV9",
                audit_date=date(2025, 6, 2),
                plans_viewed=3,
                meets_minimum=True,
            )
        )
        session.flush()
        yield session


def test_due_items_of_every_kind(session: Session) -> None:
    items = {(i.kind, i.service_id, i.reference): i for i in due_items(session, FB, AS_AT)}
    assert set(items) == {
        ("questionnaire_chase", "SV1", "SQ-SV1-ST2-20251110"),
        ("provider_reply_due", "SV1", "SQ-SV1-ST1-20251101"),
        ("consultation_due", "SV9", ""),  # never consulted: due from the cycle start + 24 months
        ("consultation_report_due", "SV1", "C1"),
        ("consultation_report_due", "SV2", "C2"),
        ("audit_feedback_due", "SV1", "A1"),
        ("reaudit_due", "SV1", "A1"),
        ("stakeholders_due", "SV2", ""),  # SV2 never issued a questionnaire (cycle from 01/10/2023)
    }
    assert items[("questionnaire_chase", "SV1", "SQ-SV1-ST2-20251110")].due_on == date(2025, 11, 24)
    assert items[("provider_reply_due", "SV1", "SQ-SV1-ST1-20251101")].due_on == date(2025, 12, 4)
    assert items[("reaudit_due", "SV1", "A1")].days_overdue(AS_AT) == 91
    assert items[("consultation_report_due", "SV2", "C2")].days_overdue(AS_AT) == 0


def test_due_export_columns(session: Session, tmp_path: Path) -> None:
    out = tmp_path / "due.csv"
    count = export_due(due_items(session, FB, AS_AT), AS_AT, out)
    header, rows = read_csv(out)
    assert header == list(DUE_EXPORT_COLUMNS)
    assert len(rows) == count == 8
    assert [r["kind"] for r in rows] == sorted(
        (r["kind"] for r in rows),
        key=[
            "stakeholders_due",
            "questionnaire_chase",
            "provider_reply_due",
            "consultation_due",
            "consultation_report_due",
            "audit_feedback_due",
            "reaudit_due",
        ].index,
    )


def test_consultations_export(session: Session, tmp_path: Path) -> None:
    out = tmp_path / "consultations.csv"
    export_consultations(session, WarningContext(FB.programme, never_red), AS_AT, out)
    header, rows = read_csv(out)
    assert header == list(CONSULTATION_EXPORT_COLUMNS)
    c1, c2 = rows
    assert (c1["minimum"], c1["warnings"], c1["report_due"], c1["report_late"]) == (
        "8",
        "sample_too_small;short_notice",
        "2025-08-12",
        "true",
    )
    assert (c2["minimum"], c2["warnings"], c2["report_due"], c2["report_late"]) == ("", "", "2026-01-01", "")


def test_audits_export(session: Session, tmp_path: Path) -> None:
    out = tmp_path / "audits.csv"
    export_audits(session, never_red, AS_AT, out)
    header, rows = read_csv(out)
    assert header == list(AUDIT_EXPORT_COLUMNS)
    a1, a9 = rows
    assert (a1["feedback_due"], a1["feedback_late"], a1["reaudit_due"], a1["status"]) == (
        "2025-06-30",
        "true",
        "2025-09-01",
        "reaudit_overdue",
    )
    assert (a9["status"], a9["feedback_due"], a9["reaudit_due"]) == ("not_applicable", "", "")


def test_register_export_makes_text_inert(session: Session, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    assert export_register(session, out) == 1
    header, (row,) = read_csv(out)
    assert header == list(REGISTER_COLUMNS)
    assert row["source_file"] == "'=HYPERLINK(x).xlsx"
    assert (row["received_at"], row["status"], row["rating_quality"], row["adverse"]) == (
        "2025-11-20T10:00:00Z",
        "received",
        "Poor",
        "true",
    )
    assert (row["reasons"], row["confidential"], row["provider_reply_due"], row["provider_replied_on"]) == (
        "",
        "false",
        "2025-12-04",
        "",
    )


def test_an_export_refuses_a_non_regular_target(session: Session, tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    os.symlink(tmp_path / "elsewhere.csv", link)
    with pytest.raises(BadInput, match="symbolic link"):
        export_register(session, link)


def test_a_service_on_the_procurement_review_list_is_not_due_for_consultation_that_year(
    session: Session,
) -> None:
    text = PROGRAMME_TOML.replace(
        'code = "DCC-2526-K7Q"', 'code = "DCC-2526-K7Q"\nprocurement_review = ["SV9"]'
    )
    fb = parse_feedback_programme(text + "\n[feedback]\ncycle_start = 2023-10-01\n")
    assert ("consultation_due", "SV9") not in {(i.kind, i.service_id) for i in due_items(session, fb, AS_AT)}
    assert ("consultation_due", "SV9") in {(i.kind, i.service_id) for i in due_items(session, FB, AS_AT)}


def test_judging_on_the_candidate_days_finds_every_change_of_level(session: Session) -> None:
    from datetime import timedelta

    from tasks.feedback.cycle import current_services
    from tasks.feedback.facts import FeedbackRecords, candidate_days, judge_feedback, service_feedback

    records = FeedbackRecords.load(session)
    for service in current_services(session, AS_AT):
        days = candidate_days(records, service.service_id, FB)
        day, previous = date(2025, 4, 1), None
        while day <= date(2027, 6, 1):
            levels = {
                r.clause: r.level for r in judge_feedback(service_feedback(service, records, FB, day), day)
            }
            if previous is not None:
                for clause, level in levels.items():
                    if level != previous[clause]:
                        assert day in days[clause], (service.service_id, clause, day)
            previous, day = levels, day + timedelta(days=1)
