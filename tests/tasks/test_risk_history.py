"""Every change of a clause level, overall risk or priority is recorded once, with its date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import SUBJECTS, Meeting, RiskChange, RiskLevel
from tasks.risk_clauses import ClauseResult
from tasks.risk_facts import ServiceRisk, evaluate_all
from tasks.risk_history import evaluate_and_record, record_changes, schedule_as_at
from tests.tasks.risk_factory import add_contract, add_pi, programme, sqlite_session, utc


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


def level(session: Session, subject: str) -> RiskLevel:
    held = session.get(RiskLevel, ("SV1", subject))
    assert held is not None
    return held


def risk(timeliness: str) -> ServiceRisk:
    results = (
        ClauseResult("pi_timeliness", timeliness, f"timeliness {timeliness}"),
        ClauseResult("staffing", "Low", ""),
    )
    return ServiceRisk("SV1", "PR1", results)


def test_the_first_evaluation_records_every_subject_from_nothing(session: Session) -> None:
    add_contract(session, "SV1")
    added = evaluate_and_record(session, programme(), date(2025, 7, 1))
    assert [(c.subject, c.from_level, c.to_level) for c in added] == [
        *((subject, None, "Low") for subject in SUBJECTS[:-1]),
        ("priority", None, "GREEN"),
    ]
    assert level(session, "overall").since == date(2025, 7, 1)


def test_evaluating_the_same_date_twice_records_nothing_new(session: Session) -> None:
    add_contract(session, "SV1")
    evaluate_and_record(session, programme(), date(2025, 8, 1))
    before = changes(session)
    assert evaluate_and_record(session, programme(), date(2025, 8, 1)) == []
    assert changes(session) == before


def test_medium_to_high_is_recorded_with_its_date_once(session: Session) -> None:
    add_contract(session, "SV1")  # Q1 2025/26 never received; deadline 2025-07-21
    for day in (1, 2, 19, 20, 21, 25):
        evaluate_and_record(session, programme(), date(2025, 8, day))
    assert changes(session, "pi_timeliness") == [
        ("SV1", "pi_timeliness", None, "Medium", date(2025, 8, 1)),
        ("SV1", "pi_timeliness", "Medium", "High", date(2025, 8, 20)),
    ]
    assert changes(session, "priority")[-1] == ("SV1", "priority", "AMBER", "RED", date(2025, 8, 20))
    timeliness = level(session, "pi_timeliness")
    assert (timeliness.level, timeliness.since, timeliness.evaluated_on) == (
        "High",
        date(2025, 8, 20),
        date(2025, 8, 25),
    )


def test_a_resolved_clause_is_recorded_as_it_falls(session: Session) -> None:
    add_contract(session, "SV1")
    evaluate_and_record(session, programme(), date(2025, 8, 20))
    add_pi(session, "SV1", "Q1", utc(2025, 8, 21))
    evaluate_and_record(session, programme(), date(2025, 8, 22))
    assert changes(session, "pi_timeliness")[-1] == (
        "SV1",
        "pi_timeliness",
        "High",
        "Medium",
        date(2025, 8, 22),
    )


def test_an_earlier_date_never_rewrites_history(session: Session) -> None:
    add_contract(session, "SV1")
    evaluate_and_record(session, programme(), date(2025, 8, 20))
    before = changes(session)
    assert evaluate_and_record(session, programme(), date(2025, 8, 1)) == []
    assert changes(session) == before
    assert level(session, "pi_timeliness").level == "High"


def test_a_day_evaluated_again_on_changed_data_amends_that_days_change(session: Session) -> None:
    record_changes(session, [risk("Low")], date(2025, 8, 1))
    record_changes(session, [risk("Medium")], date(2025, 8, 5))
    record_changes(session, [risk("High")], date(2025, 8, 5))
    assert changes(session, "pi_timeliness")[-1] == ("SV1", "pi_timeliness", "Low", "High", date(2025, 8, 5))
    record_changes(session, [risk("Low")], date(2025, 8, 5))  # back to what it was: no change that day
    assert changes(session, "pi_timeliness") == [("SV1", "pi_timeliness", None, "Low", date(2025, 8, 1))]
    held = level(session, "pi_timeliness")
    assert (held.level, held.since, held.detail) == ("Low", date(2025, 8, 1), "timeliness Low")


def test_a_rise_in_priority_reschedules_the_next_meeting(session: Session) -> None:
    add_contract(session, "SV1")
    add_pi(session, "SV1", "Q1", utc(2025, 7, 2))
    session.add(Meeting(provider_id="PR1", planned_date=date(2025, 3, 10), completed_date=date(2025, 3, 10)))
    session.flush()
    green_day = date(2025, 8, 1)
    risks = evaluate_all(session, programme(), green_day)
    record_changes(session, risks, green_day)
    assert [s.due for s in schedule_as_at(session, programme(), risks, green_day)] == [date(2026, 3, 10)]

    add_pi(session, "SV1", "Q2", utc(2025, 10, 2), breaches="SPI3")
    add_pi(session, "SV1", "Q3", utc(2026, 1, 5), breaches="SPI3")
    red_day = date(2026, 1, 23)  # two consecutive SPI3 breaches: RED; 3 months after March 2025 has passed
    risks = evaluate_all(session, programme(), red_day)
    assert risks[0].priority == "RED"
    record_changes(session, risks, red_day)
    later = date(2026, 2, 1)
    assert [s.due for s in schedule_as_at(session, programme(), risks, later)] == [red_day]
