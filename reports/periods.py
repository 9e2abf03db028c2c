"""Report periods: names of folders and labels, default as-at dates, runs of quarters."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from data_contracts.pi_workbook import QUARTERS
from foundation.programme import Programme
from tasks.calendar.dates import quarter_deadline, year_start

QuarterKey = tuple[str, str]  # (year, quarter): ("2025/26", "Q2")


def first_of_month(month: date) -> date:
    """The first day of the month ``month`` falls in."""
    return month.replace(day=1)


def last_of_month(month: date) -> date:
    """The last day of the month ``month`` falls in."""
    return first_of_month(month) + relativedelta(months=1) - timedelta(days=1)


def month_period(month: date) -> str:
    """``2025-10``: the folder of a monthly report."""
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: date) -> str:
    """``October 2025``."""
    return first_of_month(month).strftime("%B %Y")


def quarter_period_name(year: str, quarter: str) -> str:
    """``2025-26-Q2``: the folder of a quarterly report."""
    return f"{year.replace('/', '-')}-{quarter}"


def quarter_label(year: str, quarter: str) -> str:
    """``Q2 2025/26``."""
    return f"{quarter} {year}"


def year_text(start: int) -> str:
    """2025 -> ``2025/26``."""
    return f"{start}/{(start + 1) % 100:02d}"


def quarter_index(year: str, quarter: str) -> int:
    """A running number: consecutive quarters differ by one."""
    return year_start(year) * 4 + QUARTERS.index(quarter)


def quarter_of_index(index: int) -> QuarterKey:
    """The inverse of :func:`quarter_index`."""
    return year_text(index // 4), QUARTERS[index % 4]


def quarters_ending(year: str, quarter: str, count: int) -> list[QuarterKey]:
    """The ``count`` quarters ending with this one, oldest first."""
    last = quarter_index(year, quarter)
    return [quarter_of_index(index) for index in range(last - count + 1, last + 1)]


def year_to_date(year: str, quarter: str) -> list[QuarterKey]:
    """Q1 of the year to this quarter."""
    return [(year, q) for q in QUARTERS[: QUARTERS.index(quarter) + 1]]


def default_month_as_at(month: date) -> date:
    """A monthly report is as at the month's last day."""
    return last_of_month(month)


def default_quarter_as_at(programme: Programme, year: str, quarter: str) -> date:
    """A quarterly report is as at the quarter's deadline plus the year's report delay (default 7 days)."""
    settings = programme.year(year)
    return quarter_deadline(year, quarter, settings.deadline_working_days) + timedelta(
        days=settings.report_delay_days
    )
