"""The PI clauses (``risk.md``): timeliness, completeness, consecutive breaches of PIs, departures.

Pure functions of a service's facts as at a date; the last four due quarters,
consecutive breaches and days past a deadline count as the module
``tasks.contract_management.clauses`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import (
    NON_RETURN_HIGH_DAYS,
    RECENT_QUARTERS,
    RETURNED_HIGH_DAYS,
    BreachRule,
    ClauseResult,
    Finding,
    QuarterFacts,
    ServiceFacts,
    days_text,
    due_quarters,
    from_findings,
    last_due_quarters,
    on_or_before,
    quarters_text,
    span_text,
)


def over_last_due_quarters(
    clause: str,
    facts: ServiceFacts,
    as_at: date,
    finding: Callable[[QuarterFacts, date], Finding | None],
    all_clear: Callable[[list[QuarterFacts]], str],
) -> ClauseResult:
    """A clause judged quarter by quarter over the last four due quarters (Low when none is due)."""
    due = last_due_quarters(facts.quarters, as_at)
    if not due:
        return ClauseResult(clause, LOW, "nothing to judge: no quarter due yet")
    return from_findings(clause, [finding(q, as_at) for q in due], all_clear(due))


# pi_timeliness ---------------------------------------------------------------------------------


def timeliness_finding(quarter: QuarterFacts, as_at: date) -> Finding | None:
    """A late quarter (Medium) or a non-return (High from 30 days past its deadline); None when on time."""
    received = on_or_before(quarter.first_received, as_at)
    deadline = f"{'extended ' if quarter.extended else ''}deadline {quarter.deadline.isoformat()}"
    if received is None:
        days = (as_at - quarter.deadline).days
        level = HIGH if days >= NON_RETURN_HIGH_DAYS else MEDIUM
        return Finding(level, f"{quarter.name} not received, {days_text(days)} past its {deadline}")
    if received > quarter.deadline:
        days = (received - quarter.deadline).days
        return Finding(MEDIUM, f"{quarter.name} received {days_text(days)} after its {deadline}")
    return None


def pi_timeliness(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """PI returns on time over the last four due quarters."""
    return over_last_due_quarters(
        "pi_timeliness",
        facts,
        as_at,
        timeliness_finding,
        lambda due: f"{quarters_text(due, 'due')} received by {'its' if len(due) == 1 else 'their'} deadline",
    )


# pi_completeness -------------------------------------------------------------------------------


def completeness_finding(quarter: QuarterFacts, as_at: date) -> Finding | None:
    """A returned current return: Medium, High once returned 28 days or more with no resubmission."""
    if quarter.status != "returned" or quarter.status_since is None:
        return None
    days = (as_at - quarter.status_since).days
    since = quarter.status_since.isoformat()
    if days >= RETURNED_HIGH_DAYS:
        return Finding(HIGH, f"{quarter.name} returned on {since}, no resubmission for {days_text(days)}")
    return Finding(
        MEDIUM, f"{quarter.name} returned on {since}, waiting {days_text(days)} for a resubmission"
    )


def pi_completeness(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """Returns complete and balanced: none of the last four due quarters' current returns is returned."""
    return over_last_due_quarters(
        "pi_completeness",
        facts,
        as_at,
        completeness_finding,
        lambda due: f"no current return of {quarters_text(due, 'due')} is returned",
    )


# staffing, availability_utilisation, outcomes ----------------------------------------------------


def breaching(quarter: QuarterFacts, pis: Sequence[str]) -> list[str]:
    """The PIs among ``pis`` that breach in the quarter's current return."""
    return [pi for pi in pis if pi in quarter.breaches]


