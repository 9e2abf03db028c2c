"""What the clauses of the desk-top compliance audit judge, and the words they say it in.

The facts of one service as at a date (``ServiceFacts`` and its quarters, QAF
and actions), a clause's result, and the helpers the clauses share: the last
four due quarters, the worst level, days and quarters in words. The rules
themselves are in ``pi_clauses``, ``qaf_clauses`` and ``action_clauses``;
``clauses`` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from data_contracts.risk_tables import LEVELS, LOW, PRIORITIES
from tasks.calendar.dates import QUARTER_FIRST_MONTH, year_start

if TYPE_CHECKING:
    from tasks.feedback.facts import ServiceFeedback

RECENT_QUARTERS = 4
NON_RETURN_HIGH_DAYS = 30
RETURNED_HIGH_DAYS = 28
QAF_OUTSTANDING_HIGH_DAYS = 28
ACTION_HIGH_DAYS = 60
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
PRIORITY_OF_LEVEL = dict(zip(LEVELS, PRIORITIES, strict=True))  # Low GREEN, Medium AMBER, High RED
QUARTER_NUMBER = {quarter: number for number, quarter in enumerate(QUARTER_FIRST_MONTH, start=1)}


@dataclass(frozen=True)
class QuarterFacts:
    """One quarter of a service as at the evaluation date.

    ``first_received``: the Europe/London date of the first file for the
    quarter (quarantined files aside). ``status``: the status the current
    return had on the as-at date (``accepted`` or ``returned``; ``None`` when
    nothing was received); ``status_since`` is that return's received date.
    """

    year: str
    quarter: str
    deadline: date
    first_received: date | None = None
    status: str | None = None
    status_since: date | None = None
    breaches: frozenset[str] = frozenset()
    planned_departures: float | None = None
    unplanned_departures: float | None = None
    extended: bool = False  # the deadline is an agreed extension

    @property
    def name(self) -> str:
        """``Q2 2025/26``."""
        return f"{self.quarter} {self.year}"

    @property
    def index(self) -> int:
        """A running number: consecutive quarters differ by one."""
        return quarter_index(self.year, self.quarter)


@lru_cache(maxsize=1024)
def quarter_index(year: str, quarter: str) -> int:
    """``QuarterFacts.index`` of a year and quarter (cached: the history asks it very often)."""
    return year_start(year) * 4 + QUARTER_NUMBER[quarter]


@dataclass(frozen=True)
class Grade:
    """One QAF objective's grade: agreed by the officer, or claimed (provisional, ``agreed_on`` None)."""

    objective: str
    grade: str
    agreed_on: date | None = None
    plan_received: date | None = None
    revalidated_on: date | None = None
    improved: bool | None = None


@dataclass(frozen=True)
class QafFacts:
    """The service's QAF for the as-at date's year, and its latest grades.

    ``due`` is ``None`` when no contract-management meeting sets a due date
    for the year; ``grades_year`` is the year the grades belong to.
    """

    year: str
    due: date | None = None
    received_on: date | None = None
    grades_year: str = ""
    grades: tuple[Grade, ...] = ()


@dataclass(frozen=True)
class ActionFacts:
    """An improvement-plan action of the service (or of all its provider's services)."""

    description: str
    owner: str
    target_date: date
    closed_on: date | None = None


@dataclass(frozen=True)
class ServiceFacts:
    """What the clauses judge about one service, as the database stood on the as-at date."""

    service_id: str
    provider_id: str
    pis: tuple[str, ...]  # the PIs that apply to the service
    quarters: tuple[QuarterFacts, ...]  # every quarter of its contract years, in order
    qaf: QafFacts
    actions: tuple[ActionFacts, ...] = ()
    feedback: ServiceFeedback | None = None  # the feedback clauses' facts (``tasks.feedback.facts``)


@dataclass(frozen=True)
class ClauseResult:
    """A clause's level and its detail."""

    clause: str
    level: str
    detail: str


@dataclass(frozen=True)
class Finding:
    """One thing a clause found, with its level."""

    level: str
    text: str


@dataclass(frozen=True)
class BreachRule:
    """A clause judged on consecutive breaches of its PIs: the run length that makes it High."""

    clause: str
    pis: tuple[str, ...]
    high_run: int
    not_applicable: str


def worst(levels: Iterable[str]) -> str:
    """The highest of the levels (Low when there are none)."""
    return max(levels, key=LEVEL_RANK.__getitem__, default=LOW)


def overall(results: Iterable[ClauseResult]) -> str:
    """A service's overall risk: the highest level of its clauses."""
    return worst(result.level for result in results)


def priority(level: str) -> str:
    """The priority (RAG) of an overall risk: High RED, Medium AMBER, Low GREEN."""
    return PRIORITY_OF_LEVEL[level]


def days_text(days: int) -> str:
    """``1 day``, ``3 days``."""
    return f"{days} day" if days == 1 else f"{days} days"


def span_text(quarters: Sequence[QuarterFacts]) -> str:
    """``Q1 2025/26`` or ``Q3 2024/25 to Q2 2025/26``."""
    if len(quarters) == 1:
        return quarters[0].name
    return f"{quarters[0].name} to {quarters[-1].name}"


def quarters_text(quarters: Sequence[QuarterFacts], kind: str) -> str:
    """``the last 3 due quarters (Q1 2025/26 to Q3 2025/26)``, or ``the last due quarter Q1 2025/26``."""
    if len(quarters) == 1:
        return f"the last {kind} quarter {quarters[0].name}"
    return f"the last {len(quarters)} {kind} quarters ({span_text(quarters)})"


def due_quarters(quarters: Iterable[QuarterFacts], as_at: date) -> list[QuarterFacts]:
    """Every quarter whose deadline is before the as-at date, in order."""
    return sorted((q for q in quarters if q.deadline < as_at), key=lambda q: q.index)


def last_due_quarters(quarters: Iterable[QuarterFacts], as_at: date) -> list[QuarterFacts]:
    """The last four due quarters, oldest first."""
    return due_quarters(quarters, as_at)[-RECENT_QUARTERS:]


def on_or_before(day: date | None, as_at: date) -> date | None:
    """The date, if it is on or before the as-at date (else it had not happened yet)."""
    return day if day is not None and day <= as_at else None


def from_findings(clause: str, findings: Sequence[Finding | None], all_clear: str) -> ClauseResult:
    """The worst level of the findings and their texts, or Low with ``all_clear`` when none."""
    found = [f for f in findings if f is not None]
    if not found:
        return ClauseResult(clause, LOW, all_clear)
    return ClauseResult(clause, worst(f.level for f in found), "; ".join(f.text for f in found))
