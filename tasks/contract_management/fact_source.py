"""Everything the clauses read, loaded from the database once, and any day's risk cut from it in memory.

``FactSource.load`` reads the records of every service with a contract up
to a year (and every feedback record, ``tasks.feedback.facts``);
``facts(contract, day)`` gives exactly what the database held on that day,
so the risk history (``tasks.contract_management.history``) cuts many days
from one load. ``ServiceRisk`` is a service's judged clauses.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from data_contracts.pi_workbook import QUARTERS
from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan, QafReturn
from data_contracts.risk_tables import Action, Meeting
from data_contracts.tables import ContractRecord, PiReturn
from foundation.programme import Programme
from tasks.calendar.dates import as_utc, london_date, year_of, year_start
from tasks.calendar.deadlines import Deadlines, load_deadlines
from tasks.contract_management.clauses import (
    ActionFacts,
    ClauseResult,
    QafFacts,
    QuarterFacts,
    ServiceFacts,
    evaluate_service,
    overall,
    priority,
)
from tasks.contract_management.fact_rows import (
    action_facts,
    actions_of_providers,
    agreed_grades_as_at,
    by_provider_id,
    contract_years,
    contracts_up_to,
    covers,
    improvement_plans,
    latest_grades,
    one_quarter,
    pi_rows_of,
    qaf_rows_of,
)
from tasks.contract_management.meetings import QafTimetable, load_meetings, qaf_timetable
from tasks.feedback.consultations import held_day
from tasks.feedback.cycle import ServiceRef
from tasks.feedback.facts import (
    NO_RECORDS,
    FeedbackRecords,
    ServiceFeedback,
    feedback_programme,
    received_on,
    service_feedback,
)
from tasks.feedback.facts import candidate_days as feedback_candidate_days
from tasks.pi.rules import applicable_pis


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
        feedback: FeedbackRecords = NO_RECORDS,
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
        self.agreed: dict[str, list[AgreedGrade]] = by_provider_id(agreed)
        self.plans = plans
        self.meetings: dict[str, list[Meeting]] = by_provider_id(meetings)
        self.actions: dict[str, list[Action]] = by_provider_id(actions)
        self.feedback = feedback.by_service()
        first_year = min((y for held in self.years.values() for y in held), default=None)
        self.fb = feedback_programme(programme, date(year_start(first_year), 4, 1) if first_year else None)
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
        self._memo_feedback: dict[tuple[Any, ...], ServiceFeedback] = {}
        self._memo_quarter: dict[tuple[str, str, str, date, int], QuarterFacts] = {}
        self._memo_feedback_days: dict[str, tuple[list[date], list[date], list[date]]] = {}

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
            pi_rows_of(session, service_ids),
            qaf_rows_of(session, providers),
            agreed_grades_as_at(session, providers, None),
            improvement_plans(session, providers),
            load_meetings(session),
            actions_of_providers(session, providers),
            FeedbackRecords.load(session),
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
            feedback=self.feedback_facts(contract, as_at),
        )

    def feedback_facts(self, contract: ContractRecord, as_at: date) -> ServiceFeedback:
        """The service's feedback facts as at the day.

        Kept by what they depend on: the day's monitoring year (the review
        years) and how many questionnaires had been issued, replies received
        and consultations held by the day.
        """
        service_id = contract.service_id
        days = self._feedback_change_days(service_id)
        counts = (bisect_right(held, as_at) for held in days)
        key = (service_id, contract.provider_id, contract.service_type, year_of(as_at), *counts)
        if key not in self._memo_feedback:
            service = ServiceRef(service_id, contract.provider_id, contract.service_type)
            records = self.feedback.get(service_id, NO_RECORDS)
            self._memo_feedback[key] = service_feedback(service, records, self.fb, as_at)
        return self._memo_feedback[key]

    def _feedback_change_days(self, service_id: str) -> tuple[list[date], list[date], list[date]]:
        """The days a service's feedback facts can change: issued, received, consultations held."""
        if service_id not in self._memo_feedback_days:
            records = self.feedback.get(service_id, NO_RECORDS)
            self._memo_feedback_days[service_id] = (
                sorted(issue.issued_on for issue in records.issues),
                sorted(received_on(reply) for reply in records.replies),
                sorted(day for day in map(held_day, records.consultations) if day is not None),
            )
        return self._memo_feedback_days[service_id]

    def feedback_days(self, service_id: str) -> dict[str, set[date]]:
        """The days each feedback clause of the service can change level (for the risk history)."""
        return feedback_candidate_days(self.feedback.get(service_id, NO_RECORDS), service_id, self.fb)

    def quarters(self, service_id: str, year: str, as_at: date) -> tuple[QuarterFacts, ...]:
        """Every quarter of the service's years up to ``year``, as at the day."""
        arrived = bisect_right(self._received_days(service_id), as_at)
        key = (service_id, year, arrived)
        if key not in self._memo_quarters:
            self._memo_quarters[key] = tuple(
                self.one_quarter_as_at(service_id, held, quarter, deadline, as_at)
                for held, quarter, deadline in self.quarter_keys(service_id, year)
            )
        return self._memo_quarters[key]

    def one_quarter_as_at(
        self, service_id: str, year: str, quarter: str, deadline: date, as_at: date
    ) -> QuarterFacts:
        """One quarter's facts as at the day, kept by the rows of the quarter received by then."""
        rows = self.pi_rows(service_id, year, quarter, as_at)
        key = (service_id, year, quarter, deadline, len(rows))
        if key not in self._memo_quarter:
            extended = (service_id, year, quarter) in self.deadlines.extensions
            self._memo_quarter[key] = one_quarter(year, quarter, deadline, rows, extended)
        return self._memo_quarter[key]

    def _received_days(self, service_id: str) -> list[date]:
        if service_id not in self._sorted_received:
            self._sorted_received[service_id] = sorted(self.received.get(service_id, []))
        return self._sorted_received[service_id]

    def actions_of(self, service_id: str, provider_id: str) -> tuple[ActionFacts, ...]:
        """The service's own actions and its provider's actions for every service."""
        key = (service_id, provider_id)
        if key not in self._memo_actions:
            self._memo_actions[key] = action_facts(self.actions.get(provider_id, []), service_id)
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
