"""A day's facts cut from the database's rows: PI quarters, QAF facts and actions as at a date.

As the module ``tasks.contract_management.facts`` says: only rows received
(Europe/London date) on or before the as-at date count, and the current
return of a quarter is the latest of them with the status it had then.
``fact_source.FactSource`` loads the rows once and cuts many days from them
with these functions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.pi_workbook import QUARTERS
from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan, QafReturn
from data_contracts.qaf_workbook import GRADES, OBJECTIVES
from data_contracts.risk_tables import Action, Meeting
from data_contracts.tables import ContractRecord, PiReturn
from tasks.calendar.dates import as_utc, london_date, year_of
from tasks.calendar.deadlines import Deadlines
from tasks.contract_management.clause_terms import ActionFacts, Grade, QafFacts, QuarterFacts
from tasks.contract_management.meetings import qaf_timetable

CURRENT_STATUSES = ("accepted", "returned", "superseded")  # duplicates never become current


class _HasProvider(Protocol):
    @property
    def provider_id(self) -> str: ...


ByProvider = TypeVar("ByProvider", bound=_HasProvider)


def pi_rows_of(session: Session, service_ids: Sequence[str]) -> list[PiReturn]:
    """The quarter rows of the services (quarantined aside), whenever received."""
    if not service_ids:
        return []
    statement = select(PiReturn).where(
        col(PiReturn.service_id).in_(list(service_ids)),
        col(PiReturn.quarter) != "",
        col(PiReturn.status) != "quarantined",
    )
    return list(session.execute(statement).scalars())


def qaf_rows_of(session: Session, providers: Sequence[str]) -> list[QafReturn]:
    """The providers' QAF rows (quarantined aside), whenever received."""
    statement = select(QafReturn).where(
        col(QafReturn.provider_id).in_(list(providers)), col(QafReturn.status) != "quarantined"
    )
    return list(session.execute(statement).scalars())


def contracts_up_to(session: Session, year: str) -> list[ContractRecord]:
    """Contract records of the year and the years before it."""
    statement = select(ContractRecord).where(col(ContractRecord.year) <= year)
    return list(session.execute(statement).scalars())


def contract_years(contracts: Iterable[ContractRecord]) -> dict[str, list[str]]:
    """The years each service has a contract record for, in order."""
    years: dict[str, set[str]] = defaultdict(set)
    for contract in contracts:
        years[contract.service_id].add(contract.year)
    return {service_id: sorted(held) for service_id, held in years.items()}


def received_by(instant: datetime, as_at: date) -> bool:
    """Received on or before the as-at date (Europe/London)."""
    return london_date(as_utc(instant)) <= as_at


# PI quarters -----------------------------------------------------------------------------------


def quarter_facts(
    session: Session, deadlines: Deadlines, service_years: Mapping[str, Sequence[str]], as_at: date
) -> dict[str, tuple[QuarterFacts, ...]]:
    """Every quarter of each service's years (where a deadline is known), as at the date, in order."""
    rows = pi_rows_as_at(session, list(service_years), as_at)
    facts: dict[str, tuple[QuarterFacts, ...]] = {}
    for service_id, years in service_years.items():
        found = []
        for year in years:
            for quarter in QUARTERS:
                deadline = deadlines.of(service_id, year, quarter)
                held = rows.get((service_id, year, quarter), [])
                if deadline is not None:
                    found.append(one_quarter(year, quarter, deadline, held))
        facts[service_id] = tuple(found)
    return facts


def pi_rows_as_at(
    session: Session, service_ids: Sequence[str], as_at: date
) -> dict[tuple[str, str, str], list[PiReturn]]:
    """The quarter rows of the services received on or before the as-at date (quarantined aside)."""
    rows: dict[tuple[str, str, str], list[PiReturn]] = defaultdict(list)
    for row in pi_rows_of(session, service_ids):
        if received_by(row.received_at, as_at):
            rows[(row.service_id, row.year, row.quarter)].append(row)
    return rows


