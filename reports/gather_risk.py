"""The risk inputs of the reports, and the Contracts Update.

The services judged as at a date, since when each level holds, and the
changes of level the data made in a month.

As ``reports.gather`` says: levels are judged afresh and their history derived
from the data, never read from the ``risk_change`` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import event, select
from sqlmodel import Session, col

from data_contracts.risk_tables import CLAUSES, GREEN, HIGH, LOW, PRIORITY
from data_contracts.tables import ContractRecord
from foundation.programme import Programme
from reports.contracts_update import ContractsUpdateInput
from reports.history_workers import judged_with_history
from reports.inputs import ClauseRow, RiskChangeRow, ServiceRiskRow
from reports.model import row_from
from reports.periods import first_of_month, last_of_month
from tasks.calendar.dates import year_of
from tasks.contract_management.facts import FactSource, ServiceRisk
from tasks.contract_management.history import History


def latest_contracts(session: Session, up_to_year: str) -> dict[str, ContractRecord]:
    """Each service's latest contract record up to the year."""
    statement = (
        select(ContractRecord)
        .where(col(ContractRecord.year) <= up_to_year)
        .order_by(col(ContractRecord.year))
    )
    return {c.service_id: c for c in session.execute(statement).scalars()}


RISK_STATE = "spmon.reports.risk_state"  # the session's cache of risk_state, cleared by every flush


def risk_state(
    session: Session, programme: Programme, as_at: date, risks: Sequence[ServiceRisk] | None = None
) -> tuple[FactSource, list[ServiceRisk], History]:
    """One load of the facts, the services judged as at the date, and their history up to it.

    Kept on the session (``session.info``) for the reports of one run, which
    all ask for the same date: the Contracts Update and the meeting schedule
    derive it once. Anything the session writes (a flush) forgets it.
    """
    cache = session.info.get(RISK_STATE)
    if cache is None:
        cache = session.info[RISK_STATE] = {}
        event.listen(session, "after_flush", _forget_risk_state)
    key = (as_at, programme.model_dump_json())
    if key not in cache:
        source = FactSource.load(session, programme, year_of(as_at))
        cache[key] = (source, *judged_with_history(source, as_at))
    source, judged, history = cache[key]
    return source, judged if risks is None else list(risks), history


def _forget_risk_state(session: Session, _context: object) -> None:
    session.info.get(RISK_STATE, {}).clear()


def risk_rows(
    contracts: dict[str, ContractRecord], risks: Sequence[ServiceRisk], history: History
) -> tuple[list[ClauseRow], list[ServiceRiskRow]]:
    """Every clause of the judged services and each service's overall risk, with since when they hold."""
    clauses, services = [], []
    for risk in sorted(risks, key=lambda r: r.service_id):
        name = contracts[risk.service_id].service_name if risk.service_id in contracts else ""
        for result in risk.results:
            clauses.append(
                ClauseRow(
                    service_id=risk.service_id,
                    provider_id=risk.provider_id,
                    clause=result.clause,
                    level=result.level,
                    detail=result.detail,
                    since=history.since(risk.service_id, result.clause, result.level),
                    service_name=name,
                )
            )
        services.append(
            ServiceRiskRow(
                service_id=risk.service_id,
                provider_id=risk.provider_id,
                service_name=name,
                overall=risk.overall,
                priority=risk.priority,
                high_clauses=tuple(r.clause for r in risk.results if r.level == HIGH),
                since=history.since(risk.service_id, PRIORITY, risk.priority),
            )
        )
    return clauses, services


def gather_contracts_update(
    session: Session,
    programme: Programme,
    month: date,
    as_at: date,
    risks: Sequence[ServiceRisk] | None = None,
) -> ContractsUpdateInput:
    """Clauses and services as at the date, and the changes of level the data made in the month up to it.

    ``risks``: the services judged as at the date, when the caller has them already.
    """
    _, risks, history = risk_state(session, programme, as_at, risks)
    contracts = latest_contracts(session, year_of(as_at))
    clauses, services = risk_rows(contracts, risks, history)
    first, last = first_of_month(month), min(last_of_month(month), as_at)
    changes = tuple(
        row_from(RiskChangeRow, c)
        for c in history.between(first, last)
        if c.subject in (*CLAUSES, PRIORITY)
        and not (c.from_level is None and c.to_level in (LOW, GREEN))  # first judged, and fine: no news
    )
    return ContractsUpdateInput(month, as_at, tuple(clauses), changes, tuple(services))
