"""The history of each service's clause levels, overall risk and priority: a function of the data.

``risk.md``: "each change of level of a clause or a service is recorded with
its date". The date of a change is the day the *data* made it change (a
deadline passing, a return arriving, a meeting re-planned, a grade agreed,
an action's target passing), never the day someone happened to run the risk
flow. So the history is **derived**:

- a subject's level on a day is what the clauses give as at that day
  (``tasks.contract_management.facts``, cut from one in-memory load of the database);
- a change is a day whose level differs from the day before; a service's
  first judged day (1 April of its first contract year) is recorded with no
  ``from_level``; a service is judged on the days of the years it has a
  contract for, and a gap between years carries its last level over;
- levels can only change on **candidate days** (``candidate_days``): a
  quarter's deadline + 1 and + 30, each day a PI return arrived and + 28
  (returned and not resubmitted), each QAF received, the QAF due date + 1 and
  + 28, each day a meeting re-plan was recorded, grades agreed, a D grade's
  plan due + 1, plans received and re-validations, an action's target + 1
  and + 60 and the day it closed, 1 April of each contract year, and the
  as-at date. Each clause is judged only on its own candidate days (a
  staffing clause on the days a quarter falls due or a return arrives, and
  only if some return of the service ever breached SPI3, and so on), and
  overall and priority are worked out wherever a clause changed. This gives
  exactly what evaluating every day gives (``tests/tasks/test_risk_history.py``
  checks it day by day), at a fraction of the cost (``bench/history_bench.py``).

Who reads what: the reports (``reports.gather``) derive the history
themselves (``derive_history``) and never read the tables, so a report for a
past period is the same whether or not the risk flow ever ran. The tables
``risk_change`` and ``risk_level`` are a **cache** for other readers (the risk
flow's summary, SQL users): each risk run (``evaluate_and_record``) replaces
them with the derivation up to the latest as-at date it was ever run for,
so they always equal the derivation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlmodel import Session, col

from data_contracts.qaf_tables import plan_due
from data_contracts.risk_tables import CLAUSES, OVERALL, PRIORITY, RiskChange, RiskLevel
from foundation.programme import Programme
from tasks.calendar.dates import year_of, year_start
from tasks.contract_management.clauses import (
    ACTION_HIGH_DAYS,
    AVAILABILITY,
    CLAUSE_RULES,
    NON_RETURN_HIGH_DAYS,
    OUTCOMES,
    QAF_OUTSTANDING_HIGH_DAYS,
    RETURNED_HIGH_DAYS,
    STAFFING,
    priority,
    worst,
)
from tasks.contract_management.facts import FactSource, ServiceRisk, covers, status_then
from tasks.contract_management.meetings import (
    ScheduledMeeting,
    ServicePriority,
    meeting_schedule,
    raised_on,
)

SubjectKey = tuple[str, str]  # (service_id, subject)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Change:
    """A change of one subject's level on a day (``from_level`` None: the service's first judged day)."""

    service_id: str
    provider_id: str
    subject: str
    from_level: str | None
    to_level: str
    changed_on: date
    detail: str = ""


@dataclass
class History:
    """Every change of every subject of the services judged, up to ``as_at``, in date order."""

    as_at: date
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._latest: dict[SubjectKey, Change] = {}
        self._priorities: dict[str, list[tuple[date, str | None, str]]] = defaultdict(list)
        for change in self.changes:
            self._latest[(change.service_id, change.subject)] = change
            if change.subject == PRIORITY:
                self._priorities[change.service_id].append(
                    (change.changed_on, change.from_level, change.to_level)
                )

    def since(self, service_id: str, subject: str, level: str) -> date | None:
        """The day the subject came to the level it has on the as-at date (None if it has not)."""
        latest = self._latest.get((service_id, subject))
        return latest.changed_on if latest is not None and latest.to_level == level else None

    def between(self, first: date, last: date) -> list[Change]:
        """The changes from ``first`` to ``last``, both included."""
        return [c for c in self.changes if first <= c.changed_on <= last]

    def priority_changes(self, service_id: str) -> list[tuple[date, str | None, str]]:
        """The service's priority changes ``(day, from, to)`` in date order."""
        return self._priorities.get(service_id, [])


def subject_levels(risk: ServiceRisk) -> Iterator[tuple[str, str, str]]:
    """(subject, level, detail) of every clause, then ``overall`` and ``priority``."""
    for result in risk.results:
        yield result.clause, result.level, result.detail
    at_level = [r.clause for r in risk.results if r.level == risk.overall]
    yield OVERALL, risk.overall, f"{risk.overall}: {', '.join(at_level)}"
    yield PRIORITY, risk.priority, f"overall risk {risk.overall}"


# Candidate days --------------------------------------------------------------------------------

BREACH_RULES = {rule.clause: rule for rule in (STAFFING, AVAILABILITY, OUTCOMES)}