def status_then(row: PiReturn | QafReturn) -> str:
    """The status a return had while it was current: a superseded one was returned if it had reasons."""
    if row.status == "superseded":
        return "returned" if row.reasons else "accepted"
    return row.status


def taken_order(row: PiReturn | QafReturn) -> tuple[datetime, str, int]:
    """The order returns were taken in: received time, then file name (then row ID)."""
    return as_utc(row.received_at), row.source_file, row.id or 0


def latest_current(rows: Iterable[PiReturn]) -> PiReturn | None:
    """The current return among rows received by a date: the latest one that is not a duplicate."""
    candidates = [row for row in rows if row.status in CURRENT_STATUSES]
    return max(candidates, key=taken_order, default=None)


def one_quarter(
    year: str, quarter: str, deadline: date, rows: Sequence[PiReturn], extended: bool = False
) -> QuarterFacts:
    """A quarter's facts from its rows received by the as-at date."""
    if not rows:
        return QuarterFacts(year, quarter, deadline, extended=extended)
    first = min(london_date(as_utc(row.received_at)) for row in rows)
    current = latest_current(rows)
    if current is None:
        return QuarterFacts(year, quarter, deadline, first_received=first, extended=extended)
    return QuarterFacts(
        year=year,
        quarter=quarter,
        deadline=deadline,
        first_received=first,
        status=status_then(current),
        status_since=london_date(as_utc(current.received_at)),
        breaches=frozenset(pi for pi in current.breaches.split(";") if pi),
        planned_departures=_count(current.values.get("planned_departures")),
        unplanned_departures=_count(current.values.get("unplanned_departures")),
        extended=extended,
    )


def _count(value: Any) -> float | None:
    """A stored count, or None when blank or unreadable."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


# QAF -------------------------------------------------------------------------------------------


def covers(service_ids: str, service_id: str) -> bool:
    """Whether a QAF key (service IDs joined by ``;``) covers the service."""
    return service_id in service_ids.split(";")


def gather_qaf_facts(
    session: Session, services: Sequence[tuple[str, str]], meetings: Iterable[Meeting], as_at: date
) -> dict[str, QafFacts]:
    """Each service's QAF facts as at the date; ``services`` are (service ID, provider ID) pairs.

    The due date of the year's QAF comes from the provider's meetings
    (``tasks.contract_management.meetings.qaf_timetable``); received is the first QAF of the year
    from the provider that covers the service (any status).
    """
    year = year_of(as_at)
    providers = sorted({provider_id for _, provider_id in services})
    returns = qaf_rows_as_at(session, providers, as_at)
    agreed = agreed_grades_as_at(session, providers, as_at)
    plans = improvement_plans(session, providers)
    timetable = qaf_timetable(meetings, as_at)
    facts = {}
    for service_id, provider_id in services:
        covering = [r for r in returns if r.provider_id == provider_id and covers(r.service_ids, service_id)]
        received = min((london_date(as_utc(r.received_at)) for r in covering if r.year == year), default=None)
        mine = [g for g in agreed if g.provider_id == provider_id and covers(g.service_ids, service_id)]
        grades_year, grades = latest_grades(covering, mine, plans, year)
        entry = timetable.get(provider_id)
        facts[service_id] = QafFacts(year, entry.due if entry else None, received, grades_year, grades)
    return facts


def qaf_rows_as_at(session: Session, providers: Sequence[str], as_at: date) -> list[QafReturn]:
    """The providers' QAF rows received on or before the as-at date (quarantined aside)."""
    return [row for row in qaf_rows_of(session, providers) if received_by(row.received_at, as_at)]


def agreed_grades_as_at(session: Session, providers: Sequence[str], as_at: date | None) -> list[AgreedGrade]:
    """The providers' agreed grades, agreed on or before the as-at date (every one when it is None)."""
    statement = select(AgreedGrade).where(col(AgreedGrade.provider_id).in_(list(providers)))
    if as_at is not None:
        statement = statement.where(col(AgreedGrade.date_agreed) <= as_at)
    return list(session.execute(statement).scalars())


