"""The monthly reports: Contracts Update, meeting schedule and returns status, figures worked out here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from reports.model import Report
from reports.run import monthly_reports
from tasks.contract_management.history import evaluate_and_record
from tests.factories.contracts import ACCOMMODATION, FLOATING, contract
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, improvement_plan, qaf_return
from tests.factories.returns import pi_return
from tests.factories.sessions import sqlite_session, utc
from tests.reports import scenario
from tests.reports.scenario import GOOD_FLOATING


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _report(reports: tuple[Report, ...], kind: str) -> Report:
    return next(r for r in reports if r.kind == kind)


def _rows(report: Report, sheet: str, *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(row[k] for k in keys) for row in report.table(sheet).rows]


# Contracts Update --------------------------------------------------------------------------------


def _risky_authority(session: Session) -> None:
    """SV1 never returns Q1 (deadline 21 July); SV3's action is overdue, then closed; SV2's falls due."""
    contract(session, "SV1", "PR1", "Older people", ACCOMMODATION, "Short term")
    sv2 = contract(session, "SV2", "PR2", "Older people", FLOATING)
    sv3 = contract(session, "SV3", "PR3", "Older people", FLOATING)
    pi_return(session, sv2, "Q1", utc(2025, 7, 10), GOOD_FLOATING)
    pi_return(session, sv3, "Q1", utc(2025, 7, 10), GOOD_FLOATING)
    action(session, "PR3", "SV3", "Update the risk assessments", date(2025, 7, 15), closed=date(2025, 8, 10))
    action(session, "PR2", "SV2", "Recruit a support worker", date(2025, 8, 5))


def test_contracts_update_lists_medium_and_high_clauses_with_since(session: Session) -> None:
    _risky_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 8, 1)), "contracts-update")
    assert report.as_at == date(2025, 8, 31) and report.period == "2025-08"
    assert _rows(report, "Medium and High clauses", "service_id", "clause_code", "level", "since") == [
        ("SV1", "pi_timeliness", "High", date(2025, 8, 20)),  # 30 days past 21 July on 20 August
        ("SV2", "actions", "Medium", date(2025, 8, 6)),  # the day after its target date
    ]
    detail = report.table("Medium and High clauses").rows[0]["detail"]
    assert "Q1 2025/26 not received, 41 days past its deadline 2025-07-21" in detail


def test_contracts_update_says_what_changed_in_the_month(session: Session) -> None:
    _risky_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 8, 1)), "contracts-update")
    assert _rows(report, "Changes", "changed_on", "service_id", "clause_code", "change", "movement") == [
        (date(2025, 8, 6), "SV2", "actions", "escalated", "Low to Medium"),  # target 5 August passed
        (date(2025, 8, 6), "SV2", "priority", "escalated", "GREEN to AMBER"),
        (date(2025, 8, 10), "SV3", "actions", "resolved", "Medium to Low"),  # closed on 10 August
        (date(2025, 8, 10), "SV3", "priority", "resolved", "AMBER to GREEN"),
        (date(2025, 8, 20), "SV1", "pi_timeliness", "escalated", "Medium to High"),  # 30 days past 21 July
        (date(2025, 8, 20), "SV1", "priority", "escalated", "AMBER to RED"),
    ]
    assert report.sections[1].paragraphs == ("In August 2025: 0 new, 4 escalated, 0 reduced and 2 resolved.",)
    assert _rows(report, "RED services", "service_id", "high_clauses", "since") == [
        ("SV1", "PI returns on time", date(2025, 8, 20))  # clauses in plain words
    ]
    july = _report(monthly_reports(session, programme(), date(2025, 7, 1)), "contracts-update")
    assert (date(2025, 7, 22), "SV1", "pi_timeliness", "escalated", "Low to Medium") in _rows(
        july, "Changes", "changed_on", "service_id", "clause_code", "change", "movement"
    )


def test_the_contracts_update_is_the_same_whether_or_not_the_risk_flow_ran(session: Session) -> None:
    _risky_authority(session)
    never = _report(monthly_reports(session, programme(), date(2025, 8, 1)), "contracts-update")
    for day in (date(2025, 7, 25), date(2025, 8, 1), date(2025, 8, 20), date(2025, 8, 31), date(2025, 9, 30)):
        evaluate_and_record(session, programme(), day)  # the nightly risk step, now and then
    assert _report(monthly_reports(session, programme(), date(2025, 8, 1)), "contracts-update") == never


# Meeting schedule --------------------------------------------------------------------------------


def _meetings_authority(session: Session) -> None:
    for number in (1, 2, 3):
        record = contract(session, f"SV{number}", f"PR{number}", "Older people", FLOATING)
        pi_return(session, record, "Q1", utc(2025, 7, 10), GOOD_FLOATING)
        pi_return(session, record, "Q2", utc(2025, 10, 10), GOOD_FLOATING)
        qaf_return(session, f"PR{number}", f"SV{number}", utc(2025, 5, 1))
    contract(session, "SV4", "PR4", "Older people", FLOATING)  # never returns: RED
    meeting(session, "PR1", date(2025, 10, 10), date(2025, 10, 12))
    meeting(session, "PR2", date(2025, 10, 20))
    meeting(session, "PR3", date(2025, 6, 15), date(2025, 6, 15))
    meeting(session, "PR3", date(2025, 7, 20), date(2025, 8, 2))
    meeting(session, "PR4", date(2025, 5, 10), date(2025, 5, 10))


def test_meeting_compliance_for_the_month_and_the_year(session: Session) -> None:
    _meetings_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 10, 1)), "meeting-schedule")
    month, year = report.table("Compliance").rows
    # October: PR1 and PR2 planned, PR1 completed
    assert (month["planned"], month["completed"], month["percent"]) == (2, 1, pytest.approx(50.0))
    # April to October: five planned (PR4 May, PR3 June and July, PR1 and PR2 October); four completed by 31 October
    assert (year["planned"], year["completed"], year["percent"]) == (5, 4, pytest.approx(80.0))
    by_month = {r["period"]: (r["planned"], r["completed"]) for r in report.table("By month").rows}
    assert list(by_month) == [
        "April 2025",
        "May 2025",
        "June 2025",
        "July 2025",
        "August 2025",
        "September 2025",
        "October 2025",
    ]
    assert by_month["July 2025"] == (1, 0)  # completed on 2 August, after its month
    assert report.table("By month").rows[0]["percent"] is None  # nothing planned: no value
    # SV4 (PR4) went RED on 20 August (Q1 30 days past its deadline): its meeting, 3 months after 10 May,
    # was due at once that day; PR2's meeting planned for 20 October is not held, but SV2 (GREEN, never
    # met) is due on the as-at date, not before it
    assert _rows(report, "Overdue", "service_id", "provider_id", "due", "days_overdue") == [
        ("SV4", "PR4", date(2025, 8, 20), 72)
    ]
    assert report.sections[1].paragraphs == (
        "Meetings overdue as at 2025-10-31: 1 service (1 provider) whose meeting at their priority's interval "
        "is past due with no meeting completed since (RED 1, AMBER 0, GREEN 0).",
    )


def test_meetings_due_next_month_by_priority(session: Session) -> None:
    _meetings_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 10, 1)), "meeting-schedule")
    # SV2's provider never met: due at once (the as-at date); SV4, already overdue, is in "Overdue"
    assert _rows(report, "Due next month", "priority", "service_id", "due", "planned") == [
        ("GREEN", "SV2", date(2025, 10, 31), date(2025, 10, 20)),
    ]
    counts = {r["priority"]: r["services"] for r in report.table("Due next month by priority").rows}
    assert counts == {"RED": 0, "AMBER": 0, "GREEN": 1}


# Returns status ----------------------------------------------------------------------------------


def _returns_authority(session: Session) -> None:
    scenario.build(session)
    meeting(session, "PR1", date(2025, 12, 1))  # QAF due 20 October
    meeting(session, "PR2", date(2025, 11, 20))  # QAF due 9 October
    qaf_return(session, "PR1", "SV101;SV102", utc(2025, 10, 25), visit=True)
    agreed_grade(session, "PR2", "SV201;SV202", "C1.4", "D", date(2025, 9, 1))
    improvement_plan(session, "PR2", "SV201;SV202", date(2025, 9, 10))
    agreed_grade(session, "PR3", "SV301", "C1.2", "D", date(2025, 11, 5))  # after the as-at date


def test_returns_received_in_the_month_by_status_as_at_the_date(session: Session) -> None:
    _returns_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 10, 1)), "returns-status")
    counts = {r["status"]: r["count"] for r in report.table("Received by status").rows}
    # SV101 (6th), SV102, SV201, SV302, SV303, SV301 accepted; SV202 returned; SV101 (2nd) superseded
    assert counts == {"accepted": 6, "returned": 1, "superseded": 1}
    early = monthly_reports(session, programme(), date(2025, 10, 1), as_at=date(2025, 10, 4))
    early_counts = {
        r["status"]: r["count"] for r in _report(early, "returns-status").table("Received by status").rows
    }
    assert early_counts == {"returned": 1}  # SV101's first file, before its resubmission of 6 October


def test_returns_to_chase(session: Session) -> None:
    _returns_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 10, 1)), "returns-status")
    assert _rows(report, "Awaiting resubmission", "service_id", "quarter", "days_waiting") == [
        ("SV202", "Q2", (date(2025, 10, 31) - date(2025, 10, 9)).days)
    ]
    assert sorted(_rows(report, "Non-returns", "service_id", "year", "quarter")) == [
        ("SV101", "2024/25", "Q1"),
        ("SV101", "2024/25", "Q2"),
        ("SV101", "2024/25", "Q3"),
        ("SV301", "2025/26", "Q1"),
    ]


def test_qafs_visits_and_d_grades(session: Session) -> None:
    _returns_authority(session)
    report = _report(monthly_reports(session, programme(), date(2025, 10, 1)), "returns-status")
    assert _rows(report, "QAFs", "provider_id", "due", "received_on", "status", "days_past_due") == [
        ("PR1", date(2025, 10, 20), date(2025, 10, 25), "accepted, received late", None),
        ("PR2", date(2025, 10, 9), None, "outstanding", 22),
        ("PR3", None, None, "no QAF due (no meeting planned from 1 July)", None),
    ]
    assert _rows(report, "Visits to arrange", "provider_id", "service_ids") == [("PR1", "SV101;SV102")]
    assert _rows(
        report, "D grades", "provider_id", "objective", "plan_received", "revalidation_due", "state"
    ) == [("PR2", "C1.4", date(2025, 9, 10), date(2025, 10, 10), "revalidation overdue")]
    paragraph = report.sections[2].paragraphs[0]
    assert "2 QAFs due, 1 received (1 late); as at 2025-10-31, 1 outstanding past their due date" in paragraph