def candidate_days(source: FactSource, service_id: str, provider_id: str) -> dict[str, set[date]]:
    """For each clause, every day on which some input of it can change its level.

    A clause whose inputs never leave Low for this service (no breach of its
    PIs in any return, no return ever returned, no D grade, KPI2 never
    applies...) needs only the first day of each contract year.
    """
    years = source.years.get(service_id, [])
    starts = {date(year_start(year), 4, 1) for year in years}
    due: set[date] = set()  # a quarter falls due
    received: set[date] = set()
    high: set[date] = set()  # a non-return reaches 30 days
    waited: set[date] = set()  # a returned return reaches 28 days
    breached: set[str] = set()
    for year, quarter, deadline in source.quarter_keys(service_id, max(years, default="")):
        due.add(deadline + DAY)
        rows = source.pi.get((service_id, year, quarter), [])
        thirty = deadline + timedelta(days=NON_RETURN_HIGH_DAYS)
        if not any(day < thirty for day, _ in rows):
            high.add(thirty)
        for day, row in rows:
            received.add(day)
            breached.update(pi for pi in row.breaches.split(";") if pi)
            if status_then(row) == "returned":
                waited.add(day + timedelta(days=RETURNED_HIGH_DAYS))
    quarters = due | received
    days = {
        "pi_timeliness": quarters | high,
        "pi_completeness": quarters | waited if waited else set(),
        "departures": quarters
        if any("KPI2" in source.pis_of(source.contract[(service_id, y)]) for y in years)
        else set(),
    }
    for clause, rule in BREACH_RULES.items():
        days[clause] = quarters if breached & set(rule.pis) else set()
    days["qaf_return"], days["qaf_grades"] = qaf_days(source, service_id, provider_id, starts)
    actions: set[date] = set()
    for action in source.actions_of(service_id, provider_id):
        actions.update((action.target_date + DAY, action.target_date + timedelta(days=ACTION_HIGH_DAYS)))
        if action.closed_on is not None:
            actions.add(action.closed_on)
    days["actions"] = actions
    days.update(source.feedback_days(service_id))
    return {clause: found | starts for clause, found in days.items()}


def qaf_days(
    source: FactSource, service_id: str, provider_id: str, starts: set[date]
) -> tuple[set[date], set[date]]:
    """The candidate days of ``qaf_return`` and of ``qaf_grades``."""
    returns: set[date] = set()
    grades: set[date] = set()
    d_grade = False
    for day, row in source.qaf.get(provider_id, []):
        if covers(row.service_ids, service_id):
            returns.add(day)
            d_grade = d_grade or any(getattr(row, f"claimed_c1_{n}", "") == "D" for n in range(1, 8))
    grades |= returns
    meetings = source.meetings.get(provider_id, [])
    replans = {m.replanned_on for m in meetings if m.replanned_on is not None}
    returns |= replans
    for day in starts | replans:
        entry = source.timetable(provider_id, day)  # kept per provider: its services share it
        if entry is not None:
            returns.update((entry.due + DAY, entry.due + timedelta(days=QAF_OUTSTANDING_HIGH_DAYS)))
    for grade in source.agreed.get(provider_id, []):
        if covers(grade.service_ids, service_id):
            grades.update((grade.date_agreed, plan_due(grade.date_agreed) + DAY))
            d_grade = d_grade or grade.grade == "D"
    for (plan_provider, _, service_ids), plan in source.plans_of(provider_id):
        if plan_provider == provider_id and covers(service_ids, service_id):
            grades.update(d for d in (plan.plan_received, plan.revalidated_on) if d is not None)
    return returns, grades if d_grade else set()


# Deriving --------------------------------------------------------------------------------------

Timeline = list[tuple[date, str, str]]  # (day, level, detail) at each change


def clause_timelines(
    source: FactSource, service_id: str, as_at: date, days: Iterable[date] | None = None
) -> tuple[dict[str, Timeline], dict[date, str]]:
    """Each clause's changes up to the as-at date, judged on its candidate days (or on ``days``).

    Also the provider of each day on which a level changed.
    """
    contracts = {
        y: source.contract[(service_id, y)] for y in source.years.get(service_id, []) if y <= year_of(as_at)
    }
    timelines: dict[str, Timeline] = {clause: [] for clause in CLAUSES}
    providers: dict[date, str] = {}
    if not contracts:
        return timelines, providers
    wanted: dict[date, list[str]] = defaultdict(list)
    if days is None:
        per_clause: dict[str, set[date]] = {clause: {as_at} for clause in CLAUSES}
        for provider_id in {c.provider_id for c in contracts.values()}:
            for clause, found in candidate_days(source, service_id, provider_id).items():
                per_clause[clause] |= found
    else:
        per_clause = {clause: set(days) for clause in CLAUSES}
    for clause in CLAUSES:
        for day in per_clause[clause]:
            if day <= as_at and year_of(day) in contracts:
                wanted[day].append(clause)
    for day in sorted(wanted):
        contract = contracts[year_of(day)]
        facts = source.facts(contract, day)
        for clause in wanted[day]:
            result = CLAUSE_RULES[clause](facts, day)
            line = timelines[clause]
            if not line or line[-1][1] != result.level:
                line.append((day, result.level, result.detail))
                providers[day] = contract.provider_id
    return timelines, providers


