"""The feedback cycles (``feedback.md``): every 24 months, from the programme file's ``[feedback]``.

A service is due when nothing was done for it (a questionnaire issued, a
consultation held) in the 24 months before the as-at date: it is due on the
day 24 months after the last one, or, with none ever, 24 months after the
cycle start. The cycle start is ``[feedback] cycle_start`` of the programme
file; by default the start (1 April) of the earliest year in it.

``foundation.programme.Programme`` refuses keys it does not know, so
:func:`load_feedback_programme` reads the ``[feedback]`` section itself and
validates the rest as the programme file.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord
from foundation.errors import BadInput
from foundation.programme import Programme, load_programme, parse_programme
from tasks.calendar.dates import year_of, year_start
from tasks.common.cell_values import UnreadableValue, read_date

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


def cycle_start_from(section: Mapping[str, Any], programme: Programme, source: str) -> date:
    """``[feedback] cycle_start`` (a TOML date or text date), or the default; a bad value names the key."""
    unknown = sorted(set(section) - {"cycle_start"})
    if unknown:
        raise BadInput(f"{source}: feedback.{unknown[0]}: not a key of [feedback]")
    value = section.get("cycle_start")
    if value is None:
        return default_cycle_start(programme)
    try:
        day = read_date(value)
    except UnreadableValue as error:
        raise BadInput(f"{source}: feedback.cycle_start: {error}") from None
    if day is None:
        raise BadInput(f"{source}: feedback.cycle_start: is blank")
    return day


def parse_feedback_programme(text: str, source: str = "programme file") -> FeedbackProgramme:
    """The programme file's text: its ``[feedback]`` section apart, the rest as ``parse_programme``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{source}: not valid TOML: {error}") from error
    section = data.pop("feedback", {})
    if not isinstance(section, dict):
        raise BadInput(f"{source}: feedback: must be a table [feedback]")
    programme = parse_programme(_without_feedback(text) if section else text, source)
    return FeedbackProgramme(programme, cycle_start_from(section, programme, source))


def _without_feedback(text: str) -> str:
    """The text without its ``[feedback]`` table (lines from its header to the next header)."""
    kept, skipping = [], False
    for line in text.splitlines():
        header = line.strip().startswith("[")
        if header:
            skipping = line.strip().replace(" ", "") == "[feedback]"
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def load_feedback_programme(path: Path) -> FeedbackProgramme:
    """Read the programme file (errors as ``load_programme``'s) with its feedback cycle start."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        load_programme(path)  # raises the usual message naming the file
        raise
    return parse_feedback_programme(text, str(path))


def due_on(last: date | None, cycle_start: date) -> date:
    """The day a service is next due: 24 months after the last time, or after the cycle start."""
    return add_months(last or cycle_start, CYCLE_MONTHS)


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
