from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

import data_contracts.tables  # noqa: F401  (registers the tables)
from data_contracts.qaf_tables import (
    AgreedGrade,
    DGradeFollowUp,
    ImprovementPlan,
    d_grade_follow_ups,
    plan_due,
    revalidation_due,
)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


def test_plan_is_due_14_days_after_the_date_agreed():
    assert plan_due(date(2025, 3, 19)) == date(2025, 4, 2)
    assert plan_due(date(2025, 12, 25)) == date(2026, 1, 8)


def test_revalidation_is_due_one_month_after_the_plan():
    assert revalidation_due(date(2025, 4, 2)) == date(2025, 5, 2)
    assert revalidation_due(date(2025, 12, 15)) == date(2026, 1, 15)


def test_revalidation_due_is_clamped_to_the_month_end():
    assert revalidation_due(date(2025, 1, 31)) == date(2025, 2, 28)
    assert revalidation_due(date(2024, 1, 31)) == date(2024, 2, 29)
    assert revalidation_due(date(2025, 3, 31)) == date(2025, 4, 30)
    assert revalidation_due(date(2025, 8, 31)) == date(2025, 9, 30)


def _follow_up(**changes: object) -> DGradeFollowUp:
    values: dict[str, object] = {
        "provider_id": "PR1",
        "year": "2025/26",
        "service_ids": "SV1",
        "objective": "C1.4",
        "date_agreed": date(2026, 3, 2),
        "plan_received": None,
        "revalidated_on": None,
        "improved": None,
    }
    values.update(changes)
    return DGradeFollowUp(**values)  # type: ignore[arg-type]


def test_follow_up_states():
    waiting = _follow_up()
    assert waiting.plan_due == date(2026, 3, 16)
    assert waiting.revalidation_due is None
    assert waiting.state(date(2026, 3, 16)) == "plan_awaited"
    assert waiting.state(date(2026, 3, 17)) == "plan_overdue"
    planned = _follow_up(plan_received=date(2026, 3, 31))
    assert planned.revalidation_due == date(2026, 4, 30)
    assert planned.state(date(2026, 4, 30)) == "revalidation_awaited"
    assert planned.state(date(2026, 5, 1)) == "revalidation_overdue"
    assert (
        _follow_up(plan_received=date(2026, 3, 31), revalidated_on=date(2026, 5, 1), improved=True).state(
            date(2026, 6, 1)
        )
        == "improved"
    )
    assert (
        _follow_up(plan_received=date(2026, 3, 31), revalidated_on=date(2026, 5, 1), improved=False).state(
            date(2026, 6, 1)
        )
        == "not_improved"
    )


def _grade(objective: str, grade: str, provider: str = "PR1", services: str = "SV1;SV2") -> AgreedGrade:
    return AgreedGrade(
        provider_id=provider,
        year="2025/26",
        service_ids=services,
        objective=objective,
        grade=grade,
        date_agreed=date(2026, 3, 2),
        method="desk",
    )


def test_d_grade_follow_ups_list_only_d_grades_with_their_plan(session: Session):
    session.add_all(
        [_grade("C1.3", "C"), _grade("C1.4", "D"), _grade("C1.6", "D"), _grade("C1.1", "D", "PR2", "SV9")]
    )
    session.add(
        ImprovementPlan(
            provider_id="PR1", year="2025/26", service_ids="SV1;SV2", plan_received=date(2026, 3, 10)
        )
    )
    session.flush()
    follow_ups = d_grade_follow_ups(session)
    assert [(f.provider_id, f.objective) for f in follow_ups] == [
        ("PR1", "C1.4"),
        ("PR1", "C1.6"),
        ("PR2", "C1.1"),
    ]
    assert follow_ups[0].plan_received == date(2026, 3, 10)
    assert follow_ups[0].revalidation_due == date(2026, 4, 10)
    assert follow_ups[2].plan_received is None
    assert follow_ups[2].state(date(2026, 3, 20)) == "plan_overdue"
    assert [f.objective for f in d_grade_follow_ups(session, provider_id="PR2")] == ["C1.1"]
    assert d_grade_follow_ups(session, year="2024/25") == []