def improvement_plans(
    session: Session, providers: Sequence[str]
) -> dict[tuple[str, str, str], ImprovementPlan]:
    """The providers' improvement plans by (provider, year, services)."""
    statement = select(ImprovementPlan).where(col(ImprovementPlan.provider_id).in_(list(providers)))
    return {(p.provider_id, p.year, p.service_ids): p for p in session.execute(statement).scalars()}


def accepted_currents(returns: Iterable[QafReturn]) -> list[QafReturn]:
    """The current QAF of each (year, services), among those given, where it is accepted."""
    latest: dict[tuple[str, str], QafReturn] = {}
    for row in returns:
        key = (row.year, row.service_ids)
        held = latest.get(key)
        if row.status in CURRENT_STATUSES and (held is None or taken_order(row) > taken_order(held)):
            latest[key] = row
    return [row for row in latest.values() if status_then(row) == "accepted"]


def latest_grades(
    returns: Sequence[QafReturn],
    agreed: Sequence[AgreedGrade],
    plans: Mapping[tuple[str, str, str], ImprovementPlan],
    year: str,
) -> tuple[str, tuple[Grade, ...]]:
    """The grades of the latest year (up to ``year``) with agreed grades or an accepted QAF.

    Each objective's agreed grade, or failing that its claimed grade on the
    accepted QAF (provisional). D grades carry their improvement plan.
    """
    currents = [row for row in accepted_currents(returns) if row.year <= year]
    years = {g.year for g in agreed if g.year <= year} | {row.year for row in currents}
    if not years:
        return "", ()
    latest = max(years)
    grades = [_agreed(g, plans) for g in agreed if g.year == latest]
    agreed_keys = {(g.service_ids, g.objective) for g in agreed if g.year == latest}
    for row in (r for r in currents if r.year == latest):
        for objective in OBJECTIVES:
            claimed = getattr(row, objective.claimed_column)
            if claimed in GRADES and (row.service_ids, objective.code) not in agreed_keys:
                grades.append(Grade(objective.code, claimed))
    return latest, tuple(sorted(grades, key=lambda g: (g.objective, g.grade)))


def _agreed(grade: AgreedGrade, plans: Mapping[tuple[str, str, str], ImprovementPlan]) -> Grade:
    plan = plans.get((grade.provider_id, grade.year, grade.service_ids)) if grade.grade == "D" else None
    return Grade(
        objective=grade.objective,
        grade=grade.grade,
        agreed_on=grade.date_agreed,
        plan_received=plan.plan_received if plan else None,
        revalidated_on=plan.revalidated_on if plan else None,
        improved=plan.improved if plan else None,
    )


# Actions ---------------------------------------------------------------------------------------


def gather_actions(
    session: Session, services: Sequence[tuple[str, str]]
) -> dict[str, tuple[ActionFacts, ...]]:
    """Each service's actions: its own and its provider's actions for every service (blank service ID)."""
    by_provider = by_provider_id(actions_of_providers(session, sorted({p for _, p in services})))
    return {
        service_id: action_facts(by_provider.get(provider_id, []), service_id)
        for service_id, provider_id in services
    }


def actions_of_providers(session: Session, providers: Sequence[str]) -> list[Action]:
    """The providers' actions."""
    return list(session.execute(select(Action).where(col(Action.provider_id).in_(list(providers)))).scalars())


def action_facts(actions: Iterable[Action], service_id: str) -> tuple[ActionFacts, ...]:
    """A service's own actions, and its provider's actions for every service (blank service ID)."""
    return tuple(
        ActionFacts(a.description, a.owner, a.target_date, a.closed_on)
        for a in actions
        if a.service_id in (service_id, "")
    )


def by_provider_id(rows: Iterable[ByProvider]) -> dict[str, list[ByProvider]]:
    """Rows grouped by their provider ID, in the order given."""
    grouped: dict[str, list[ByProvider]] = defaultdict(list)
    for row in rows:
        grouped[row.provider_id].append(row)
    return grouped
