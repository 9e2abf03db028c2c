"""Monitoring years, quarters, working days and deadlines (pi-rules.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tasks.calendar.dates import (
    add_working_days,
    as_utc,
    days_in_quarter,
    is_working_day,
    is_year,
    london_date,
    quarter_deadline,
    quarter_period,
    year_of,
    year_start,
)


@pytest.mark.parametrize(
    ("year", "quarter", "days"),
    [
        ("2025/26", "Q1", 91),
        ("2025/26", "Q2", 92),
        ("2025/26", "Q3", 92),
        ("2025/26", "Q4", 90),
        ("2023/24", "Q4", 91),
        ("2027/28", "Q4", 91),
        ("2099/00", "Q4", 90),
        ("1999/00", "Q4", 91),
    ],
)
def test_days_in_quarter(year: str, quarter: str, days: int) -> None:
    assert days_in_quarter(year, quarter) == days


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        ("Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("Q4", date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_quarter_period(quarter: str, start: date, end: date) -> None:
    assert quarter_period("2025/26", quarter) == (start, end)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2025/26", True),
        ("2099/00", True),
        ("2025/27", False),
        ("2025-26", False),
        ("25/26", False),
        ("", False),
        (" 2025/26", False),
    ],
)
def test_is_year(text: str, ok: bool) -> None:
    assert is_year(text) is ok


def test_year_start_rejects_malformed_years() -> None:
    assert year_start("2025/26") == 2025
    with pytest.raises(ValueError, match="not a monitoring year"):
        year_start("2025-26")


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 4, 1), "2025/26"), (date(2026, 3, 31), "2025/26"), (date(2025, 3, 31), "2024/25")],
)
def test_year_of(day: date, year: str) -> None:
    assert year_of(day) == year


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 10, 14), True),  # Tuesday
        (date(2025, 10, 18), False),  # Saturday
        (date(2025, 10, 19), False),  # Sunday
        (date(2025, 12, 25), False),  # Christmas Day
        (date(2025, 12, 26), False),  # Boxing Day
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2024, 3, 29), False),  # Good Friday
        (date(2024, 4, 1), False),  # Easter Monday
        (date(2025, 5, 5), False),  # Early May bank holiday
        (date(2025, 8, 25), False),  # Summer bank holiday (England and Wales)
        (date(2025, 8, 4), True),  # Scotland's summer holiday is not ours
        (date(2025, 3, 17), True),  # St Patrick's Day is Northern Ireland's only
    ],
)
def test_working_days_skip_weekends_and_bank_holidays_of_england_and_wales(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_add_working_days() -> None:
    assert add_working_days(date(2025, 10, 17), 1) == date(2025, 10, 20)  # Friday -> Monday
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)  # over Christmas
    assert add_working_days(date(2025, 10, 14), 0) == date(2025, 10, 14)


@pytest.mark.parametrize(
    ("year", "quarter", "deadline"),
    [
        ("2023/24", "Q4", date(2024, 4, 22)),  # Easter Monday 1 April 2024 skipped
        ("2025/26", "Q1", date(2025, 7, 21)),
        ("2025/26", "Q2", date(2025, 10, 21)),
        ("2025/26", "Q3", date(2026, 1, 22)),  # across New Year's Day
        ("2024/25", "Q3", date(2025, 1, 22)),
        ("2025/26", "Q4", date(2026, 4, 23)),  # Good Friday 3 April, Easter Monday 6 April 2026
    ],
)
def test_quarter_deadline_15_working_days(year: str, quarter: str, deadline: date) -> None:
    assert quarter_deadline(year, quarter, 15) == deadline


def test_quarter_deadline_other_working_days() -> None:
    assert quarter_deadline("2025/26", "Q1", 10) == date(2025, 7, 14)
    assert quarter_deadline("2025/26", "Q1", 0) == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (datetime(2025, 7, 21, 22, 59, tzinfo=UTC), date(2025, 7, 21)),  # 23:59 BST
        (datetime(2025, 7, 21, 23, 30, tzinfo=UTC), date(2025, 7, 22)),  # 00:30 BST the next day
        (datetime(2026, 1, 22, 23, 30, tzinfo=UTC), date(2026, 1, 22)),  # GMT in winter
        (datetime(2025, 10, 14, 1, 0, tzinfo=timezone(timedelta(hours=5))), date(2025, 10, 13)),
    ],
)
def test_london_date(instant: datetime, day: date) -> None:
    assert london_date(instant) == day


def test_as_utc_takes_naive_times_as_utc() -> None:
    assert as_utc(datetime(2025, 10, 14, 9, 30)) == datetime(2025, 10, 14, 9, 30, tzinfo=UTC)
    aware = datetime(2025, 10, 14, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert as_utc(aware) == datetime(2025, 10, 14, 9, 30, tzinfo=UTC)
