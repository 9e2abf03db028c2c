"""The service facts the clause tests judge: six quarters with their deadlines, and builders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from tasks.contract_management.clause_terms import ActionFacts, QafFacts, QuarterFacts, ServiceFacts

YEAR = "2025/26"
# Deadlines of the six quarters Q3 2024/25 .. Q4 2025/26 (15 working days after quarter end).
DEADLINES = {
    ("2024/25", "Q3"): date(2025, 1, 22),
    ("2024/25", "Q4"): date(2025, 4, 23),
    ("2025/26", "Q1"): date(2025, 7, 21),
    ("2025/26", "Q2"): date(2025, 10, 21),
    ("2025/26", "Q3"): date(2026, 1, 22),
    ("2025/26", "Q4"): date(2026, 4, 24),
}
ORDER = list(DEADLINES)
ALL_PIS = ("KPI1", "KPI2", "SPI1", "SPI2", "SPI3", "SPI4")


def days(n: int) -> timedelta:
    return timedelta(days=n)


def quarter(year: str, name: str, **facts: Any) -> QuarterFacts:
    """A quarter received on its deadline day and accepted, unless told otherwise."""
    deadline = DEADLINES[(year, name)]
    defaults: dict[str, Any] = {"first_received": deadline, "status": "accepted", "status_since": deadline}
    return QuarterFacts(year, name, deadline, **(defaults | facts))


def missing(year: str, name: str) -> QuarterFacts:
    return QuarterFacts(year, name, DEADLINES[(year, name)])


def service(
    *quarters: QuarterFacts,
    pis: tuple[str, ...] = ALL_PIS,
    qaf: QafFacts | None = None,
    actions_: Sequence[ActionFacts] = (),
) -> ServiceFacts:
    return ServiceFacts("SV1", "PR1", pis, tuple(quarters), qaf or QafFacts(YEAR), tuple(actions_))


def accepted_run(*breaches: str) -> list[QuarterFacts]:
    """Accepted quarters Q3 2024/25 onwards, each with the breaches given ('' for none)."""
    return [quarter(*ORDER[i], breaches=frozenset(b.split(";")) - {""}) for i, b in enumerate(breaches)]


AFTER_Q2 = date(2025, 10, 22)  # Q2 2025/26 is the latest due quarter
