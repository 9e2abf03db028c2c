"""Each service's PI quarters as the database stood on an as-at date: the input of the quarterly reports.

As in ``tasks.contract_management.facts``: only rows received (Europe/London date) on or
before the as-at date count; a quarter's current return is the latest of
them that is not a duplicate, with the status it had then. A quarter is
listed for every service with a contract record for its year.

The PI values are the ones stored with the return (computed at ingestion by
``tasks.pi.rules``); the numerators and denominators for pooling
(``tasks.pi.pooled``) are kept only where the service's own value exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord, PiReturn
from foundation.programme import PI_NAMES, Programme
from reports.periods import QuarterKey
from tasks.calendar.dates import as_utc, days_in_quarter, london_date, year_of
from tasks.contract_management.facts import FactSource, latest_current, status_then
from tasks.pi.pooled import Fraction, pi_fractions
from tasks.pi.rules import applicable_pis

PI_COLUMN = {pi: pi.lower() for pi in PI_NAMES}


@dataclass(frozen=True)
class ServiceQuarter:
    """One service's quarter as at a date: its contract, deadline, receipt and current return."""

    service_id: str
    provider_id: str
    provider_name: str
    service_name: str
    client_group: str
    service_type: str
    contracted_units: int
    hours_per_week: float
    year: str
    quarter: str
    applicable: tuple[str, ...]
    deadline: date | None
    extension: date | None = None
    extension_reason: str = ""  # the reason for lateness recorded with the extension
    first_received: date | None = None
    status: str | None = None  # accepted or returned; None when nothing was received
    received_on: date | None = None  # the current return's received date
    pis: Mapping[str, float | None] = field(default_factory=dict)  # "KPI1" -> value
    fractions: Mapping[str, Fraction | None] = field(default_factory=dict)
    breaches: tuple[str, ...] = ()
    comments: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)  # the return's provider figures
    source_file: str = ""  # the current return's file, to trace a figure back to it
    received_at: datetime | None = None  # the current return's received time (UTC)

    @property
    def key(self) -> QuarterKey:
        """(year, quarter)."""
        return self.year, self.quarter

    @property
    def accepted(self) -> bool:
        """Whether the current return is accepted."""
        return self.status == "accepted"

    def outcome(self, as_at: date) -> str:
        """``on time``, ``late``, ``non-return`` or ``not yet due`` as at the date (``pi-rules.md``)."""
        if self.first_received is not None:
            late = self.deadline is not None and self.first_received > self.deadline
            return "late" if late else "on time"
        if self.deadline is not None and self.deadline < as_at:
            return "non-return"
        return "not yet due"

    def state(self, as_at: date) -> str:
        """``outcome``, but ``extended to 2025-11-07`` while an agreed extension runs and nothing came.

        Never "not received" or "non-return" before the extended deadline has passed.
        """
        if self.first_received is None and self.extension is not None and as_at <= self.extension:
            return f"extended to {self.extension.isoformat()}"
        return self.outcome(as_at)

    def days_late(self, as_at: date) -> int | None:
        """Days after the deadline the first file came (or, for a non-return, days past it now)."""
        if self.deadline is None:
            return None
        day = self.first_received or as_at
        return (day - self.deadline).days if day > self.deadline else None


def contracts_of(session: Session, years: Sequence[str]) -> list[ContractRecord]:
    """The contract records of the years, by year and service ID."""
    statement = (
        select(ContractRecord)
        .where(col(ContractRecord.year).in_(sorted(set(years))))
        .order_by(col(ContractRecord.year), col(ContractRecord.service_id))
    )
    return list(session.execute(statement).scalars())


def gather_service_quarters(
    session: Session,
    programme: Programme,
    as_at: date,
    quarters: Sequence[QuarterKey],
    provider_id: str | None = None,
    source: FactSource | None = None,
) -> list[ServiceQuarter]:
    """Every service's quarters among ``quarters`` as at the date, by quarter then service ID.

    ``source``: the facts already loaded for the as-at date's year (``reports.gather.risk_state``),
    whose rows, deadlines and PIs are used rather than read again.
    """
    contracts = contracts_of(session, [year for year, _ in quarters])
    if provider_id is not None:
        contracts = [c for c in contracts if c.provider_id == provider_id]
    up_to = max([year_of(as_at), *(year for year, _ in quarters)])
    if source is None or year_of(as_at) < up_to:
        source = FactSource.load(session, programme, up_to)
    found = []
    for year, quarter in quarters:
        for contract in (c for c in contracts if c.year == year):
            key = (contract.service_id, year, quarter)
            found.append(
                service_quarter(
                    contract,
                    quarter,
                    source.deadline_of(*key),
                    source.deadlines.extensions.get(key),
                    source.pi_rows(*key, as_at),
                    source.deadlines.reasons.get(key, ""),
                    source.pis_of(contract),
                )
            )
    return found


def service_quarter(
    contract: ContractRecord,
    quarter: str,
    deadline: date | None,
    extension: date | None,
    rows: Sequence[PiReturn],
    extension_reason: str = "",
    applicable: tuple[str, ...] | None = None,
) -> ServiceQuarter:
    """One quarter from its contract and its rows received by the as-at date (``applicable``: its PIs)."""
    base: dict[str, Any] = {
        "service_id": contract.service_id,
        "provider_id": contract.provider_id,
        "provider_name": contract.provider_name,
        "service_name": contract.service_name,
        "client_group": contract.client_group,
        "service_type": contract.service_type,
        "contracted_units": contract.contracted_units,
        "hours_per_week": contract.frontline_hours_per_week,
        "year": contract.year,
        "quarter": quarter,
        "applicable": applicable_pis(contract) if applicable is None else applicable,
        "deadline": deadline,
        "extension": extension,
        "extension_reason": extension_reason,
    }
    if not rows:
        return ServiceQuarter(**base)
    first = min(london_date(as_utc(row.received_at)) for row in rows)
    current = latest_current(rows)
    if current is None:
        return ServiceQuarter(**base, first_received=first)
    pis = {pi: getattr(current, PI_COLUMN[pi]) for pi in PI_NAMES}
    fractions = pi_fractions(current.values, contract, days_in_quarter(contract.year, quarter))
    return ServiceQuarter(
        **base,
        first_received=first,
        status=status_then(current),
        received_on=london_date(as_utc(current.received_at)),
        pis=pis,
        fractions={pi: fractions[pi] if pis[pi] is not None else None for pi in PI_NAMES},
        breaches=tuple(pi for pi in current.breaches.split(";") if pi),
        comments=current.comments,
        values=dict(current.values),
        source_file=current.source_file,
        received_at=as_utc(current.received_at),
    )


def triggers_by_year(programme: Programme, years: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each year's triggers (years missing from the programme file have none)."""
    return {
        year: {pi: programme.year(year).triggers.of(pi) for pi in PI_NAMES}
        for year in sorted(set(years))
        if programme.has_year(year)
    }
