"""Each service's facts, gathered from the database as it stood on an as-at date, and their risk.

"As it stood" means: PI and QAF files received (Europe/London date) on or
before the as-at date; the current return of a quarter is the latest of
them, with the status it had then (a return since superseded was
``returned`` when it carried reasons, else ``accepted``); agreed grades
agreed, plans received and re-validations made on or before it; actions
closed on or before it. Meetings and actions have no recorded date of entry:
all held are used. Evaluating the same date twice on the same data gives the
same answer.

Everything is read once into a ``FactSource``, from which any day's facts are
cut in memory (the risk history asks for many days); ``evaluate_all`` and
the history use the same cut, so they cannot disagree.

The services judged are those with a contract record in the as-at date's
monitoring year; their quarters are those of every year they have a contract
record for, up to that year, where a deadline is known (the year is in the
programme file, or an extension is agreed).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.pi_workbook import QUARTERS
from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan, QafReturn
from data_contracts.qaf_workbook import GRADES, OBJECTIVES
from data_contracts.risk_tables import Action, Meeting
from data_contracts.tables import ContractRecord, PiReturn
from foundation.programme import Programme
from tasks.calendar.dates import as_utc, london_date, year_of
from tasks.calendar.deadlines import Deadlines, load_deadlines
from tasks.contract_management.clauses import (
    ActionFacts,
    ClauseResult,
    Grade,
    QafFacts,
    QuarterFacts,
    ServiceFacts,
    evaluate_service,
    overall,
    priority,
)
from tasks.contract_management.meetings import QafTimetable, load_meetings, qaf_timetable
from tasks.pi.rules import applicable_pis

CURRENT_STATUSES = ("accepted", "returned", "superseded")  # duplicates never become current


@dataclass(frozen=True)
class ServiceRisk:
    """A service's clause results as at a date, with its overall risk and priority."""

    service_id: str
    provider_id: str
    results: tuple[ClauseResult, ...]

    @property
    def overall(self) -> str:
        """The highest level of its clauses."""
        return overall(self.results)

    @property
    def priority(self) -> str:
        """RED, AMBER or GREEN."""
        return priority(self.overall)


def evaluate_all(session: Session, programme: Programme, as_at: date) -> list[ServiceRisk]:
    """Every service with a contract in the as-at date's year, judged as at that date, by service ID."""
    return FactSource.load(session, programme, year_of(as_at)).evaluate_all(as_at)


def gather_facts(session: Session, programme: Programme, as_at: date) -> list[ServiceFacts]:
    """The facts of every service with a contract in the as-at date's year, by service ID."""
    source = FactSource.load(session, programme, year_of(as_at))
    return [source.facts(contract, as_at) for contract in source.contracts_in(year_of(as_at))]


def judge(facts: ServiceFacts, as_at: date) -> ServiceRisk:
    """One service's risk from its facts."""
    return ServiceRisk(facts.service_id, facts.provider_id, tuple(evaluate_service(facts, as_at)))


Dated = tuple[date, Any]  # (Europe/London received date, row)


