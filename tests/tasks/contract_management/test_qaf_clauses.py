"""The QAF clauses of risk.md (the year's QAF return, the grades) at their boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import ClauseResult, Grade, QafFacts, ServiceFacts
from tasks.contract_management.qaf_clauses import qaf_grades, qaf_return, qaf_standing
from tests.tasks.contract_management.clause_cases import YEAR, days, service

# qaf_return -----------------------------------------------------------------------------------

DUE = date(2026, 2, 20)


def qaf(**facts: Any) -> ServiceFacts:
    return service(qaf=QafFacts(YEAR, **facts))


def test_qaf_return_without_a_due_date_is_low_and_says_so() -> None:
    result = qaf_return(qaf(), date(2026, 3, 1))
    assert result.level == LOW
    assert result.detail == (
        "nothing to judge: no 2025/26 QAF due (no contract-management meeting planned "
        "from 1 July 2025 to 30 June 2026)"
    )


def test_qaf_return_not_yet_due_is_low() -> None:
    result = qaf_return(qaf(due=DUE), DUE)
    assert result == ClauseResult("qaf_return", LOW, "2025/26 QAF not yet due (due 2026-02-20)")


def test_qaf_return_received_by_its_due_date_is_low() -> None:
    result = qaf_return(qaf(due=DUE, received_on=DUE), date(2026, 4, 1))
    assert result == ClauseResult(
        "qaf_return", LOW, "2025/26 QAF received on 2026-02-20, by its due date 2026-02-20"
    )


def test_qaf_return_received_late_is_medium() -> None:
    result = qaf_return(qaf(due=DUE, received_on=DUE + days(40)), date(2026, 4, 10))
    assert result == ClauseResult(
        "qaf_return", MEDIUM, "2025/26 QAF received on 2026-04-01, 40 days after its due date 2026-02-20"
    )


@pytest.mark.parametrize(("past", "level"), [(1, MEDIUM), (27, MEDIUM), (28, HIGH)])
def test_qaf_return_outstanding_is_high_from_28_days_past_due(past: int, level: str) -> None:
    result = qaf_return(qaf(due=DUE), DUE + days(past))
    assert result.level == level
    assert result.detail.startswith(f"2025/26 QAF outstanding, {past} day")


def test_qaf_standing_for_the_reports() -> None:
    def standing(as_at: date, **facts: Any) -> str:
        return qaf_standing(QafFacts(YEAR, **facts), as_at)

    assert standing(DUE) == "no_due_date"
    assert standing(DUE, received_on=DUE) == "received"
    assert standing(DUE, due=DUE) == "not_due"
    assert standing(DUE + days(1), due=DUE) == "outstanding"
    assert standing(DUE + days(3), due=DUE, received_on=DUE + days(2)) == "late"
    assert standing(DUE + days(1), due=DUE, received_on=DUE + days(2)) == "outstanding"


def test_qaf_return_received_after_the_as_at_date_is_outstanding() -> None:
    assert qaf_return(qaf(due=DUE, received_on=DUE + days(40)), DUE + days(30)).level == HIGH


# qaf_grades -----------------------------------------------------------------------------------

AGREED = date(2026, 3, 2)  # improvement plan due 2026-03-16


def graded(*grades: Grade) -> ServiceFacts:
    return service(qaf=QafFacts(YEAR, grades_year=YEAR, grades=grades))


def test_qaf_grades_with_no_grades_is_low_and_says_so() -> None:
    assert qaf_grades(service(), AGREED) == ClauseResult(
        "qaf_grades", LOW, "nothing to judge: no QAF grades held"
    )


def test_qaf_grades_c_or_above_is_low() -> None:
    result = qaf_grades(graded(Grade("C1.1", "C", AGREED), Grade("C1.2", "A")), AGREED)
    assert result == ClauseResult(
        "qaf_grades", LOW, "every 2025/26 grade C or above (2 objectives, agreed or provisional)"
    )


def test_a_provisional_d_grade_is_medium() -> None:
    result = qaf_grades(graded(Grade("C1.4", "D")), AGREED)
    assert result == ClauseResult("qaf_grades", MEDIUM, "C1.4 claimed D (provisional, not yet agreed)")


@pytest.mark.parametrize(("after", "level"), [(0, MEDIUM), (14, MEDIUM), (15, HIGH)])
def test_an_agreed_d_grade_is_high_once_its_plan_is_overdue(after: int, level: str) -> None:
    result = qaf_grades(graded(Grade("C1.4", "D", AGREED)), AGREED + days(after))
    assert result.level == level


def test_d_grade_details() -> None:
    d_grade = Grade("C1.4", "D", AGREED)
    assert (
        qaf_grades(graded(d_grade), AGREED).detail
        == "C1.4 agreed D on 2026-03-02: improvement plan due 2026-03-16"
    )
    assert qaf_grades(graded(d_grade), date(2026, 3, 17)).detail == (
        "C1.4 agreed D on 2026-03-02: improvement plan overdue since 2026-03-16"
    )


def test_a_d_grade_with_its_plan_received_is_medium_until_revalidation_finds_no_improvement() -> None:
    received = Grade("C1.4", "D", AGREED, plan_received=date(2026, 3, 10))
    assert qaf_grades(graded(received), date(2026, 5, 1)).level == MEDIUM
    not_improved = replace(received, revalidated_on=date(2026, 4, 10), improved=False)
    assert qaf_grades(graded(not_improved), date(2026, 4, 9)).level == MEDIUM  # not re-validated yet then
    result = qaf_grades(graded(not_improved), date(2026, 4, 10))
    assert result == ClauseResult(
        "qaf_grades", HIGH, "C1.4 agreed D on 2026-03-02: re-validation on 2026-04-10 found no improvement"
    )
    improved = replace(not_improved, improved=True)
    assert qaf_grades(graded(improved), date(2026, 4, 10)).level == MEDIUM


def test_a_plan_received_after_the_as_at_date_is_not_received() -> None:
    late_plan = Grade("C1.4", "D", AGREED, plan_received=date(2026, 3, 20))
    assert qaf_grades(graded(late_plan), date(2026, 3, 18)).level == HIGH
