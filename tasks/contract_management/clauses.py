"""The clauses of the desk-top compliance audit, judged as at a date (``risk.md``). Pure functions.

Each clause gets a level (Low, Medium, High) and a detail a person can read.
The facts come from ``tasks.contract_management.facts``, which gathers them from the
database as it stood on the as-at date; a clause with nothing to judge is Low
and says so.

- The **last four due quarters** are the four most recent quarters whose
  deadline (after any extension) is before the as-at date.
- **Consecutive** breaches count back from the most recent of them that has
  an accepted return, through the quarters just before it, for as long as
  each has an accepted return with a breach of the clause's PIs (a quarter
  with no accepted return ends the run).
- The **last four accepted quarters** (``departures``) are the four most
  recent due quarters whose current return is accepted.
- Days past a deadline or target count from the day after it: a return
  received on its deadline day is on time, and on the as-at date a deadline
  of the day before is 1 day past.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from data_contracts.qaf_tables import plan_due, revalidation_due
from data_contracts.risk_tables import CLAUSES, HIGH, LEVELS, LOW, MEDIUM, PRIORITIES
from tasks.calendar.dates import QUARTER_FIRST_MONTH, year_start

RECENT_QUARTERS = 4
NON_RETURN_HIGH_DAYS = 30
RETURNED_HIGH_DAYS = 28
QAF_OUTSTANDING_HIGH_DAYS = 28
ACTION_HIGH_DAYS = 60
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PRIORITY_OF_LEVEL = dict(zip(LEVELS, PRIORITIES, strict=True))  # Low GREEN, Medium AMBER, High RED
QUARTER_NUMBER = {quarter: number for number, quarter in enumerate(QUARTER_FIRST_MONTH, start=1)}


@dataclass(frozen=True)
class QuarterFacts:
    """One quarter of a service as at the evaluation date.

    ``first_received``: the Europe/London date of the first file for the
    quarter (quarantined files aside). ``status``: the status the current
    return had on the as-at date (``accepted`` or ``returned``; ``None`` when
    nothing was received); ``status_since`` is that return's received date.
    """

    year: str
    quarter: str
    deadline: date
    first_received: date | None = None
    status: str | None = None
    status_since: date | None = None
    breaches: frozenset[str] = frozenset()
    planned_departures: float | None = None
    unplanned_departures: float | None = None
    extended: bool = False  # the deadline is an agreed extension

    @property
    def name(self) -> str:
        """``Q2 2025/26``."""
        return f"{self.quarter} {self.year}"

    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by one."""
        return quarter_index(self.year, self.quarter)


@lru_cache(maxsize=1024)
def quarter_index(year: str, quarter: str) -> int:
    """``QuarterFacts.index`` of a year and quarter (cached: the history asks it very often)."""
    return year_start(year) * 4 + QUARTER_NUMBER[quarter]


@dataclass(frozen=True)
class Grade:
    """One QAF objective's grade: agreed by the officer, or claimed (provisional, ``agreed_on`` None)."""

    objective: str
    grade: str
    agreed_on: date | None = None
    plan_received: date | None = None
    revalidated_on: date | None = None
    improved: bool | None = None


@dataclass(frozen=True)
class QafFacts:
    """The service's QAF for the as-at date's year, and its latest grades.

    ``due`` is ``None`` when no contract-management meeting sets a due date
    for the year; ``grades_year`` is the year the grades belong to.
    """

    year: str
    due: date | None = None
    received_on: date | None = None
    grades_year: str = ""
    grades: tuple[Grade, ...] = ()


@dataclass(frozen=True)
class ActionFacts:
    """An improvement-plan action of the service (or of all its provider's services)."""

    description: str
    owner: str
    target_date: date
    closed_on: date | None = None


@dataclass(frozen=True)
class ServiceFacts:
    """What the clauses judge about one service, as the database stood on the as-at date."""

    service_id: str
    provider_id: str
    pis: tuple[str, ...]  # the PIs that apply to the service
    quarters: tuple[QuarterFacts, ...]  # every quarter of its contract years, in order
    qaf: QafFacts
    actions: tuple[ActionFacts, ...] = ()


@dataclass(frozen=True)
class ClauseResult:
    """A clause's level and its detail."""

    clause: str
    level: str
    detail: str


@dataclass(frozen=True)
class Finding:
    """One thing a clause found, with its level."""

    level: str
    text: str


@dataclass(frozen=True)
class BreachRule:
    """A clause judged on consecutive breaches of its PIs: the run length that makes it High."""

    clause: str
    pis: tuple[str, ...]
    high_run: int
    not_applicable: str


def worst(levels: Iterable[str]) -> str:
    """The highest of the levels (Low when there are none)."""
    return max(levels, key=LEVEL_RANK.__getitem__, default=LOW)


def overall(results: Iterable[ClauseResult]) -> str:
    """A service's overall risk: the highest level of its clauses."""
    return worst(result.level for result in results)


