"""The actions clause (``risk.md``): improvement-plan actions past their target dates. Pure functions."""

from __future__ import annotations

from datetime import date

from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import (
    ACTION_HIGH_DAYS,
    ActionFacts,
    ClauseResult,
    Finding,
    ServiceFacts,
    days_text,
    from_findings,
)

# actions ---------------------------------------------------------------------------------------


def is_open(action: ActionFacts, as_at: date) -> bool:
    """Not closed on or before the as-at date."""
    return action.closed_on is None or action.closed_on > as_at


def action_finding(action: ActionFacts, as_at: date) -> Finding | None:
    """An open action past its target date: Medium, High from 60 days past."""
    if not is_open(action, as_at) or as_at <= action.target_date:
        return None
    days = (as_at - action.target_date).days
    level = HIGH if days >= ACTION_HIGH_DAYS else MEDIUM
    text = (
        f"'{action.description}' (owner {action.owner}) {days_text(days)} past its target date "
        f"{action.target_date.isoformat()}"
    )
    return Finding(level, text)


def actions(facts: ServiceFacts, as_at: date) -> ClauseResult:
    """Improvement-plan actions: any past its target date Medium, 60 days or more High."""
    if not facts.actions:
        return ClauseResult("actions", LOW, "nothing to judge: no improvement-plan actions")
    ordered = sorted(facts.actions, key=lambda a: (a.target_date, a.description, a.owner))
    findings = [action_finding(a, as_at) for a in ordered]
    still_open = sum(is_open(a, as_at) for a in facts.actions)
    return from_findings("actions", findings, f"none overdue ({still_open} open of {len(facts.actions)})")