def service_history(
    source: FactSource, service_id: str, as_at: date, days: Iterable[date] | None = None
) -> list[Change]:
    """One service's changes up to the as-at date (clauses on their candidate days, or on ``days``)."""
    timelines, providers = clause_timelines(source, service_id, as_at, days)
    events: dict[date, list[tuple[str, str, str]]] = defaultdict(list)
    for clause, line in timelines.items():
        for day, level, detail in line:
            events[day].append((clause, level, detail))
    held: dict[str, str] = {}
    details: dict[str, str] = {}
    changes: list[Change] = []
    for day in sorted(events):
        provider_id = providers[day]
        for clause, level, detail in sorted(events[day], key=lambda e: CLAUSES.index(e[0])):
            changes.append(Change(service_id, provider_id, clause, held.get(clause), level, day, detail))
            held[clause], details[clause] = level, detail
        if len(held) < len(CLAUSES):
            continue
        top = worst(held[clause] for clause in CLAUSES)
        if held.get(OVERALL) != top:
            at_level = ", ".join(clause for clause in CLAUSES if held[clause] == top)
            changes.append(
                Change(service_id, provider_id, OVERALL, held.get(OVERALL), top, day, f"{top}: {at_level}")
            )
            held[OVERALL] = top
        rag = priority(top)
        if held.get(PRIORITY) != rag:
            changes.append(
                Change(service_id, provider_id, PRIORITY, held.get(PRIORITY), rag, day, f"overall risk {top}")
            )
            held[PRIORITY] = rag
    return changes


def derive_history(source: FactSource, as_at: date, service_ids: Sequence[str] | None = None) -> History:
    """Every change of the services (default: those with a contract in the as-at date's year) up to it."""
    if service_ids is None:
        service_ids = [c.service_id for c in source.contracts_in(year_of(as_at))]
    changes = [change for s in service_ids for change in service_history(source, s, as_at)]
    changes.sort(key=lambda c: (c.changed_on, c.service_id, c.subject))
    return History(as_at, changes)


def history_as_at(session: Session, programme: Programme, as_at: date) -> tuple[list[ServiceRisk], History]:
    """The services' risks as at the date and their history up to it, from one load."""
    source = FactSource.load(session, programme, year_of(as_at))
    return source.evaluate_all(as_at), derive_history(source, as_at)


def level_on(changes: Sequence[Change], subject: str, day: date) -> str | None:
    """A subject's level on a day from one service's changes (in date order)."""
    mine = [c for c in changes if c.subject == subject]
    index = bisect_right([c.changed_on for c in mine], day)
    return mine[index - 1].to_level if index else None


# The cache -------------------------------------------------------------------------------------


def evaluate_and_record(session: Session, programme: Programme, as_at: date) -> list[RiskChange]:
    """The risk step: bring the cache tables to the derivation; the changes not held before.

    The cache covers up to the latest as-at date ever evaluated (this one or
    a later one), and is replaced as a whole, so data corrected since (a late
    file, an extension, a meeting re-planned) rewrites the history it changes.
    """
    held_on = session.execute(select(col(RiskLevel.evaluated_on))).scalars().all()
    horizon = max([as_at, *held_on])
    source = FactSource.load(session, programme, year_of(horizon))
    history = derive_history(source, horizon)
    before = {
        (c.service_id, c.subject, c.changed_on, c.from_level, c.to_level)
        for c in session.execute(select(RiskChange)).scalars()
    }
    session.execute(delete(RiskChange))
    session.execute(delete(RiskLevel))
    rows = [
        RiskChange(
            service_id=c.service_id,
            subject=c.subject,
            from_level=c.from_level,
            to_level=c.to_level,
            changed_on=c.changed_on,
            detail=c.detail,
        )
        for c in history.changes
    ]
    session.add_all(rows)
    for risk in source.evaluate_all(horizon):
        for subject, level, detail in subject_levels(risk):
            since = history.since(risk.service_id, subject, level) or horizon
            session.add(
                RiskLevel(
                    service_id=risk.service_id,
                    subject=subject,
                    level=level,
                    detail=detail,
                    since=since,
                    evaluated_on=horizon,
                )
            )
    session.flush()
    return [
        row
        for row in rows
        if (row.service_id, row.subject, row.changed_on, row.from_level, row.to_level) not in before
    ]


# The meeting schedule from the priorities -------------------------------------------------------


def service_priorities(risks: Sequence[ServiceRisk], history: History, as_at: date) -> list[ServicePriority]:
    """Each service's priority as at the date and the day it rose to it (from the derived history)."""
    return [
        ServicePriority(
            risk.service_id,
            risk.provider_id,
            risk.priority,
            raised_on(history.priority_changes(risk.service_id), risk.priority, as_at),
        )
        for risk in risks
    ]


def schedule_as_at(
    programme: Programme, source: FactSource, risks: Sequence[ServiceRisk], history: History, as_at: date
) -> list[ScheduledMeeting]:
    """The next meeting each service should have, at its priority's interval (programme file)."""
    meetings = [m for held in source.meetings.values() for m in held]
    priorities = service_priorities(risks, history, as_at)
    return meeting_schedule(priorities, meetings, programme.meeting_interval_months, as_at)