class FactSource:
    """Everything the clauses read, loaded once, from which any day's facts are cut in memory.

    ``facts(contract, day)`` gives exactly what the database held as at that
    day (rows received, grades agreed on or before it); the risk history
    (``tasks.contract_management.history``) cuts many days from one load, so a past
    period's history costs no further query.
    """

    def __init__(
        self,
        programme: Programme,
        contracts: Sequence[ContractRecord],
        deadlines: Deadlines,
        pi_rows: Iterable[PiReturn],
        qaf_rows: Iterable[QafReturn],
        agreed: Iterable[AgreedGrade],
        plans: Mapping[tuple[str, str, str], ImprovementPlan],
        meetings: Iterable[Meeting],
        actions: Iterable[Action],
    ) -> None:
        self.programme = programme
        self.deadlines = deadlines
        self.by_year: dict[str, list[ContractRecord]] = defaultdict(list)
        for contract in sorted(contracts, key=lambda c: (c.year, c.service_id)):
            self.by_year[contract.year].append(contract)
        self.years = contract_years(contracts)
        self.contract: dict[tuple[str, str], ContractRecord] = {(c.service_id, c.year): c for c in contracts}
        self.pi: dict[tuple[str, str, str], list[Dated]] = defaultdict(list)
        for row in pi_rows:
            self.pi[(row.service_id, row.year, row.quarter)].append(
                (london_date(as_utc(row.received_at)), row)
            )
        self.received: dict[str, list[date]] = defaultdict(list)  # every PI received day of a service
        for (service_id, _, _), dated in self.pi.items():
            self.received[service_id].extend(day for day, _ in dated)
        self.qaf: dict[str, list[Dated]] = defaultdict(list)
        for qaf in qaf_rows:
            self.qaf[qaf.provider_id].append((london_date(as_utc(qaf.received_at)), qaf))
        self.agreed: dict[str, list[AgreedGrade]] = defaultdict(list)
        for grade in agreed:
            self.agreed[grade.provider_id].append(grade)
        self.plans = plans
        self.meetings: dict[str, list[Meeting]] = defaultdict(list)
        for meeting in meetings:
            self.meetings[meeting.provider_id].append(meeting)
        self.actions: dict[str, list[Action]] = defaultdict(list)
        for action in actions:
            self.actions[action.provider_id].append(action)
        self._quarters: dict[tuple[str, str], list[tuple[str, str, date]]] = {}
        self._deadlines: dict[tuple[str, str], date | None] = {}
        self._plans_by_provider: dict[str, list[tuple[tuple[str, str, str], ImprovementPlan]]] | None = None
        self._pis: dict[tuple[str, str], tuple[str, ...]] = {}
        self._memo_quarters: dict[tuple[str, str, int], tuple[QuarterFacts, ...]] = {}
        self._sorted_received: dict[str, list[date]] = {}
        self._memo_actions: dict[tuple[str, str], tuple[ActionFacts, ...]] = {}
        self._memo_qaf: dict[tuple[Any, ...], QafFacts] = {}
        self._memo_timetable: dict[tuple[str, str, int], QafTimetable | None] = {}
        self._memo_days: dict[str, tuple[list[date], list[date], list[date]]] = {}

    @classmethod
    def load(cls, session: Session, programme: Programme, up_to_year: str) -> FactSource:
        """Every record the clauses read for the services with a contract up to the year."""
        contracts = contracts_up_to(session, up_to_year)
        service_ids = sorted({c.service_id for c in contracts})
        providers = sorted({c.provider_id for c in contracts})
        return cls(
            programme,
            contracts,
            load_deadlines(session, programme),
            _pi_rows(session, service_ids),
            _qaf_rows(session, providers),
            agreed_grades_as_at(session, providers, None),
            improvement_plans(session, providers),
            load_meetings(session),
            session.execute(select(Action).where(col(Action.provider_id).in_(providers))).scalars(),
        )

    def contracts_in(self, year: str) -> list[ContractRecord]:
        """The contract records of a year, by service ID."""
        return self.by_year.get(year, [])

    def evaluate_all(self, as_at: date) -> list[ServiceRisk]:
        """Every service with a contract in the as-at date's year, judged as at that date."""
        return [judge(self.facts(contract, as_at), as_at) for contract in self.contracts_in(year_of(as_at))]

    def quarter_keys(self, service_id: str, year: str) -> list[tuple[str, str, date]]:
        """(year, quarter, deadline) of every quarter of the service's contract years up to ``year``."""
        key = (service_id, year)
        if key not in self._quarters:
            found = []
            for held in self.years.get(service_id, []):
                if held > year:
                    continue
                for quarter in QUARTERS:
                    deadline = self.deadline_of(service_id, held, quarter)
                    if deadline is not None:
                        found.append((held, quarter, deadline))
            self._quarters[key] = found
        return self._quarters[key]

    def deadline_of(self, service_id: str, year: str, quarter: str) -> date | None:
        """``Deadlines.of``, the programme's deadline of a quarter worked out once for every service."""
        extension = self.deadlines.extensions.get((service_id, year, quarter))
        if extension is not None:
            return extension
        if (year, quarter) not in self._deadlines:
            self._deadlines[(year, quarter)] = self.deadlines.of("", year, quarter)
        return self._deadlines[(year, quarter)]

    def plans_of(self, provider_id: str) -> list[tuple[tuple[str, str, str], ImprovementPlan]]:
        """The provider's improvement plans, keyed by (provider, year, services)."""
        if self._plans_by_provider is None:
            self._plans_by_provider = defaultdict(list)
            for key, plan in self.plans.items():
                self._plans_by_provider[key[0]].append((key, plan))
        return self._plans_by_provider.get(provider_id, [])

    def pis_of(self, contract: ContractRecord) -> tuple[str, ...]:
        """The PIs that apply to the service in the contract's year."""
        key = (contract.service_id, contract.year)
        if key not in self._pis:
            self._pis[key] = applicable_pis(contract)
        return self._pis[key]

    def facts(self, contract: ContractRecord, as_at: date) -> ServiceFacts:
        """The service's facts as at the day (``contract``: its record of the day's year).

        The parts are kept by what they depend on (how many of the service's
        returns had arrived by the day, and so on), so the many days the
        history asks for cost little more than the days on which something arrived.
        """
        service_id, provider_id = contract.service_id, contract.provider_id
        year = year_of(as_at)
        return ServiceFacts(
            service_id=service_id,
            provider_id=provider_id,
            pis=self.pis_of(contract),
            quarters=self.quarters(service_id, year, as_at),
            qaf=self.qaf_facts(service_id, provider_id, as_at),
            actions=self.actions_of(service_id, provider_id),
        )

    def quarters(self, service_id: str, year: str, as_at: date) -> tuple[QuarterFacts, ...]:
        """Every quarter of the service's years up to ``year``, as at the day."""
        arrived = bisect_right(self._received_days(service_id), as_at)
        key = (service_id, year, arrived)
        if key not in self._memo_quarters:
            self._memo_quarters[key] = tuple(
                one_quarter(
                    held,
                    quarter,
                    deadline,
                    self.pi_rows(service_id, held, quarter, as_at),
                    (service_id, held, quarter) in self.deadlines.extensions,
                )
                for held, quarter, deadline in self.quarter_keys(service_id, year)
            )
        return self._memo_quarters[key]

    def _received_days(self, service_id: str) -> list[date]:
        if service_id not in self._sorted_received:
            self._sorted_received[service_id] = sorted(self.received.get(service_id, []))
        return self._sorted_received[service_id]

    def actions_of(self, service_id: str, provider_id: str) -> tuple[ActionFacts, ...]:
        """The service's own actions and its provider's actions for every service."""
        key = (service_id, provider_id)
        if key not in self._memo_actions:
            self._memo_actions[key] = tuple(
                ActionFacts(a.description, a.owner, a.target_date, a.closed_on)
                for a in self.actions.get(provider_id, [])
                if a.service_id in (service_id, "")
            )
        return self._memo_actions[key]

    def pi_rows(self, service_id: str, year: str, quarter: str, as_at: date) -> list[PiReturn]:
        """The quarter's rows received on or before the day."""
        return [row for day, row in self.pi.get((service_id, year, quarter), []) if day <= as_at]

    def qaf_facts(self, service_id: str, provider_id: str, as_at: date) -> QafFacts:
        """The service's QAF facts as at the day."""
        year = year_of(as_at)
        days = self._provider_days(provider_id)
        key = (service_id, provider_id, year, *(bisect_right(held, as_at) for held in days))
        if key in self._memo_qaf:
            return self._memo_qaf[key]
        covering = [
            (day, row)
            for day, row in self.qaf.get(provider_id, [])
            if day <= as_at and covers(row.service_ids, service_id)
        ]
        received = min((day for day, row in covering if row.year == year), default=None)
        mine = [
            g
            for g in self.agreed.get(provider_id, [])
            if g.date_agreed <= as_at and covers(g.service_ids, service_id)
        ]
        grades_year, grades = latest_grades([row for _, row in covering], mine, self.plans, year)
        entry = self.timetable(provider_id, as_at)
        facts = QafFacts(year, entry.due if entry else None, received, grades_year, grades)
        self._memo_qaf[key] = facts
        return facts

    def timetable(self, provider_id: str, as_at: date) -> QafTimetable | None:
        """The provider's QAF timetable as at the day (it changes only on 1 April and on re-plan days)."""
        key = (provider_id, year_of(as_at), bisect_right(self._provider_days(provider_id)[2], as_at))
        if key not in self._memo_timetable:
            self._memo_timetable[key] = qaf_timetable(self.meetings.get(provider_id, []), as_at).get(
                provider_id
            )
        return self._memo_timetable[key]

    def _provider_days(self, provider_id: str) -> tuple[list[date], list[date], list[date]]:
        """The days a provider's QAF facts can change: QAFs received, grades agreed, re-plans recorded."""
        if provider_id not in self._memo_days:
            self._memo_days[provider_id] = (
                sorted(day for day, _ in self.qaf.get(provider_id, [])),
                sorted(g.date_agreed for g in self.agreed.get(provider_id, [])),
                sorted(m.replanned_on for m in self.meetings.get(provider_id, []) if m.replanned_on),
            )
        return self._memo_days[provider_id]


