"""Monitoring years, quarters, working days and deadlines (``pi-rules.md``).

The year runs April to March: Q1 April-June, Q2 July-September,
Q3 October-December, Q4 January-March. A year is written ``2025/26``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
QUARTER_FIRST_MONTH = {"Q1": 4, "Q2": 7, "Q3": 10, "Q4": 1}
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def is_year(text: str) -> bool:
    """Whether ``text`` is a well-formed monitoring year such as ``2025/26``."""
    match = _YEAR.match(text)
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))  # type: ignore[union-attr]


def year_start(year: str) -> int:
    """The calendar year in which the monitoring year starts: ``2025/26`` -> 2025."""
    if not is_year(year):
        raise ValueError(f"not a monitoring year: {year!r}")
    return int(year[:4])


def year_of(day: date) -> str:
    """The monitoring year a date falls in."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def quarter_period(year: str, quarter: str) -> tuple[date, date]:
    """First and last day of a quarter."""
    first_month = QUARTER_FIRST_MONTH[quarter]
    calendar_year = year_start(year) + (1 if quarter == "Q4" else 0)
    start = date(calendar_year, first_month, 1)
    next_start = date(calendar_year + (first_month + 3 > 12), (first_month + 3 - 1) % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


def days_in_quarter(year: str, quarter: str) -> int:
    """Days in the quarter from the calendar (Q4 has 91 in a leap year)."""
    start, end = quarter_period(year, quarter)
    return (end - start).days + 1


@lru_cache(maxsize=64)
def _bank_holidays(calendar_year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=calendar_year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday of England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def quarter_deadline(year: str, quarter: str, working_days: int) -> date:
    """The quarter's deadline: that many working days after its last day."""
    return add_working_days(quarter_period(year, quarter)[1], working_days)


def london_date(instant: datetime) -> date:
    """The date of an instant in Europe/London."""
    return instant.astimezone(LONDON).date()


def london_today() -> date:
    """Today's date in Europe/London."""
    return datetime.now(UTC).astimezone(LONDON).date()


def parse_day(text: str) -> date:
    """An ISO date (``2025-10-14``); anything else is a ValueError that says what was given."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date like 2025-10-14") from None


def as_utc(instant: datetime) -> datetime:
    """An instant in UTC; naive datetimes (as SQLite returns them) are taken as UTC."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)
