"""The ``qaf_return`` clause with the QAF timetable of ``qaf.md`` ("Which meeting"), from the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.facts import evaluate_all
from tasks.contract_management.history import history_as_at
from tests.factories.contracts import add_contract
from tests.factories.meetings import meeting_record
from tests.factories.programmes import programme
from tests.factories.qafs import qaf_return
from tests.factories.sessions import sqlite_session, stored, utc


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def meeting(session: Session, planned: date, completed: date | None = None, **replan: date) -> None:
    stored(
        session,
        meeting_record("PR1", planned, completed, first=replan.get("first"), replanned_on=replan.get("on")),
    )


def qaf_clause(session: Session, as_at: date) -> tuple[str, str]:
    (risk,) = evaluate_all(session, programme(), as_at)
    result = next(r for r in risk.results if r.clause == "qaf_return")
    return result.level, result.detail


def test_holding_the_meeting_and_planning_the_next_leave_an_unreturned_qaf_outstanding(
    session: Session,
) -> None:
    add_contract(session, "SV1")
    meeting(session, date(2025, 10, 1), completed=date(2025, 10, 1))  # QAF due 2025-08-20, never came
    meeting(session, date(2026, 1, 15))  # the next meeting, planned
    assert qaf_clause(session, date(2025, 10, 21)) == (
        HIGH,
        "2025/26 QAF outstanding, 62 days past its due date 2025-08-20",
    )
    qaf_return(session, "PR1", "SV1", utc(2025, 11, 5))
    assert qaf_clause(session, date(2025, 11, 30)) == (
        MEDIUM,
        "2025/26 QAF received on 2025-11-05, 77 days after its due date 2025-08-20",
    )


def test_a_meeting_re_planned_before_the_due_date_moves_it(session: Session) -> None:
    add_contract(session, "SV1")
    meeting(session, date(2025, 11, 12), first=date(2025, 10, 1), on=date(2025, 8, 1))
    assert qaf_clause(session, date(2025, 9, 1)) == (LOW, "2025/26 QAF not yet due (due 2025-10-01)")
    assert qaf_clause(session, date(2025, 10, 2))[0] == MEDIUM


def test_a_meeting_re_planned_after_the_due_date_leaves_it_outstanding_with_its_history(
    session: Session,
) -> None:
    add_contract(session, "SV1")
    meeting(session, date(2025, 11, 12), first=date(2025, 10, 1), on=date(2025, 9, 1))
    assert qaf_clause(session, date(2025, 9, 20)) == (
        HIGH,
        "2025/26 QAF outstanding, 31 days past its due date 2025-08-20",
    )
    _, history = history_as_at(session, programme(), date(2025, 12, 1))
    assert [
        (c.from_level, c.to_level, c.changed_on) for c in history.changes if c.subject == "qaf_return"
    ] == [
        (None, LOW, date(2025, 4, 1)),
        (LOW, MEDIUM, date(2025, 8, 21)),  # the day after its due date
        (MEDIUM, HIGH, date(2025, 9, 17)),  # 28 days past it
    ]


def test_no_meeting_planned_from_1_july_means_no_qaf_due_and_the_clause_says_so(session: Session) -> None:
    add_contract(session, "SV1")
    meeting(session, date(2025, 6, 20), completed=date(2025, 6, 20))  # before 1 July: not 2025/26's meeting
    assert qaf_clause(session, date(2026, 1, 10)) == (
        LOW,
        "nothing to judge: no 2025/26 QAF due (no contract-management meeting planned "
        "from 1 July 2025 to 30 June 2026)",
    )
