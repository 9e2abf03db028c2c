"""The quarterly reports' inputs: every service's trend quarters, and one pack input per provider."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
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
from tasks.contract_management.clauses import QafFacts
from tasks.contract_management.fact_rows import actions_of_providers, by_provider_id
from tasks.contract_management.facts import gather_qaf_facts
from tasks.contract_management.meetings import load_meetings


def gather_quarterly(
    session: Session, programme: Programme, year: str, quarter: str, as_at: date
) -> QuarterlyInput:
    """Every service's quarters of the eight quarters ending with this one, as at the date."""
    keys = quarters_ending(year, quarter, TREND_QUARTERS)
    source, _, _ = risk_state(session, programme, as_at)  # one load, shared with the packs
    quarters = gather_service_quarters(session, programme, as_at, keys, source=source)
    return QuarterlyInput(
        year=year,
        quarter=quarter,
        as_at=as_at,
        quarters=tuple(quarters),
        triggers=triggers_by_year(programme, [y for y, _ in keys]),
    )


def gather_packs(session: Session, programme: Programme, data: QuarterlyInput) -> list[PackInput]:
    """One pack input per provider with a contract in the report's year, holding only its own data.

    Everything is gathered once for every provider and then sliced by provider
    (one pass each), never scanned again per provider.
    """
    keys = tuple(quarters_ending(data.year, data.quarter, PACK_QUARTERS))
    current = [q for q in data.quarters if q.key == (data.year, data.quarter)]
    services_of: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for q in current:
        services_of[q.provider_id].append(q.service_id)
        names.setdefault(q.provider_id, q.provider_name)
    providers = sorted(services_of)
    _, risks, history = risk_state(session, programme, data.as_at)
    clauses, services = risk_rows(latest_contracts(session, year_of(data.as_at)), risks, history)
    pairs = [(s, p) for p in providers for s in sorted(set(services_of[p]))]
    facts = gather_qaf_facts(session, pairs, load_meetings(session), data.as_at)
    quarters = by_provider_id(q for q in data.quarters if q.key in keys)
    risk_rows_of, clause_rows_of = by_provider_id(services), by_provider_id(clauses)
    actions = by_provider_id(actions_of_providers(session, providers))
    packs = []
    for provider_id in providers:
        mine = sorted(set(services_of[provider_id]))
        ids = set(mine)
        packs.append(
            PackInput(
                provider_id=provider_id,
                provider_name=names[provider_id],
                year=data.year,
                quarter=data.quarter,
                as_at=data.as_at,
                quarter_keys=keys,
                quarters=tuple(q for q in quarters.get(provider_id, []) if q.service_id in ids),
                triggers=data.triggers,
                risks=tuple(s for s in risk_rows_of.get(provider_id, []) if s.service_id in ids),
                clauses=tuple(c for c in clause_rows_of.get(provider_id, []) if c.service_id in ids),
                grades=tuple(_grade_rows(facts, mine)),
                actions=tuple(
                    ActionRow(a.provider_id, a.service_id, a.description, a.owner, a.target_date, a.closed_on)
                    for a in actions.get(provider_id, [])
                    if a.service_id in ("", *mine)
                ),
            )
        )
    return packs


def _grade_rows(facts: Mapping[str, QafFacts], service_ids: Sequence[str]) -> Iterator[GradeRow]:
    for service_id in service_ids:
        year = facts[service_id].grades_year
        for g in facts[service_id].grades:
            yield GradeRow(
                service_id,
                year,
                g.objective,
                g.grade,
                g.agreed_on,
                g.plan_received,
                g.revalidated_on,
                g.improved,
            )