def _pi_rows(session: Session, service_ids: Sequence[str]) -> list[PiReturn]:
    if not service_ids:
        return []
    statement = select(PiReturn).where(
        col(PiReturn.service_id).in_(list(service_ids)),
        col(PiReturn.quarter) != "",
        col(PiReturn.status) != "quarantined",
    )
    return list(session.execute(statement).scalars())


def _qaf_rows(session: Session, providers: Sequence[str]) -> list[QafReturn]:
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
    if not service_ids:
        return {}
    statement = select(PiReturn).where(
        col(PiReturn.service_id).in_(list(service_ids)),
        col(PiReturn.quarter) != "",
        col(PiReturn.status) != "quarantined",
    )
    rows: dict[tuple[str, str, str], list[PiReturn]] = defaultdict(list)
    for row in session.execute(statement).scalars():
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
    statement = select(QafReturn).where(
        col(QafReturn.provider_id).in_(list(providers)), col(QafReturn.status) != "quarantined"
    )
    return [row for row in session.execute(statement).scalars() if received_by(row.received_at, as_at)]


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
    providers = sorted({provider_id for _, provider_id in services})
    statement = select(Action).where(col(Action.provider_id).in_(providers))
    by_provider: dict[str, list[Action]] = defaultdict(list)
    for action in session.execute(statement).scalars():
        by_provider[action.provider_id].append(action)
    return {
        service_id: tuple(
            ActionFacts(a.description, a.owner, a.target_date, a.closed_on)
            for a in by_provider.get(provider_id, [])
            if a.service_id in (service_id, "")
        )
        for service_id, provider_id in services
    }
