"""A late PI return is chased the day after its deadline and every 7 days after, until it arrives."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from data_contracts.tables import Extension
from tasks.contract_management.chasing import chase_days, write_late_reminders
from tests.factories.contracts import pr1_session
from tests.factories.programmes import YEAR, programme
from tests.factories.returns import add_pi
from tests.factories.sessions import utc

DEADLINE = date(2025, 7, 21)  # Q1 2025/26


@pytest.fixture
def session() -> Iterator[Session]:
    for session in pr1_session():
        session.add(Extension(service_id="SV2", year=YEAR, quarter="Q1", until=date(2025, 8, 4)))
        session.flush()
        yield session


def test_chases_fall_the_day_after_the_deadline_then_every_7_days() -> None:
    assert chase_days(DEADLINE, DEADLINE) == []
    assert chase_days(DEADLINE, date(2025, 7, 22)) == [date(2025, 7, 22)]
    assert chase_days(DEADLINE, date(2025, 7, 28)) == [date(2025, 7, 22)]
    assert chase_days(DEADLINE, date(2025, 7, 29)) == [date(2025, 7, 22), date(2025, 7, 29)]


def test_a_late_return_is_chased_with_its_service_quarter_deadline_and_days_late(
    session: Session, tmp_path: Path
) -> None:
    written = write_late_reminders(session, programme(), tmp_path, date(2025, 7, 22))
    assert written == [tmp_path / "reminders/late/PR1/SV1_2025-26_Q1_2025-07-22.txt"]
    text = written[0].read_text(encoding="utf-8")
    assert "PI return Q1 2025/26 for service SV1 is 1 day late" in text
    assert "Its deadline was 21/07/2025: it is 1 day late." in text


def test_each_chase_is_written_once_and_a_missed_night_still_sends_it(
    session: Session, tmp_path: Path
) -> None:
    assert len(write_late_reminders(session, programme(), tmp_path, date(2025, 7, 22))) == 1
    assert write_late_reminders(session, programme(), tmp_path, date(2025, 7, 23)) == []
    later = write_late_reminders(session, programme(), tmp_path, date(2025, 8, 6))  # nights missed
    assert sorted(p.name for p in later) == [
        "SV1_2025-26_Q1_2025-07-29.txt",
        "SV1_2025-26_Q1_2025-08-05.txt",
        "SV2_2025-26_Q1_2025-08-05.txt",  # the day after its extension ran out
    ]
    assert "is 15 days late" in (tmp_path / "reminders/late/PR1/SV1_2025-26_Q1_2025-08-05.txt").read_text()


def test_no_chase_once_the_return_arrives_or_within_an_extension(session: Session, tmp_path: Path) -> None:
    add_pi(session, "SV1", "Q1", utc(2025, 7, 25))
    written = write_late_reminders(session, programme(), tmp_path, date(2025, 8, 4))
    assert written == []  # SV1 has arrived (a chase is not sent after the fact); SV2 is within its extension
