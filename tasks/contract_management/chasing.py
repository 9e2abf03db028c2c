"""Chasing returns as at a date: non-returns, returns waiting for resubmission, and reminders.

- A **non-return** is a quarter whose deadline (after any agreed extension) is
  before the as-at date with nothing received for it by then
  (``pi-rules.md``); it stays outstanding until something arrives.
- A return **waits for resubmission** when the quarter's current return on the
  as-at date is ``returned``.
- **Reminders** go to providers whose returns fall due in the next 14 days
  (from the as-at date to 14 days after it, both included) and have not been
  received: PI quarters by their deadline, and the year's QAF by its due date
  (six weeks before the provider's meeting). One text file per provider is
  written to the outbox, ``reminders/<as-at date>/<provider>.txt``; writing
  the same date again writes the same files.
- **Late reminders** chase a non-return: the day after its deadline (after any
  agreed extension) and every 7 days after while nothing arrives, one file
  per quarter and chase, ``reminders/late/<provider>/<service>_<year>_<quarter>_<chase day>.txt``,
  naming the service, quarter, deadline and days late as on the chase day. A
  run on any day writes the chases due by then that are not yet written, so a
  missed night still sends each chase once.

Non-returns and resubmissions cover the quarters of the as-at date's year
and the year before (its Q4 falls due in the new year), unless years are
given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord
from foundation.programme import Programme
from tasks.calendar.dates import year_of, year_start
from tasks.calendar.deadlines import load_deadlines
from tasks.common.safe_paths import file_name, inside
from tasks.contract_management.clauses import QuarterFacts
from tasks.contract_management.facts import contract_years, gather_qaf_facts, quarter_facts
from tasks.contract_management.meetings import load_meetings
from tasks.outbox.templating import render
from tasks.outbox.writer import write_atomically

REMINDER_DAYS = 14
CHASE_EVERY_DAYS = 7


@dataclass(frozen=True)
class ServiceQuarter:
    """One quarter of a service, with the provider holding its contract that year."""

    service_id: str
    provider_id: str
    facts: QuarterFacts


@dataclass(frozen=True)
class NonReturn:
    """A quarter past its deadline with nothing received."""

    service_id: str
    provider_id: str
    year: str
    quarter: str
    deadline: date
    days_past: int


@dataclass(frozen=True)
class AwaitingResubmission:
    """A quarter whose current return is ``returned``."""

    service_id: str
    provider_id: str
    year: str
    quarter: str
    returned_on: date
    days_waiting: int


@dataclass(frozen=True)
class DueReturn:
    """A return falling due soon and not yet received."""

    provider_id: str
    service_id: str
    what: str  # "PI return Q2 2025/26" or "QAF 2025/26"
    due: date


def chasing_years(as_at: date) -> tuple[str, str]:
    """The as-at date's year and the year before it."""
    year = year_of(as_at)
    before = year_start(year) - 1
    return f"{before}/{(before + 1) % 100:02d}", year


# Pure selections ---------------------------------------------------------------------------------


def non_returns_of(quarters: Iterable[ServiceQuarter], as_at: date) -> list[NonReturn]:
    """Quarters past their deadline with nothing received by the as-at date, oldest deadline first."""
    found = [
        NonReturn(q.service_id, q.provider_id, q.facts.year, q.facts.quarter, q.facts.deadline, days)
        for q in quarters
        if q.facts.first_received is None and (days := (as_at - q.facts.deadline).days) > 0
    ]
    return sorted(found, key=lambda n: (n.deadline, n.service_id, n.quarter))


def awaiting_of(quarters: Iterable[ServiceQuarter], as_at: date) -> list[AwaitingResubmission]:
    """Quarters whose current return was ``returned`` on the as-at date, longest waiting first."""
    found = [
        AwaitingResubmission(
            q.service_id, q.provider_id, q.facts.year, q.facts.quarter, since, (as_at - since).days
        )
        for q in quarters
        if q.facts.status == "returned" and (since := q.facts.status_since) is not None
    ]
    return sorted(found, key=lambda a: (a.returned_on, a.service_id, a.year, a.quarter))


def pi_due_within(quarters: Iterable[ServiceQuarter], as_at: date, days: int) -> list[DueReturn]:
    """PI quarters due from the as-at date to ``days`` after it with nothing received."""
    last = as_at + timedelta(days=days)
    return [
        DueReturn(q.provider_id, q.service_id, f"PI return {q.facts.name}", q.facts.deadline)
        for q in quarters
        if q.facts.first_received is None and as_at <= q.facts.deadline <= last
    ]


