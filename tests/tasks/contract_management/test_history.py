"""Risk history is a function of the data: each change dated the day the data made it, however often run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import SUBJECTS, RiskChange, RiskLevel
from tasks.calendar.dates import year_of
from tasks.contract_management.facts import FactSource
from tasks.contract_management.history import (
    derive_history,
    evaluate_and_record,
    history_as_at,
    level_on,
    schedule_as_at,
    service_history,
    subject_levels,
)
from tests.factories.contracts import add_contract
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, improvement_plan, qaf_return
from tests.factories.returns import add_pi
from tests.factories.sessions import sqlite_session, utc


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def changes(session: Session, subject: str | None = None) -> list[tuple[str, str, str | None, str, date]]:
    rows = session.execute(
        select(RiskChange).order_by(col(RiskChange.changed_on), col(RiskChange.subject))
    ).scalars()
    return [
        (c.service_id, c.subject, c.from_level, c.to_level, c.changed_on)
        for c in rows
        if subject is None or c.subject == subject
    ]


def derived(session: Session, as_at: date, subject: str) -> list[tuple[str, str | None, str, date]]:
    _, history = history_as_at(session, programme(), as_at)
    return [
        (c.service_id, c.from_level, c.to_level, c.changed_on)
        for c in history.changes
        if c.subject == subject
    ]


def busy_authority(session: Session) -> None:
    """Three services of two providers through 2024/25 and 2025/26: every kind of input that moves a level."""
    for year in ("2024/25", "2025/26"):
        add_contract(session, "SV1", year=year)
        add_contract(session, "SV2", year=year, service_type="Floating support", planned_duration="Long term")
    add_contract(session, "SV3", "PR2")  # new in 2025/26
    add_pi(session, "SV1", "Q4", utc(2025, 4, 30), year="2024/25")  # late
    add_pi(session, "SV1", "Q1", utc(2025, 7, 10), status="superseded", reasons="incomplete")
    add_pi(session, "SV1", "Q1", utc(2025, 8, 25), breaches="SPI3")  # resubmitted 46 days later
    add_pi(session, "SV1", "Q2", utc(2025, 10, 1), breaches="SPI3;KPI1")
    add_pi(session, "SV2", "Q1", utc(2025, 7, 1), status="returned", reasons="incomplete")
    add_pi(session, "SV2", "Q2", utc(2025, 11, 30), breaches="SPI1")  # 40 days late
    add_pi(session, "SV3", "Q1", utc(2025, 7, 2), provider_id="PR2", breaches="KPI2")
    qaf_return(session, "PR1", "SV1;SV2", utc(2025, 9, 20), claimed_c1_3="D")  # a month late
    meeting(session, "PR1", date(2025, 3, 1), date(2025, 3, 1))
    # first planned for 2025-10-01 (QAF due 2025-08-20), re-planned on 2025-09-01 after that date
    meeting(
        session,
        "PR1",
        date(2025, 11, 12),
        date(2025, 11, 12),
        first=date(2025, 10, 1),
        replanned_on=date(2025, 9, 1),
    )
    meeting(session, "PR2", date(2025, 12, 1))  # QAF due 2025-10-20, never came
    agreed_grade(session, "PR1", "SV1;SV2", "C1.3", "D", date(2025, 10, 1))
    improvement_plan(session, "PR1", "SV1;SV2", date(2025, 10, 30))
    action(session, "PR1", "SV1", "Train staff", date(2025, 9, 1), owner="M")
    action(session, "PR1", "", "Fix rota", date(2025, 6, 1), date(2025, 9, 15), owner="M")
    action(session, "PR2", "SV3", "Audit", date(2025, 12, 20), owner="M")


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_candidate_days_give_exactly_what_evaluating_every_day_gives(session: Session) -> None:
    busy_authority(session)
    as_at = date(2026, 3, 31)
    source = FactSource.load(session, programme(), year_of(as_at))
    for service_id in ("SV1", "SV2", "SV3"):
        daily = service_history(source, service_id, as_at, every_day(date(2024, 4, 1), as_at))
        assert service_history(source, service_id, as_at) == daily, service_id
    history = derive_history(source, as_at)
    assert len(history.changes) > 40
    for day in every_day(date(2025, 4, 1), as_at)[::5]:  # the levels it gives are the day's own judgement
        for risk in source.evaluate_all(day):
            mine = [c for c in history.changes if c.service_id == risk.service_id]
            for subject, level, _ in subject_levels(risk):
                assert level_on(mine, subject, day) == level, (risk.service_id, subject, day)


def test_a_change_is_dated_the_day_the_data_made_it(session: Session) -> None:
    add_contract(session, "SV1")  # Q1 2025/26 (deadline 2025-07-21) never received
    assert derived(session, date(2025, 9, 1), "pi_timeliness") == [
        ("SV1", None, "Low", date(2025, 4, 1)),
        ("SV1", "Low", "Medium", date(2025, 7, 22)),  # the day after its deadline
        ("SV1", "Medium", "High", date(2025, 8, 20)),  # 30 days past it
    ]
    add_pi(session, "SV1", "Q1", utc(2025, 8, 26))
    assert derived(session, date(2025, 9, 1), "pi_timeliness")[-1] == (
        "SV1",
        "High",
        "Medium",
        date(2025, 8, 26),
    )


def test_history_is_the_same_however_often_the_risk_flow_ran(session: Session) -> None:
    busy_authority(session)
    as_at = date(2026, 1, 31)
    _, never = history_as_at(session, programme(), as_at)
    for day in every_day(date(2025, 7, 1), as_at)[::9]:
        evaluate_and_record(session, programme(), day)
    _, nightly = history_as_at(session, programme(), as_at)
    assert nightly.changes == never.changes


def test_the_cache_tables_equal_the_derivation_up_to_the_latest_date_evaluated(session: Session) -> None:
    busy_authority(session)
    evaluate_and_record(session, programme(), date(2025, 12, 1))
    added = evaluate_and_record(session, programme(), date(2025, 8, 1))  # an earlier date: nothing new
    assert added == []
    _, history = history_as_at(session, programme(), date(2025, 12, 1))
    assert changes(session) == sorted(
        ((c.service_id, c.subject, c.from_level, c.to_level, c.changed_on) for c in history.changes),
        key=lambda c: (c[4], c[1]),
    )
    level = session.get(RiskLevel, ("SV1", "pi_completeness"))
    assert level is not None and level.evaluated_on == date(2025, 12, 1)
    assert level.since == history.since("SV1", "pi_completeness", level.level)


def test_the_first_judged_day_records_every_subject_from_nothing(session: Session) -> None:
    add_contract(session, "SV1")
    added = evaluate_and_record(session, programme(), date(2025, 7, 1))
    assert sorted((c.subject, c.from_level, c.to_level, c.changed_on) for c in added) == sorted(
        [
            *((s, None, "Low", date(2025, 4, 1)) for s in SUBJECTS[:-1]),
            ("priority", None, "GREEN", date(2025, 4, 1)),
        ]
    )
    assert evaluate_and_record(session, programme(), date(2025, 7, 1)) == []


def test_a_late_file_rewrites_the_history_it_changes(session: Session) -> None:
    add_contract(session, "SV1")
    evaluate_and_record(session, programme(), date(2025, 8, 25))
    assert changes(session, "pi_timeliness")[-1][3:] == ("High", date(2025, 8, 20))
    add_pi(session, "SV1", "Q1", utc(2025, 8, 10))  # its file was received on 10 August, ingested late
    evaluate_and_record(session, programme(), date(2025, 8, 26))
    assert [c[2:] for c in changes(session, "pi_timeliness")] == [
        (None, "Low", date(2025, 4, 1)),
        ("Low", "Medium", date(2025, 7, 22)),
    ]


def test_a_rise_in_priority_reschedules_the_next_meeting_from_the_day_it_rose(session: Session) -> None:
    add_contract(session, "SV1")
    add_pi(session, "SV1", "Q1", utc(2025, 7, 2))
    meeting(session, "PR1", date(2025, 3, 10), date(2025, 3, 10))
    add_pi(session, "SV1", "Q2", utc(2025, 10, 2), breaches="SPI3")
    add_pi(session, "SV1", "Q3", utc(2026, 1, 5), breaches="SPI3")
    session.flush()

    def schedule(as_at: date) -> list[tuple[str, date]]:
        source = FactSource.load(session, programme(), year_of(as_at))
        risks = source.evaluate_all(as_at)
        history = derive_history(source, as_at)
        return [(s.priority, s.due) for s in schedule_as_at(programme(), source, risks, history, as_at)]

    assert schedule(date(2025, 8, 1)) == [("GREEN", date(2026, 3, 10))]
    # Q3's deadline (2026-01-22) passes: two consecutive SPI3 breaches, RED on 2026-01-23; 3 months after
    # March 2025 has long passed, so the meeting is due at once, that day
    assert schedule(date(2026, 2, 1)) == [("RED", date(2026, 1, 23))]
