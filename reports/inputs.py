"""Plain input rows of the report builders, shared by the monthly reports and the providers' packs.

The builders take these and nothing from the database; ``reports.gather``
fills them from the risk and QAF modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from data_contracts.risk_tables import HIGH, LEVELS, LOW, MEDIUM, PRIORITIES

LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PRIORITY_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


@dataclass(frozen=True)
class ClauseRow:
    """A clause of a service's desk-top audit as at a date: its level, detail and since when it holds.

    ``since`` is the day the data brought the clause to this level
    (``tasks.contract_management.history``): a function of the data, whenever computed.
    """

    service_id: str
    provider_id: str
    clause: str
    level: str
    detail: str
    since: date | None = None
    service_name: str = ""


@dataclass(frozen=True)
class ServiceRiskRow:
    """A service's overall risk and priority as at a date, and since when the priority holds."""

    service_id: str
    provider_id: str
    service_name: str
    overall: str
    priority: str
    high_clauses: tuple[str, ...] = ()
    since: date | None = None


@dataclass(frozen=True)
class RiskChangeRow:
    """A change of a clause's level (or of the service's priority) on the day the data made it."""

    service_id: str
    provider_id: str
    subject: str  # a clause, or ``priority``
    from_level: str | None  # None: the first evaluation
    to_level: str
    changed_on: date
    detail: str = ""

    @property
    def change(self) -> str:
        """``new``, ``escalated``, ``reduced`` or ``resolved``.

        From nothing (the service's first judged day) to a level above Low:
        new; up (GREEN to AMBER or RED, AMBER to RED, Low to Medium, Medium to
        High): escalated; back to Low or GREEN: resolved; down otherwise: reduced.
        """
        rank = PRIORITY_RANK if self.subject == "priority" else LEVEL_RANK
        lowest = PRIORITIES[0] if self.subject == "priority" else LOW
        if self.from_level is None:
            return "new"
        if self.to_level == lowest:
            return "resolved"
        return "escalated" if rank[self.to_level] > rank[self.from_level] else "reduced"

    @property
    def movement(self) -> str:
        """``Medium to High``; ``High`` for a first evaluation."""
        return self.to_level if self.from_level is None else f"{self.from_level} to {self.to_level}"


@dataclass(frozen=True)
class GradeRow:
    """A QAF objective's grade for a service: agreed, or claimed (provisional, ``agreed_on`` None)."""

    service_id: str
    year: str
    objective: str
    grade: str
    agreed_on: date | None = None
    plan_received: date | None = None
    revalidated_on: date | None = None
    improved: bool | None = None


@dataclass(frozen=True)
class ActionRow:
    """An improvement-plan action; a blank ``service_id`` is for every service of the provider."""

    provider_id: str
    service_id: str
    description: str
    owner: str
    target_date: date
    closed_on: date | None = None

    def is_open(self, as_at: date) -> bool:
        """Not closed on or before the as-at date."""
        return self.closed_on is None or self.closed_on > as_at

    def days_overdue(self, as_at: date) -> int | None:
        """Days past its target date while open; None when not overdue."""
        if not self.is_open(as_at) or as_at <= self.target_date:
            return None
        return (as_at - self.target_date).days


AT_RISK = (MEDIUM, HIGH)