def chase_days(deadline: date, as_at: date) -> list[date]:
    """The days a non-return is chased by the as-at date: the day after its deadline, then every 7 days."""
    first = deadline + timedelta(days=1)
    if as_at < first:
        return []
    return [
        first + timedelta(days=CHASE_EVERY_DAYS * k)
        for k in range((as_at - first).days // CHASE_EVERY_DAYS + 1)
    ]


# From the database -----------------------------------------------------------------------------


def service_quarters(
    session: Session, programme: Programme, as_at: date, years: Sequence[str]
) -> list[ServiceQuarter]:
    """Every quarter of the years for each service with a contract in them, as at the date."""
    contracts = list(
        session.execute(select(ContractRecord).where(col(ContractRecord.year).in_(list(years)))).scalars()
    )
    provider_of = {(c.service_id, c.year): c.provider_id for c in contracts}
    facts = quarter_facts(session, load_deadlines(session, programme), contract_years(contracts), as_at)
    return [
        ServiceQuarter(service_id, provider_of[(service_id, q.year)], q)
        for service_id in sorted(facts)
        for q in facts[service_id]
    ]


def non_returns(
    session: Session, programme: Programme, as_at: date, years: Sequence[str] | None = None
) -> list[NonReturn]:
    """Non-returns as at the date (extensions taken into account)."""
    return non_returns_of(service_quarters(session, programme, as_at, years or chasing_years(as_at)), as_at)


def awaiting_resubmission(
    session: Session, programme: Programme, as_at: date, years: Sequence[str] | None = None
) -> list[AwaitingResubmission]:
    """Returns waiting for resubmission as at the date."""
    return awaiting_of(service_quarters(session, programme, as_at, years or chasing_years(as_at)), as_at)


def returns_due(
    session: Session, programme: Programme, as_at: date, days: int = REMINDER_DAYS
) -> list[DueReturn]:
    """PI returns and QAFs falling due in the next ``days`` days, not yet received."""
    quarters = service_quarters(session, programme, as_at, chasing_years(as_at))
    due = pi_due_within(quarters, as_at, days) + qaf_due_within(session, as_at, days)
    return sorted(due, key=lambda d: (d.provider_id, d.due, d.what, d.service_id))


def qaf_due_within(session: Session, as_at: date, days: int) -> list[DueReturn]:
    """Services whose year's QAF falls due in the next ``days`` days and has not been received."""
    year = year_of(as_at)
    contracts = session.execute(select(ContractRecord).where(col(ContractRecord.year) == year)).scalars()
    services = sorted((c.service_id, c.provider_id) for c in contracts)
    meetings = load_meetings(session)
    qafs = gather_qaf_facts(session, services, meetings, as_at)
    last = as_at + timedelta(days=days)
    return [
        DueReturn(provider_id, service_id, f"QAF {year}", due)
        for service_id, provider_id in services
        if (due := qafs[service_id].due) is not None
        and qafs[service_id].received_on is None
        and as_at <= due <= last
    ]


# Reminders to the outbox -----------------------------------------------------------------------


def reminder_path(provider_id: str, as_at: date) -> str:
    """Where a provider's reminder goes, relative to the outbox."""
    return f"reminders/{as_at.isoformat()}/{file_name(provider_id, '.txt', 'unknown-provider')}"


def render_reminder(
    provider_id: str, provider_name: str, items: Sequence[DueReturn], as_at: date, days: int
) -> str:
    """The text of one provider's reminder."""
    return render(
        "reminder.txt.j2",
        provider_id=provider_id,
        provider_name=provider_name,
        as_at=as_at.strftime("%d/%m/%Y"),
        days=days,
        items=[
            {"what": i.what, "service_id": i.service_id, "due": i.due.strftime("%d/%m/%Y")} for i in items
        ],
    )


def write_reminders(
    session: Session, programme: Programme, outbox: Path, as_at: date, days: int = REMINDER_DAYS
) -> list[Path]:
    """Write one reminder per provider with returns due in the next ``days`` days; the files written."""
    by_provider: dict[str, list[DueReturn]] = defaultdict(list)
    for item in returns_due(session, programme, as_at, days):
        by_provider[item.provider_id].append(item)
    names = _provider_names(session)
    written = []
    for provider_id, items in sorted(by_provider.items()):
        path = inside(outbox, reminder_path(provider_id, as_at), depth=3)
        write_atomically(path, render_reminder(provider_id, names.get(provider_id, ""), items, as_at, days))
        written.append(path)
    return written


def late_reminder_path(item: NonReturn, chase_day: date) -> str:
    """Where one chase of a non-return goes, relative to the outbox."""
    stem = f"{item.service_id}_{item.year.replace('/', '-')}_{item.quarter}_{chase_day.isoformat()}"
    who = file_name(item.provider_id, "", "unknown-provider")
    return f"reminders/late/{who}/{file_name(stem, '.txt')}"


def render_late_reminder(item: NonReturn, provider_name: str, chase_day: date) -> str:
    """The text of one chase, as on its chase day."""
    return render(
        "late_reminder.txt.j2",
        provider_id=item.provider_id,
        provider_name=provider_name,
        service_id=item.service_id,
        period=f"{item.quarter} {item.year}",
        deadline=item.deadline.strftime("%d/%m/%Y"),
        chase_day=chase_day.strftime("%d/%m/%Y"),
        days_late=(chase_day - item.deadline).days,
    )


def write_late_reminders(session: Session, programme: Programme, outbox: Path, as_at: date) -> list[Path]:
    """Write each chase of a non-return due by the as-at date and not yet in the outbox; the files written."""
    names = _provider_names(session)
    written = []
    for item in non_returns(session, programme, as_at):
        for chase_day in chase_days(item.deadline, as_at):
            path = inside(outbox, late_reminder_path(item, chase_day), depth=4)
            if not path.exists():
                write_atomically(path, render_late_reminder(item, names.get(item.provider_id, ""), chase_day))
                written.append(path)
    return written


def _provider_names(session: Session) -> dict[str, str]:
    """Each provider's name, from its latest contract record."""
    statement = select(ContractRecord).order_by(col(ContractRecord.year))
    return {c.provider_id: c.provider_name for c in session.execute(statement).scalars()}
