"""The feedback in the reports (feedback.md, Exports and reports): returns status, feedback summary, packs.

The scenario's authority plus questionnaires (one reply adverse and
confidential, one adverse and open, one favourable, one unanswered), a
consultation with too small a sample and an audit below the minimum. Nothing
a stakeholder wrote in a confidential reply reaches a letter or a pack, in
any format; the open reply's comment does reach its letter (so the scan can
find text when it is there).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from data_contracts.feedback_tables import Audit, Consultation
from data_contracts.questionnaire_workbook import ASPECTS
from reports.feedback_summary import feedback_summary_report
from reports.gather_feedback import gather_feedback_summary
from reports.run import monthly_reports, publish_quarterly, quarterly_reports
from tasks.feedback.letters import write_pending_letters
from tasks.feedback.responses import ReplyInput, record_reply
from tests.factories.feedback import issue
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session, stored, utc
from tests.reports import scenario
from tests.reports.scan import html_text, pdf_text, workbook_text

PRIVATE_REASONS = "Confidential: the night manager shouts at residents"
PRIVATE_SUGGESTION = "Please replace the night manager quietly"
OPEN_REASONS = "Nobody answered the telephone for three weeks"


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def reply(session: Session, reference: str, received: datetime, rating: str, **given: object) -> None:
    record_reply(
        session,
        ReplyInput(
            reference=reference,
            source_file=f"{reference}.xlsx",
            sha256=reference,
            received_at=received,
            method="file",
            ratings=dict.fromkeys(ASPECTS, rating),
            texts={"organisation": "Housing Options"},
            **given,  # type: ignore[arg-type]
        ),
    )


def build(session: Session) -> None:
    scenario.build(session)
    secret = issue(session, "ST1", date(2025, 8, 1), "SV101", "PR1")
    favourable = issue(session, "ST2", date(2025, 8, 1), "SV101", "PR1")
    adverse = issue(session, "ST3", date(2025, 8, 1), "SV201", "PR2")
    issue(session, "ST4", date(2025, 8, 1), "SV102", "PR1")  # never answered: a telephone chase
    comments = {"reasons": PRIVATE_REASONS, "suggestions": PRIVATE_SUGGESTION}
    reply(session, secret, utc(2025, 8, 20), "Poor", comments=comments, confidential=True)
    reply(session, favourable, utc(2025, 8, 21), "Good", comments={"suggestions": "More evening groups"})
    reply(session, adverse, utc(2025, 8, 22), "V.Poor", comments={"reasons": OPEN_REASONS})
    stored(session, Consultation(consultation_id="C1", provider_id="PR1", service_id="SV102", method="group",
                                 held_on=date(2025, 8, 10), service_users=40, contacted=5, responses=4,
                                 consent_forms=5, report_sent_on=date(2025, 9, 1)))  # fmt: skip
    stored(session, Consultation(consultation_id="C2", provider_id="PR3", service_id="SV303",
                                 method="questionnaire", closes_on=date(2025, 10, 5), service_users=30,
                                 contacted=28, responses=10))  # fmt: skip
    stored(session, Audit(audit_id="A1", provider_id="PR1", service_id="SV101", audit_date=date(2025, 9, 1),
                          plans_viewed=5, meets_minimum=False, remedy_agreed_by=date(2025, 10, 1)))  # fmt: skip
    session.commit()


def test_no_confidential_text_in_any_letter_or_pack(session: Session, tmp_path: Path) -> None:
    build(session)
    outbox, reports = tmp_path / "outbox", tmp_path / "reports"
    letters = write_pending_letters(session, outbox)
    publish_quarterly(session, programme(), reports, "2025/26", "Q2")
    packs = sorted(reports.rglob("pack-*"))
    assert len(letters) == 2 and {p.suffix for p in packs} >= {".html", ".xlsx"}
    texts = {path.name: path.read_text(encoding="utf-8") for path in letters}
    readers = {".html": lambda p: html_text(p), ".xlsx": workbook_text, ".pdf": pdf_text}
    texts |= {path.name: readers[path.suffix](path) for path in packs}
    for name, text in texts.items():
        for secret in (PRIVATE_REASONS, PRIVATE_SUGGESTION, "night manager"):
            assert secret not in text, f"{name} holds confidential text {secret!r}"
    (secret_letter,) = [t for n, t in texts.items() if n.endswith(".txt") and "SQ-SV101-ST1" in t]
    assert "in confidence" in secret_letter
    assert any(OPEN_REASONS in t for n, t in texts.items() if n.endswith(".txt"))  # the scan sees text
    pr1 = [t for n, t in texts.items() if n.startswith("pack-PR1") and n.endswith(".html")][0]
    assert "Stakeholder ratings of your services" in pr1 and "Re-audit due" in pr1
    assert "ST4" not in pr1  # the telephone chase is the officers' list, not the provider's


def test_the_returns_status_lists_the_open_feedback_and_audit_items(session: Session) -> None:
    build(session)
    status = monthly_reports(session, programme(), date(2025, 10, 1))[2]
    rows = status.table("Feedback items").rows
    found = {(r["kind_code"], r["service_id"], r["days_overdue"]) for r in rows}
    assert ("questionnaire_chase", "SV102", 77) in found  # due 2025-08-15, as at 2025-10-31
    assert ("provider_reply_due", "SV101", 57) in found  # 10 working days from 08-20 (25 Aug a holiday)
    assert ("reaudit_due", "SV101", 30) in found
    assert ("audit_feedback_due", "SV101", 32) in found  # 4 weeks after 2025-09-01
    assert not any(r["kind_code"] == "consultation_report_due" and r["service_id"] == "SV102" for r in rows)


def test_the_feedback_summary_pools_ratings_and_counts_the_quarters_consultations(session: Session) -> None:
    build(session)
    data = gather_feedback_summary(session, programme(), "2025/26", "Q2", date(2025, 10, 28))
    report = feedback_summary_report(data)
    groups = {r["client_group"]: r for r in report.table("Ratings by client group").rows}
    assert groups["Older people"]["replies"] == 2 and groups["Older people"]["adverse"] == 1
    assert groups["Older people"]["quality"] == 3.0  # Poor 2 and Good 4, pooled
    assert groups["Single homeless"]["quality"] == 1.0
    (consultation,) = report.table("Consultations").rows  # C2 closed in Q3
    assert (consultation["minimum"], consultation["warnings"], consultation["report_late"]) == (
        10,
        "sample_too_small",
        "no",
    )
    (by_method,) = report.table("Consultations by method").rows
    assert (by_method["response_rate"], by_method["on_time"]) == (80.0, 1)


def test_a_past_quarter_sees_only_its_own_data(session: Session) -> None:
    build(session)
    report = feedback_summary_report(
        gather_feedback_summary(session, programme(), "2025/26", "Q1", date(2025, 7, 28))
    )
    assert report.table("Consultations").rows == () and report.table("Ratings by client group").rows == ()
    quarterly = quarterly_reports(session, programme(), "2025/26", "Q1", date(2025, 7, 28))
    assert "feedback-summary" in {r.kind for r in quarterly.reports}
    for pack in quarterly.packs:
        assert pack.table("Stakeholder ratings").rows == ()
