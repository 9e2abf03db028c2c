"""The feedback cycles (``feedback.md``): every 24 months, from the programme file's ``[feedback]``.

A service is due when nothing was done for it (a questionnaire issued, a
consultation held) in the 24 months before the as-at date: one exactly 24
months before still counts, so it is due from the day after the day 24 months
after the last one (or, with none ever, after the cycle start); in a year the
service is on the procurement review list it is not due for consultation, and
after it from the next year's start (:func:`consultation_due_on`).

The cycle start is ``[feedback] cycle_start`` of the programme
file, read by ``foundation.programme`` like every other key (a TOML date; a
quoted value is bad input naming the key); by default the start (1 April) of
the earliest year in it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord
from foundation.errors import BadInput
from foundation.programme import Programme, load_programme, parse_programme
from tasks.calendar.dates import year_of, year_start

CYCLE_MONTHS = 24


@dataclass(frozen=True)
class FeedbackProgramme:
    """The programme file and the feedback cycle start."""

    programme: Programme
    cycle_start: date


@dataclass(frozen=True)
class ServiceRef:
    """A service under contract on the as-at date."""

    service_id: str
    provider_id: str
    service_type: str


@lru_cache(maxsize=65536)
def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_cycle_start(programme: Programme) -> date:
    """1 April of the earliest year in the programme file."""
    if not programme.years:
        raise BadInput("programme file: no [years] to start the feedback cycle from")
    return date(min(year_start(year) for year in programme.years), 4, 1)


def feedback_programme(programme: Programme, first_year_start: date | None = None) -> FeedbackProgramme:
    """The programme file with its feedback cycle start (``[feedback] cycle_start``, or the default).

    With no years in the programme file the cycle starts on ``first_year_start``
    (the risk evaluation gives the first contract year's 1 April).
    """
    start = programme.feedback.cycle_start
    if start is None:
        start = default_cycle_start(programme) if programme.years else first_year_start or date.min
    return FeedbackProgramme(programme, start)


def _with_cycle_start(programme: Programme) -> FeedbackProgramme:
    """The programme file with its cycle start; with neither ``cycle_start`` nor years, bad input."""
    return FeedbackProgramme(programme, programme.feedback.cycle_start or default_cycle_start(programme))


def parse_feedback_programme(text: str, source: str = "programme file") -> FeedbackProgramme:
    """The programme file's text, read by ``parse_programme`` (errors name the key), with its cycle start."""
    return _with_cycle_start(parse_programme(text, source))


def load_feedback_programme(path: Path) -> FeedbackProgramme:
    """Read the programme file (errors as ``load_programme``'s) with its feedback cycle start."""
    return _with_cycle_start(load_programme(path))


def due_on(last: date | None, cycle_start: date) -> date:
    """The last day of the cycle: 24 months after the last time, or after the cycle start.

    An issue (or consultation) exactly 24 months before the as-at date still
    counts, so a service is due (and overdue) from the day after this date.
    """
    return add_months(last or cycle_start, CYCLE_MONTHS)


def years_after_review(programme: Programme, service_id: str) -> list[date]:
    """The start (1 April) of the year after each year the service is on the procurement review list."""
    reviewed = (year for year, kept in programme.years.items() if service_id in kept.procurement_review)
    return sorted(date(year_start(year) + 1, 4, 1) for year in reviewed)


def consultation_due_on(
    programme: Programme, service_id: str, last: date | None, cycle_start: date, as_at: date
) -> date | None:
    """When the service is due for consultation as at a date; ``None`` while the as-at is in a review year.

    Consultation is postponed to the next year in a procurement review year:
    the due date (:func:`due_on`) falling on or before the end of a review year
    that has begun by the as-at date moves to the start of the following year
    (again for each later review year it then falls in).
    """
    if on_review_list(programme, service_id, as_at):
        return None
    due = due_on(last, cycle_start)
    for next_start in years_after_review(programme, service_id):
        review_start = date(next_start.year - 1, 4, 1)
        if review_start <= as_at and due < next_start:
            due = next_start
    return due


def last_on_or_before(days: Iterable[date | None], as_at: date) -> date | None:
    """The latest of the days up to the as-at date."""
    return max((day for day in days if day is not None and day <= as_at), default=None)


def on_review_list(programme: Programme, service_id: str, day: date) -> bool:
    """Whether the service is on the procurement review list of the year the day falls in."""
    year = year_of(day)
    return programme.has_year(year) and service_id in programme.year(year).procurement_review


def current_services(session: Session, as_at: date) -> list[ServiceRef]:
    """The services under contract in the as-at's year (else the latest year before it with any)."""
    records = list(session.execute(select(ContractRecord)).scalars())
    years = sorted({r.year for r in records if r.year <= year_of(as_at)})
    if not years:
        return []
    chosen = [r for r in records if r.year == years[-1]]
    return sorted(
        (ServiceRef(r.service_id, r.provider_id, r.service_type) for r in chosen), key=lambda s: s.service_id
    )


def service_types(session: Session) -> dict[str, str]:
    """Each service's type in its latest contract record."""
    statement = select(ContractRecord).order_by(col(ContractRecord.year))
    return {r.service_id: r.service_type for r in session.execute(statement).scalars()}