def priority(level: str) -> str:
    """The priority (RAG) of an overall risk: High RED, Medium AMBER, Low GREEN."""
    return PRIORITY_OF_LEVEL[level]


def days_text(days: int) -> str:
    """``1 day``, ``3 days``."""
    return f"{days} day" if days == 1 else f"{days} days"


def span_text(quarters: Sequence[QuarterFacts]) -> str:
    """``Q1 2025/26`` or ``Q3 2024/25 to Q2 2025/26``."""
    if len(quarters) == 1:
        return quarters[0].name
    return f"{quarters[0].name} to {quarters[-1].name}"


def quarters_text(quarters: Sequence[QuarterFacts], kind: str) -> str:
    """``the last 3 due quarters (Q1 2025/26 to Q3 2025/26)``, or ``the last due quarter Q1 2025/26``."""
    if len(quarters) == 1:
        return f"the last {kind} quarter {quarters[0].name}"
    return f"the last {len(quarters)} {kind} quarters ({span_text(quarters)})"


def due_quarters(quarters: Iterable[QuarterFacts], as_at: date) -> list[QuarterFacts]:
    """Every quarter whose deadline is before the as-at date, in order."""
    return sorted((q for q in quarters if q.deadline < as_at), key=lambda q: q.index)


def last_due_quarters(quarters: Iterable[QuarterFacts], as_at: date) -> list[QuarterFacts]:
    """The last four due quarters, oldest first."""
    return due_quarters(quarters, as_at)[-RECENT_QUARTERS:]


def on_or_before(day: date | None, as_at: date) -> date | None:
    """The date, if it is on or before the as-at date (else it had not happened yet)."""
    return day if day is not None and day <= as_at else None


def _from_findings(clause: str, findings: Sequence[Finding | None], all_clear: str) -> ClauseResult:
    found = [f for f in findings if f is not None]
    if not found:
        return ClauseResult(clause, LOW, all_clear)
    return ClauseResult(clause, worst(f.level for f in found), "; ".join(f.text for f in found))


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
    due = last_due_quarters(facts.quarters, as_at)
    if not due:
        return ClauseResult("pi_timeliness", LOW, "nothing to judge: no quarter due yet")
    findings = [timeliness_finding(q, as_at) for q in due]
    clear = f"{quarters_text(due, 'due')} received by {'its' if len(due) == 1 else 'their'} deadline"
    return _from_findings("pi_timeliness", findings, clear)


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
    due = last_due_quarters(facts.quarters, as_at)
    if not due:
        return ClauseResult("pi_completeness", LOW, "nothing to judge: no quarter due yet")
    findings = [completeness_finding(q, as_at) for q in due]
    clear = f"no current return of {quarters_text(due, 'due')} is returned"
    return _from_findings("pi_completeness", findings, clear)


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
    return _from_findings("qaf_grades", findings, clear)


# actions ---------------------------------------------------------------------------------------


def is_open(action: ActionFacts, as_at: date) -> bool:
    """Not closed on or before the as-at date."""
    return action.closed_on is None or action.closed_on > as_at


def action_finding(action: ActionFacts, as_at: date) -> Finding | None:
    """An open action past its target date: Medium, High from 60 days past."""
    if not is_open(action, as_at) or as_at <= action.target_date:
        return None
    days = (as_at - action.target_date).days
    level = HIGH if days >= ACTION_HIGH_DAYS else MEDIUM
    text = (
        f"'{action.description}' (owner {action.owner}) {days_text(days)} past its target date "
        f"{action.target_date.isoformat()}"
    )
    return Finding(level, text)


def actions(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """Improvement-plan actions: any past its target date Medium, 60 days or more High."""
    if not facts.actions:
        return ClauseResult("actions", LOW, "nothing to judge: no improvement-plan actions")
    ordered = sorted(facts.actions, key=lambda a: (a.target_date, a.description, a.owner))
    findings = [action_finding(a, as_at) for a in ordered]
    still_open = sum(is_open(a, as_at) for a in facts.actions)
    return _from_findings("actions", findings, f"none overdue ({still_open} open of {len(facts.actions)})")


CLAUSE_RULES: dict[str, Callable[[ServiceFacts, date], ClauseResult]] = {
    "pi_timeliness": pi_timeliness,
    "pi_completeness": pi_completeness,
    "staffing": staffing,
    "availability_utilisation": availability_utilisation,
    "outcomes": outcomes,
    "departures": departures,
    "qaf_return": qaf_return,
    "qaf_grades": qaf_grades,
    "actions": actions,
}


def evaluate_service(facts: ServiceFacts, as_at: date) -> list[ClauseResult]:
    """The nine clauses of ``risk.md`` for one service, in the order of its table."""
    return [CLAUSE_RULES[clause](facts, as_at) for clause in CLAUSES]
