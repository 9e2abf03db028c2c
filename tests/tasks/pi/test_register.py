"""The PI return register's number and time formats (interface.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from data_contracts.tables import PiReturn
from tasks.pi.register import first_received, two_decimals, utc_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (100.0, "100.00"),
        (0.0, "0.00"),
        (0, "0.00"),
        (75.0, "75.00"),
        (2.675, "2.68"),  # binary 2.67499999... would round down
        (0.125, "0.13"),
        (0.135, "0.14"),
        (1.005, "1.01"),
        (14.125, "14.13"),
        (89.996, "90.00"),
        (89.99499, "89.99"),
        (100 * 900 / 910, "98.90"),
        (100 * 2 / 3, "66.67"),
        (-2.675, "-2.68"),  # half away from zero, also below zero
        (-0.125, "-0.13"),
        (123456.789, "123456.79"),
    ],
)
def test_two_decimals_half_away_from_zero(value: float | None, text: str) -> None:
    assert two_decimals(value) == text


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (datetime(2025, 10, 14, 9, 30, tzinfo=UTC), "2025-10-14T09:30:00Z"),
        (datetime(2025, 10, 14, 9, 30), "2025-10-14T09:30:00Z"),  # naive is UTC (SQLite)
        (datetime(2025, 7, 22, 0, 30, tzinfo=timezone(timedelta(hours=1))), "2025-07-21T23:30:00Z"),
        (datetime(2025, 10, 14, 9, 30, 5, 999999, tzinfo=UTC), "2025-10-14T09:30:05Z"),
    ],
)
def test_utc_text(instant: datetime, text: str) -> None:
    assert utc_text(instant) == text


def pi_return(quarter: str, status: str, at: datetime, service_id: str = "SV00123") -> PiReturn:
    return PiReturn(
        file_id=1, source_file="a.xlsx", received_at=at, service_id=service_id, year="2025/26",
        quarter=quarter, status=status,
    )  # fmt: skip


def test_first_received_belongs_to_the_quarter_quarantined_and_file_level_rows_aside() -> None:
    early, middle, late = (datetime(2025, 7, day, 9, 0, tzinfo=UTC) for day in (1, 10, 30))
    rows = [
        pi_return("Q1", "superseded", middle),
        pi_return("Q1", "accepted", late),
        pi_return("Q1", "quarantined", early),
        pi_return("", "returned", early),
        pi_return("Q2", "duplicate", datetime(2025, 10, 1, 9, 0)),  # naive: UTC
        pi_return("Q1", "accepted", late, service_id="SV00200"),
    ]
    assert first_received(rows) == {
        ("SV00123", "2025/26", "Q1"): middle,
        ("SV00123", "2025/26", "Q2"): datetime(2025, 10, 1, 9, 0, tzinfo=UTC),
        ("SV00200", "2025/26", "Q1"): late,
    }
