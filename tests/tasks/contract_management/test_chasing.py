"""Non-returns, returns waiting for resubmission, and reminders of returns due in the next 14 days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from tasks.contract_management.chasing import (
    AwaitingResubmission,
    DueReturn,
    NonReturn,
    awaiting_resubmission,
    chasing_years,
    non_returns,
    returns_due,
    write_reminders,
)
from tests.factories.contracts import add_contract, pr1_session
from tests.factories.meetings import meeting
from tests.factories.programmes import YEAR, programme
from tests.factories.returns import add_pi, extension
from tests.factories.sessions import utc


@pytest.fixture
def session() -> Iterator[Session]:
    for session in pr1_session():
        add_contract(session, "SV3", "PR2")
        extension(session, "SV2", "Q1", date(2025, 8, 4))
        add_pi(session, "SV3", "Q1", utc(2025, 7, 10), "returned", reasons="incomplete", provider_id="PR2")
        add_pi(session, "SV3", "Q2", utc(2025, 10, 2), provider_id="PR2")
        meeting(session, "PR2", date(2025, 11, 20))  # QAF due 2025-10-09
        session.flush()
        yield session


def test_chasing_years_are_the_as_at_year_and_the_one_before() -> None:
    assert chasing_years(date(2025, 4, 30)) == ("2024/25", "2025/26")
    assert chasing_years(date(2026, 3, 31)) == ("2024/25", "2025/26")


def test_non_returns_keep_extensions_in_mind(session: Session) -> None:
    as_at = date(2025, 8, 1)
    assert non_returns(session, programme(), as_at) == [
        NonReturn("SV1", "PR1", YEAR, "Q1", date(2025, 7, 21), 11)
    ]
    later = non_returns(session, programme(), date(2025, 8, 5))
    assert [(n.service_id, n.deadline, n.days_past) for n in later] == [
        ("SV1", date(2025, 7, 21), 15),
        ("SV2", date(2025, 8, 4), 1),
    ]
    assert non_returns(session, programme(), date(2025, 7, 21)) == []  # the deadline day itself


def test_a_non_return_stays_outstanding_until_something_arrives(session: Session) -> None:
    add_pi(session, "SV1", "Q1", utc(2025, 9, 1), "returned", reasons="incomplete")
    assert [n.service_id for n in non_returns(session, programme(), date(2025, 8, 31))] == ["SV1", "SV2"]
    assert [n.service_id for n in non_returns(session, programme(), date(2025, 9, 1))] == ["SV2"]


def test_returns_waiting_for_resubmission(session: Session) -> None:
    assert awaiting_resubmission(session, programme(), date(2025, 8, 1)) == [
        AwaitingResubmission("SV3", "PR2", YEAR, "Q1", date(2025, 7, 10), 22)
    ]
    assert awaiting_resubmission(session, programme(), date(2025, 7, 9)) == []
    add_pi(session, "SV3", "Q1", utc(2025, 8, 2), provider_id="PR2")
    assert awaiting_resubmission(session, programme(), date(2025, 8, 2)) == []


def test_returns_due_in_the_next_14_days_both_days_included(session: Session) -> None:
    assert returns_due(session, programme(), date(2025, 10, 6)) == [
        DueReturn("PR2", "SV3", "QAF 2025/26", date(2025, 10, 9)),
    ]
    assert returns_due(session, programme(), date(2025, 10, 7)) == [
        DueReturn("PR1", "SV1", "PI return Q2 2025/26", date(2025, 10, 21)),
        DueReturn("PR1", "SV2", "PI return Q2 2025/26", date(2025, 10, 21)),
        DueReturn("PR2", "SV3", "QAF 2025/26", date(2025, 10, 9)),
    ]
    assert [d.what for d in returns_due(session, programme(), date(2025, 10, 10))] == [
        "PI return Q2 2025/26",
        "PI return Q2 2025/26",
    ]
    assert [d.service_id for d in returns_due(session, programme(), date(2025, 7, 25))] == [
        "SV2"
    ]  # extension


def test_reminders_are_written_to_the_outbox_one_per_provider(session: Session, tmp_path: Path) -> None:
    as_at = date(2025, 10, 7)
    written = write_reminders(session, programme(), tmp_path, as_at)
    assert written == [tmp_path / "reminders/2025-10-07/PR1.txt", tmp_path / "reminders/2025-10-07/PR2.txt"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("To: Provider PR1 (PR1)\n")
    assert "  1. PI return Q2 2025/26, service SV1: due 21/10/2025\n" in text
    assert "  2. PI return Q2 2025/26, service SV2: due 21/10/2025\n" in text
    assert "As at 07/10/2025 we have not yet received these returns:" in text
    assert "QAF 2025/26, service SV3: due 09/10/2025" in written[1].read_text(encoding="utf-8")
    again = write_reminders(session, programme(), tmp_path, as_at)
    assert again == written
    assert written[0].read_text(encoding="utf-8") == text
    assert write_reminders(session, programme(), tmp_path / "none", date(2025, 12, 1)) == []
