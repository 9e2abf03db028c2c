"""The QAF clauses (``risk.md``): the year's QAF return and the QAF grades. Pure functions."""

from __future__ import annotations

from datetime import date

from data_contracts.qaf_tables import plan_due, revalidation_due
from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.calendar.dates import year_start
from tasks.contract_management.clause_terms import (
    QAF_OUTSTANDING_HIGH_DAYS,
    ClauseResult,
    Finding,
    Grade,
    QafFacts,
    ServiceFacts,
    days_text,
    from_findings,
    on_or_before,
)

# qaf_return ------------------------------------------------------------------------------------


def qaf_standing(qaf: QafFacts, as_at: date) -> str:
    """Where the year's QAF stands on the as-at date.

    ``received`` (by its due date, or with no due date known), ``late``
    (received after it), ``not_due``, ``outstanding`` (past its due date) or
    ``no_due_date``.
    """
    received = on_or_before(qaf.received_on, as_at)
    if received is not None:
        return "late" if qaf.due is not None and received > qaf.due else "received"
    if qaf.due is None:
        return "no_due_date"
    return "not_due" if as_at <= qaf.due else "outstanding"


def qaf_return(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """The year's QAF: late or outstanding under 28 days past due Medium, outstanding 28 days or more High."""
    qaf = facts.qaf
    standing = qaf_standing(qaf, as_at)
    what = f"{qaf.year} QAF"
    received = qaf.received_on.isoformat() if qaf.received_on else ""
    if qaf.due is None:
        if standing == "received":
            return ClauseResult("qaf_return", LOW, f"{what} received on {received}")
        start = year_start(qaf.year)
        text = (
            f"nothing to judge: no {what} due (no contract-management meeting planned "
            f"from 1 July {start} to 30 June {start + 1})"
        )
        return ClauseResult("qaf_return", LOW, text)
    due = qaf.due.isoformat()
    if standing == "received":
        return ClauseResult("qaf_return", LOW, f"{what} received on {received}, by its due date {due}")
    if standing == "not_due":
        return ClauseResult("qaf_return", LOW, f"{what} not yet due (due {due})")
    if standing == "late" and qaf.received_on is not None:
        days = (qaf.received_on - qaf.due).days
        text = f"{what} received on {received}, {days_text(days)} after its due date {due}"
        return ClauseResult("qaf_return", MEDIUM, text)
    days = (as_at - qaf.due).days
    level = HIGH if days >= QAF_OUTSTANDING_HIGH_DAYS else MEDIUM
    return ClauseResult("qaf_return", level, f"{what} outstanding, {days_text(days)} past its due date {due}")


# qaf_grades ------------------------------------------------------------------------------------


def d_grade_finding(grade: Grade, as_at: date) -> Finding:
    """A D grade: High when its improvement plan is overdue or re-validation found no improvement."""
    if grade.agreed_on is None:
        return Finding(MEDIUM, f"{grade.objective} claimed D (provisional, not yet agreed)")
    agreed = f"{grade.objective} agreed D on {grade.agreed_on.isoformat()}"
    plan_received = on_or_before(grade.plan_received, as_at)
    if plan_received is None:
        due = plan_due(grade.agreed_on)
        if as_at > due:
            return Finding(HIGH, f"{agreed}: improvement plan overdue since {due.isoformat()}")
        return Finding(MEDIUM, f"{agreed}: improvement plan due {due.isoformat()}")
    revalidated = on_or_before(grade.revalidated_on, as_at)
    if revalidated is not None and grade.improved is False:
        return Finding(HIGH, f"{agreed}: re-validation on {revalidated.isoformat()} found no improvement")
    if revalidated is not None and grade.improved:
        return Finding(MEDIUM, f"{agreed}: re-validation on {revalidated.isoformat()} found improvement")
    revalidation = revalidation_due(plan_received).isoformat()
    text = f"{agreed}: plan received {plan_received.isoformat()}, re-validation due {revalidation}"
    return Finding(MEDIUM, text)


def qaf_grades(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """Every agreed (or provisional) grade C or above is Low; a D grade Medium or High."""
    qaf = facts.qaf
    if not qaf.grades:
        return ClauseResult("qaf_grades", LOW, "nothing to judge: no QAF grades held")
    findings = [d_grade_finding(g, as_at) for g in qaf.grades if g.grade == "D"]
    clear = f"every {qaf.grades_year} grade C or above ({len(qaf.grades)} objectives, agreed or provisional)"
    return from_findings("qaf_grades", findings, clear)