def consecutive_breaches(
    quarters: Sequence[QuarterFacts], as_at: date, pis: Sequence[str]
) -> tuple[QuarterFacts | None, list[QuarterFacts]]:
    """The latest accepted of the last four due quarters, and the run of breaching quarters ending there.

    The run counts back from that quarter through the quarters just before
    it, each accepted and breaching one of ``pis``; it is empty when that
    quarter does not breach.
    """
    due = due_quarters(quarters, as_at)
    accepted = [q for q in due[-RECENT_QUARTERS:] if q.status == "accepted"]
    if not accepted:
        return None, []
    anchor = accepted[-1]
    run: list[QuarterFacts] = []
    for quarter in reversed(due[: due.index(anchor) + 1]):
        adjacent = not run or quarter.index == run[-1].index - 1
        if not adjacent or quarter.status != "accepted" or not breaching(quarter, pis):
            break
        run.append(quarter)
    return anchor, run[::-1]


def _breach_clause(rule: BreachRule, facts: ServiceFacts, as_at: date) -> ClauseResult:
    pis = [pi for pi in rule.pis if pi in facts.pis]
    names = " or ".join(rule.pis)
    if not pis:
        return ClauseResult(rule.clause, LOW, f"nothing to judge: {rule.not_applicable}")
    anchor, run = consecutive_breaches(facts.quarters, as_at, pis)
    if anchor is None:
        return ClauseResult(
            rule.clause, LOW, "nothing to judge: no accepted return in the last four due quarters"
        )
    latest = f"{anchor.name}, the latest accepted quarter"
    if not run:
        return ClauseResult(rule.clause, LOW, f"no {names} breach in {latest}")
    breached = " and ".join(dict.fromkeys(pi for q in run for pi in breaching(q, pis)))
    if len(run) == 1:
        return ClauseResult(rule.clause, MEDIUM, f"{breached} breached in {latest}")
    level = HIGH if len(run) >= rule.high_run else MEDIUM
    return ClauseResult(
        rule.clause, level, f"{breached} breached in {len(run)} consecutive quarters ({span_text(run)})"
    )


STAFFING = BreachRule("staffing", ("SPI3",), 2, "SPI3 does not apply (no contracted front line hours)")
AVAILABILITY = BreachRule(
    "availability_utilisation", ("SPI1", "SPI2"), 3, "neither SPI1 nor SPI2 applies to this service"
)
OUTCOMES = BreachRule("outcomes", ("KPI1", "KPI2"), 2, "neither KPI1 nor KPI2 applies to this service")


def staffing(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """SPI3: breach in the latest accepted quarter Medium, in the latest two consecutive High."""
    return _breach_clause(STAFFING, facts, as_at)


def availability_utilisation(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """SPI1, SPI2: breach in the latest (or two consecutive) Medium, in three consecutive High."""
    return _breach_clause(AVAILABILITY, facts, as_at)


def outcomes(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """KPI1, KPI2: breach in the latest accepted quarter Medium, in the latest two consecutive High."""
    return _breach_clause(OUTCOMES, facts, as_at)


# departures ------------------------------------------------------------------------------------


def _count(value: float | None) -> str:
    return f"{value or 0:g}"


def departures(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """KPI2 services: unplanned departures above planned over the last four accepted quarters: Medium."""
    if "KPI2" not in facts.pis:
        return ClauseResult(
            "departures", LOW, "nothing to judge: not a short-term accommodation based service (KPI2)"
        )
    accepted = [q for q in due_quarters(facts.quarters, as_at) if q.status == "accepted"][-RECENT_QUARTERS:]
    if not accepted:
        return ClauseResult("departures", LOW, "nothing to judge: no accepted return yet")
    planned = sum(q.planned_departures or 0 for q in accepted)
    unplanned = sum(q.unplanned_departures or 0 for q in accepted)
    over = f"over {quarters_text(accepted, 'accepted')}"
    if unplanned > planned:
        text = f"unplanned departures ({_count(unplanned)}) exceed planned ({_count(planned)}) {over}"
        return ClauseResult("departures", MEDIUM, text)
    text = f"planned departures ({_count(planned)}) at least equal unplanned ({_count(unplanned)}) {over}"
    return ClauseResult("departures", LOW, text)
