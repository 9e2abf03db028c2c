"""The quarterly reports' inputs: every service's trend quarters, and one pack input per provider."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from foundation.programme import Programme
from reports.gather_risk import latest_contracts, risk_rows, risk_state
from reports.inputs import ActionRow, GradeRow
from reports.packs import PACK_QUARTERS, PackInput
from reports.periods import quarters_ending
from reports.pi_data import gather_service_quarters, triggers_by_year
from reports.quarterly_input import TREND_QUARTERS, QuarterlyInput
from tasks.calendar.dates import year_of
from tasks.contract_management.fact_rows import actions_of_providers
from tasks.contract_management.facts import gather_qaf_facts
from tasks.contract_management.meetings import load_meetings


def gather_quarterly(
    session: Session, programme: Programme, year: str, quarter: str, as_at: date
) -> QuarterlyInput:
    """Every service's quarters of the eight quarters ending with this one, as at the date."""
    keys = quarters_ending(year, quarter, TREND_QUARTERS)
    quarters = gather_service_quarters(session, programme, as_at, keys)
    return QuarterlyInput(
        year=year,
        quarter=quarter,
        as_at=as_at,
        quarters=tuple(quarters),
        triggers=triggers_by_year(programme, [y for y, _ in keys]),
    )


def gather_packs(session: Session, programme: Programme, data: QuarterlyInput) -> list[PackInput]:
    """One pack input per provider with a contract in the report's year, holding only its own data."""
    keys = tuple(quarters_ending(data.year, data.quarter, PACK_QUARTERS))
    current = [q for q in data.quarters if q.key == (data.year, data.quarter)]
    providers = sorted({q.provider_id for q in current})
    _, risks, history = risk_state(session, programme, data.as_at)
    clauses, services = risk_rows(latest_contracts(session, year_of(data.as_at)), risks, history)
    actions = actions_of_providers(session, providers)
    meetings = load_meetings(session)
    packs = []
    for provider_id in providers:
        mine = sorted({q.service_id for q in current if q.provider_id == provider_id})
        ids = set(mine)
        facts = gather_qaf_facts(session, [(s, provider_id) for s in mine], meetings, data.as_at)
        packs.append(
            PackInput(
                provider_id=provider_id,
                provider_name=next(q.provider_name for q in current if q.provider_id == provider_id),
                year=data.year,
                quarter=data.quarter,
                as_at=data.as_at,
                quarter_keys=keys,
                quarters=tuple(
                    q
                    for q in data.quarters
                    if q.key in keys and q.provider_id == provider_id and q.service_id in ids
                ),
                triggers=data.triggers,
                risks=tuple(s for s in services if s.service_id in ids and s.provider_id == provider_id),
                clauses=tuple(c for c in clauses if c.service_id in ids and c.provider_id == provider_id),
                grades=tuple(
                    GradeRow(
                        service_id=service_id,
                        year=facts[service_id].grades_year,
                        objective=g.objective,
                        grade=g.grade,
                        agreed_on=g.agreed_on,
                        plan_received=g.plan_received,
                        revalidated_on=g.revalidated_on,
                        improved=g.improved,
                    )
                    for service_id in mine
                    for g in facts[service_id].grades
                ),
                actions=tuple(
                    ActionRow(a.provider_id, a.service_id, a.description, a.owner, a.target_date, a.closed_on)
                    for a in actions
                    if a.provider_id == provider_id and a.service_id in ("", *mine)
                ),
            )
        )
    return packs
