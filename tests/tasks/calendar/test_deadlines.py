"""Deadlines with agreed extensions, and late returns (pi-rules.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from data_contracts.tables import Extension
from foundation.programme import parse_programme
from tasks.calendar.deadlines import Deadlines, load_deadlines
from tests.factories.pi_pages import PROGRAMME_TOML, programme
from tests.factories.sessions import sqlite_engine

SV = "SV00123"


@pytest.fixture
def deadlines() -> Deadlines:
    return Deadlines(
        programme(), {(SV, "2025/26", "Q2"): date(2025, 11, 7), (SV, "2025/26", "Q3"): date(2026, 1, 5)}
    )


def test_deadline_is_working_days_after_quarter_end(deadlines: Deadlines) -> None:
    assert deadlines.of(SV, "2025/26", "Q1") == date(2025, 7, 21)
    assert deadlines.of("SV00200", "2025/26", "Q3") == date(2026, 1, 22)
    assert deadlines.of(SV, "2023/24", "Q4") == date(2024, 4, 22)


def test_deadline_uses_the_years_working_days() -> None:
    text = PROGRAMME_TOML.replace("deadline_working_days = 15", "deadline_working_days = 10")
    assert Deadlines(parse_programme(text), {}).of(SV, "2025/26", "Q1") == date(2025, 7, 14)


def test_extension_replaces_the_deadline_even_when_earlier(deadlines: Deadlines) -> None:
    assert deadlines.of(SV, "2025/26", "Q2") == date(2025, 11, 7)
    assert deadlines.of(SV, "2025/26", "Q3") == date(2026, 1, 5)
    assert deadlines.of("SV00200", "2025/26", "Q2") == date(2025, 10, 21)  # another service


@pytest.mark.parametrize(
    ("year", "quarter"), [("2024/25", "Q1"), ("2025-26", "Q1"), ("2025/26", "Q5"), ("", "")]
)
def test_no_deadline_for_an_unknown_year_or_quarter(deadlines: Deadlines, year: str, quarter: str) -> None:
    assert deadlines.of(SV, year, quarter) is None
    assert deadlines.is_late(datetime(2030, 1, 1, tzinfo=UTC), SV, year, quarter) is None


@pytest.mark.parametrize(
    ("received", "late"),
    [
        (datetime(2025, 7, 21, 8, 0, tzinfo=UTC), False),
        (datetime(2025, 7, 21, 22, 59, 59, tzinfo=UTC), False),  # 23:59:59 in London (BST)
        (datetime(2025, 7, 21, 23, 30, tzinfo=UTC), True),  # 00:30 on 22 July in London
        (datetime(2025, 7, 22, 9, 0, tzinfo=UTC), True),
        (datetime(2025, 5, 1, 9, 0, tzinfo=UTC), False),  # early
    ],
)
def test_late_uses_the_london_date_of_the_received_time(
    deadlines: Deadlines, received: datetime, late: bool
) -> None:
    assert deadlines.is_late(received, SV, "2025/26", "Q1") is late


def test_late_in_winter_is_gmt(deadlines: Deadlines) -> None:
    assert deadlines.is_late(datetime(2026, 1, 22, 23, 30, tzinfo=UTC), "SV00200", "2025/26", "Q3") is False
    assert deadlines.is_late(datetime(2026, 1, 23, 0, 0, tzinfo=UTC), "SV00200", "2025/26", "Q3") is True


def test_late_against_an_extension(deadlines: Deadlines) -> None:
    assert deadlines.is_late(datetime(2025, 11, 7, 12, 0, tzinfo=UTC), SV, "2025/26", "Q2") is False
    assert deadlines.is_late(datetime(2025, 11, 8, 0, 0, tzinfo=UTC), SV, "2025/26", "Q2") is True
    assert deadlines.is_late(datetime(2026, 1, 6, 9, 0, tzinfo=UTC), SV, "2025/26", "Q3") is True


def test_load_deadlines_reads_every_extension() -> None:
    engine = sqlite_engine()
    with Session(engine) as session:
        session.add(Extension(service_id=SV, year="2025/26", quarter="Q1", until=date(2025, 8, 1)))
        session.commit()
        loaded = load_deadlines(session, programme())
    assert loaded.extensions == {(SV, "2025/26", "Q1"): date(2025, 8, 1)}
    assert loaded.of(SV, "2025/26", "Q1") == date(2025, 8, 1)
    engine.dispose()


def test_an_extension_and_the_standard_deadline_do_not_leak_into_each_other(deadlines: Deadlines) -> None:
    """The standard deadline is counted once a year and quarter; each service's extension still wins."""
    asked = [("SV00200", "Q2"), (SV, "Q2"), ("SV00300", "Q2"), (SV, "Q2"), ("SV00200", "Q2")]
    found = [deadlines.of(service, "2025/26", quarter) for service, quarter in asked]
    standard, extended = date(2025, 10, 21), date(2025, 11, 7)
    assert found == [standard, extended, standard, extended, standard]
