"""The clauses of the desk-top compliance audit, judged as at a date (``risk.md``). Pure functions.

Each clause gets a level (Low, Medium, High) and a detail a person can read.
The facts come from ``tasks.contract_management.facts``, which gathers them from the
database as it stood on the as-at date; a clause with nothing to judge is Low
and says so. What the clauses judge and the words they share are in
``clause_terms``; the rules in ``pi_clauses``, ``qaf_clauses`` and
``action_clauses``; the three of ``feedback.md`` in ``tasks.feedback.clauses``
(judged on ``ServiceFacts.feedback``). This module runs the twelve of them and
keeps every name importable from here.

- The **last four due quarters** are the four most recent quarters whose
  deadline (after any extension) is before the as-at date.
- **Consecutive** breaches count back from the most recent of them that has
  an accepted return, through the quarters just before it, for as long as
  each has an accepted return with a breach of the clause's PIs (a quarter
  with no accepted return ends the run).
- The **last four accepted quarters** (``departures``) are the four most
  recent due quarters whose current return is accepted.
- Days past a deadline or target count from the day after it: a return
  received on its deadline day is on time, and on the as-at date a deadline
  of the day before is 1 day past.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from data_contracts.risk_tables import CLAUSES, LOW
from tasks.contract_management.action_clauses import action_finding, actions, is_open
from tasks.contract_management.clause_terms import (
    ACTION_HIGH_DAYS,
    LEVEL_RANK,
    NON_RETURN_HIGH_DAYS,
    PRIORITY_OF_LEVEL,
    QAF_OUTSTANDING_HIGH_DAYS,
    QUARTER_NUMBER,
    RECENT_QUARTERS,
    RETURNED_HIGH_DAYS,
    ActionFacts,
    BreachRule,
    ClauseResult,
    Finding,
    Grade,
    QafFacts,
    QuarterFacts,
    ServiceFacts,
    days_text,
    due_quarters,
    from_findings,
    last_due_quarters,
    on_or_before,
    overall,
    priority,
    quarter_index,
    quarters_text,
    span_text,
    worst,
)
from tasks.contract_management.pi_clauses import (
    AVAILABILITY,
    OUTCOMES,
    STAFFING,
    availability_utilisation,
    breaching,
    completeness_finding,
    consecutive_breaches,
    departures,
    outcomes,
    pi_completeness,
    pi_timeliness,
    staffing,
    timeliness_finding,
)
from tasks.contract_management.qaf_clauses import d_grade_finding, qaf_grades, qaf_return, qaf_standing
from tasks.feedback.facts import FEEDBACK_RULES

__all__ = [
    "ACTION_HIGH_DAYS",
    "AVAILABILITY",
    "CLAUSE_RULES",
    "LEVEL_RANK",
    "NON_RETURN_HIGH_DAYS",
    "OUTCOMES",
    "PRIORITY_OF_LEVEL",
    "QAF_OUTSTANDING_HIGH_DAYS",
    "QUARTER_NUMBER",
    "RECENT_QUARTERS",
    "RETURNED_HIGH_DAYS",
    "STAFFING",
    "ActionFacts",
    "BreachRule",
    "ClauseResult",
    "Finding",
    "Grade",
    "QafFacts",
    "QuarterFacts",
    "ServiceFacts",
    "action_finding",
    "actions",
    "availability_utilisation",
    "breaching",
    "completeness_finding",
    "consecutive_breaches",
    "d_grade_finding",
    "days_text",
    "departures",
    "due_quarters",
    "evaluate_service",
    "feedback_rule",
    "from_findings",
    "is_open",
    "last_due_quarters",
    "on_or_before",
    "outcomes",
    "overall",
    "pi_completeness",
    "pi_timeliness",
    "priority",
    "qaf_grades",
    "qaf_return",
    "qaf_standing",
    "quarter_index",
    "quarters_text",
    "span_text",
    "staffing",
    "timeliness_finding",
    "worst",
]

Rule = Callable[[ServiceFacts, date], ClauseResult]


def feedback_rule(clause: str) -> Rule:
    """A feedback clause judged on the service's feedback facts (Low, saying so, without them)."""

    def rule(facts: ServiceFacts, as_at: date) -> ClauseResult:
        if facts.feedback is None:
            return ClauseResult(clause, LOW, "nothing to judge: no feedback records were read")
        return FEEDBACK_RULES[clause](facts.feedback, as_at)

    return rule


CLAUSE_RULES: dict[str, Rule] = {
    "pi_timeliness": pi_timeliness,
    "pi_completeness": pi_completeness,
    "staffing": staffing,
    "availability_utilisation": availability_utilisation,
    "outcomes": outcomes,
    "departures": departures,
    "qaf_return": qaf_return,
    "qaf_grades": qaf_grades,
    "actions": actions,
    **{clause: feedback_rule(clause) for clause in FEEDBACK_RULES},
}


def evaluate_service(facts: ServiceFacts, as_at: date) -> list[ClauseResult]:
    """The nine clauses of ``risk.md`` and the three of ``feedback.md`` for one service, in order."""
    return [CLAUSE_RULES[clause](facts, as_at) for clause in CLAUSES]
