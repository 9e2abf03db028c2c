"""The three feedback clauses at their boundaries (feedback.md, Contract-management clauses)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from data_contracts.feedback_tables import Audit, Consultation
from tasks.feedback.clauses import (
    AdverseReply,
    ServiceUserFacts,
    StakeholderFacts,
    SupportPlanFacts,
    service_user_feedback,
    stakeholder_feedback,
    support_plans,
)

DUE = date(2026, 4, 1)


@pytest.mark.parametrize(("as_at", "level"), [(date(2026, 4, 1), "Low"), (date(2026, 4, 2), "Medium")])
def test_stakeholder_cycle(as_at: date, level: str) -> None:
    result = stakeholder_feedback(StakeholderFacts(DUE), as_at)
    assert (result.clause, result.level) == ("stakeholder_feedback", level)


@pytest.mark.parametrize(
    ("replied", "as_at", "level"),
    [
        (None, date(2025, 11, 3), "Medium"),  # awaiting, on its due day
        (None, date(2025, 11, 4), "High"),  # past its due date
        (date(2025, 11, 3), date(2025, 12, 1), "Low"),
        (date(2025, 11, 10), date(2025, 11, 5), "High"),  # replied after the as-at date
    ],
)
def test_stakeholder_adverse_reply(replied: date | None, as_at: date, level: str) -> None:
    facts = StakeholderFacts(DUE, (AdverseReply("SQ-SV1-ST1-20251001", date(2025, 11, 3), replied),))
    result = stakeholder_feedback(facts, as_at)
    assert result.level == level
    if level != "Low":
        assert "SQ-SV1-ST1-20251001" in result.detail


def consultation(**fields: Any) -> Consultation:
    values: dict[str, Any] = {"consultation_id": "C1", "provider_id": "PR1", "service_id": "SV1", "method": "group",
                              "service_users": 10, "held_on": date(2025, 7, 1)}  # fmt: skip
    values.update(fields)
    return Consultation(**values)


@pytest.mark.parametrize(
    ("as_at", "level"),
    [
        (date(2026, 4, 1), "Low"),
        (date(2026, 4, 2), "Medium"),
        (date(2026, 9, 30), "Medium"),
        (date(2026, 10, 1), "High"),
    ],
)
def test_service_user_cycle_overdue_six_months_is_high(as_at: date, level: str) -> None:
    assert service_user_feedback(ServiceUserFacts(DUE), as_at).level == level


def test_not_due_in_a_procurement_review_year() -> None:
    result = service_user_feedback(ServiceUserFacts(None), date(2030, 1, 1))
    assert result.level == "Low" and "procurement review" in result.detail


@pytest.mark.parametrize(
    ("fields", "as_at", "level"),
    [
        ({}, date(2025, 8, 11), "Low"),  # report due 12/08
        ({}, date(2025, 8, 12), "Medium"),  # late from its due date, as report_late says
        ({"report_sent_on": date(2025, 8, 20)}, date(2025, 8, 25), "Low"),  # sent late, since sent
        ({"complaint_raised": True}, date(2025, 7, 2), "High"),
        ({"complaint_raised": True, "report_sent_on": date(2025, 7, 20)}, date(2025, 7, 21), "Low"),
        ({"complaint_raised": True, "held_on": date(2025, 9, 1)}, date(2025, 8, 1), "Low"),  # not yet held
    ],
)
def test_service_user_reports_and_complaints(fields: dict[str, Any], as_at: date, level: str) -> None:
    facts = ServiceUserFacts(DUE, (consultation(**fields),))
    assert service_user_feedback(facts, as_at).level == level


def audit(**fields: Any) -> Audit:
    values: dict[str, Any] = {"audit_id": "A1", "provider_id": "PR1", "service_id": "SV1",
                              "audit_date": date(2025, 6, 2), "plans_viewed": 10, "feedback_sent_on": date(2025, 6, 9)}  # fmt: skip
    values.update(fields)
    return Audit(**values)


@pytest.mark.parametrize(
    ("audits", "as_at", "level"),
    [
        ((), date(2025, 7, 1), "Low"),
        ((audit(meets_minimum=True),), date(2025, 7, 1), "Low"),
        ((audit(meets_minimum=False),), date(2025, 7, 1), "Medium"),
        ((audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1)),), date(2025, 9, 1), "Medium"),
        ((audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1)),), date(2025, 9, 2), "High"),
        ((audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1), reaudit_on=date(2025, 9, 1),
                reaudit_meets_minimum=True),), date(2025, 9, 2), "Low"),
        ((audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1), reaudit_on=date(2025, 9, 1),
                reaudit_meets_minimum=False),), date(2025, 9, 2), "High"),
        ((audit(meets_minimum=True, feedback_sent_on=None),), date(2025, 6, 29), "Low"),
        ((audit(meets_minimum=True, feedback_sent_on=None),), date(2025, 6, 30), "Medium"),  # feedback_late
        ((audit(meets_minimum=False), audit(audit_id="A2", audit_date=date(2025, 10, 1), meets_minimum=True)),
         date(2025, 10, 2), "Low"),  # the latest audit met the minimum
    ],
)  # fmt: skip
def test_support_plans(audits: tuple[Audit, ...], as_at: date, level: str) -> None:
    result = support_plans(SupportPlanFacts("Accommodation based", audits), as_at)
    assert (result.clause, result.level) == ("support_plans", level)


def test_alarm_services_are_not_audited() -> None:
    facts = SupportPlanFacts(
        "Community alarm", (audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1)),)
    )
    assert support_plans(facts, date(2026, 1, 1)).level == "Low"


def test_support_plans_detail_says_what_was_found() -> None:
    met = SupportPlanFacts("Floating support", (audit(meets_minimum=True),))
    assert support_plans(met, date(2025, 7, 1)).detail == "audit A1 met the minimum"
    overdue = SupportPlanFacts(
        "Floating support", (audit(meets_minimum=False, remedy_agreed_by=date(2025, 9, 1)),)
    )
    assert (
        support_plans(overdue, date(2025, 9, 3)).detail
        == "the re-audit after audit A1 due 01/09/2025, 2 days overdue"
    )
