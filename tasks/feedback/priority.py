"""A service's priority (RED, AMBER, GREEN) on a day, for the ``short_notice`` exception.

Notice of less than a month is allowed when the service's priority was RED on
the notice date. The priority is judged as the risk export judges it
(``tasks.contract_management.facts.evaluate_all`` as at that day, from the database as it
stood then), once per day asked. A day outside the programme file's years has
no priority (``None``), so the warning stands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from foundation.errors import BadInput
from foundation.programme import Programme

PriorityOn = Callable[[str, date], str | None]


def priority_from_risk(session: Session, programme: Programme) -> PriorityOn:
    """``priority_on(service_id, day)`` from the risk clauses as at that day (cached by day)."""
    from tasks.contract_management.facts import evaluate_all

    by_day: dict[date, dict[str, str]] = {}

    def priority_on(service_id: str, day: date) -> str | None:
        if day not in by_day:
            try:
                risks = evaluate_all(session, programme, day)
            except BadInput:
                risks = []
            by_day[day] = {risk.service_id: risk.priority for risk in risks}
        return by_day[day].get(service_id)

    return priority_on


def never_red(_service_id: str, _day: date) -> str | None:
    """A ``priority_on`` that knows no priority (tests, or where the risk cannot be judged)."""
    return None
