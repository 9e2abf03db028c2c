"""The nine clauses together: the overall risk, its priority, the order of the clause table."""

from __future__ import annotations

from datetime import date

from data_contracts.risk_tables import CLAUSES, HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import (
    ActionFacts,
    ClauseResult,
    QafFacts,
    overall,
    priority,
)
from tasks.contract_management.clauses import CLAUSE_RULES, evaluate_service
from tests.tasks.contract_management.clause_cases import (
    AFTER_Q2,
    YEAR,
    accepted_run,
    missing,
    service,
)

# Overall, priority, the whole evaluation -------------------------------------------------------


def test_overall_is_the_highest_level_and_sets_the_priority() -> None:
    results = [ClauseResult("a", LOW, ""), ClauseResult("b", MEDIUM, ""), ClauseResult("c", LOW, "")]
    assert overall(results) == MEDIUM
    assert overall([]) == LOW
    assert [priority(level) for level in (HIGH, MEDIUM, LOW)] == ["RED", "AMBER", "GREEN"]


def test_the_rules_follow_the_clause_table() -> None:
    assert tuple(CLAUSE_RULES) == CLAUSES


def test_evaluate_service_gives_nine_clauses_in_order_and_the_same_answer_twice() -> None:
    facts = service(
        *accepted_run("", "SPI2", "SPI2", "SPI2"),
        qaf=QafFacts(YEAR, due=date(2025, 9, 1)),
        actions_=[ActionFacts("Fix", "J Smith", date(2025, 8, 1))],
    )
    first = evaluate_service(facts, AFTER_Q2)
    assert [r.clause for r in first] == list(CLAUSES)
    assert first == evaluate_service(facts, AFTER_Q2)
    assert overall(first) == HIGH


def test_a_new_service_with_nothing_due_is_low_everywhere() -> None:
    results = evaluate_service(service(missing(YEAR, "Q1")), date(2025, 5, 1))
    assert {r.level for r in results} == {LOW}
    assert all(r.detail.startswith("nothing to judge") for r in results)
