"""The actions clause of risk.md at its boundaries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.action_clauses import actions
from tasks.contract_management.clause_terms import ActionFacts, ClauseResult, ServiceFacts
from tests.tasks.contract_management.clause_cases import days, service

# actions --------------------------------------------------------------------------------------

TARGET = date(2025, 9, 30)


def with_action(**facts: Any) -> ServiceFacts:
    defaults: dict[str, Any] = {
        "description": "Update the fire risk assessment",
        "owner": "J Smith",
        "target_date": TARGET,
    }
    return service(actions_=[ActionFacts(**(defaults | facts))])


def test_actions_none_is_low_and_says_so() -> None:
    assert actions(service(), TARGET) == ClauseResult(
        "actions", LOW, "nothing to judge: no improvement-plan actions"
    )


@pytest.mark.parametrize(("past", "level"), [(0, LOW), (1, MEDIUM), (59, MEDIUM), (60, HIGH)])
def test_actions_boundaries(past: int, level: str) -> None:
    assert actions(with_action(), TARGET + days(past)).level == level


def test_actions_detail() -> None:
    assert actions(with_action(), TARGET + days(10)).detail == (
        "'Update the fire risk assessment' (owner J Smith) 10 days past its target date 2025-09-30"
    )
    assert actions(with_action(), TARGET).detail == "none overdue (1 open of 1)"


def test_an_action_closed_by_the_as_at_date_is_not_overdue() -> None:
    closed = with_action(closed_on=TARGET + days(20))
    assert actions(closed, TARGET + days(90)).level == LOW
    assert actions(closed, TARGET + days(19)).level == MEDIUM  # still open then
