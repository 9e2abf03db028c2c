"""Validation visits (``qaf.md``, Validation visits): pure rules, and the queries that gather their inputs.

The decision is made once, when a QAF is accepted, from what the database
holds then; every reason that holds is recorded, in the order of ``qaf.md``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.qaf_tables import AgreedGrade
from data_contracts.qaf_workbook import GRADE_RANK, VISIT_REASONS
from data_contracts.tables import PiReturn
from foundation.programme import YearSettings
from tasks.calendar.dates import as_utc

QUARTER_NUMBER = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}
RECENT_QUARTERS = 4
BREACHED_QUARTERS_OF_CONCERN = 2


@dataclass(frozen=True)
class QuarterState:
    """The current PI return of one service's quarter: its status and breaches."""

    service_id: str
    year: str
    quarter: str
    status: str  # accepted or returned
    breaches: str = ""  # PIs joined by ';'

    @property
    def order(self) -> tuple[str, int]:
        """Chronological order: year, then quarter."""
        return (self.year, QUARTER_NUMBER.get(self.quarter, 0))


@dataclass
class VisitInputs:
    """Everything the visit decision needs about one accepted QAF."""

    provider_id: str
    year: str
    service_ids: Sequence[str]
    claimed: Mapping[str, str]  # objective -> claimed grade
    previous: Mapping[str, str] = field(default_factory=dict)  # objective -> latest agreed grade
    quarters: Sequence[QuarterState] = ()  # current PI returns of the covered services
    procurement_review: Sequence[str] = ()
    sample_percent: float = 10


def a_grade_claimed(claimed: Mapping[str, str]) -> bool:
    """Any objective is claimed at A."""
    return "A" in claimed.values()


def grade_moves(claimed: Mapping[str, str], previous: Mapping[str, str]) -> list[int]:
    """Grades moved per objective against its latest agreed grade (up is positive).

    Objectives without an agreed grade, or without a valid claim (Lite), are skipped.
    """
    return [
        GRADE_RANK[grade] - GRADE_RANK[previous[objective]]
        for objective, grade in claimed.items()
        if grade in GRADE_RANK and previous.get(objective) in GRADE_RANK
    ]


def significant_change(claimed: Mapping[str, str], previous: Mapping[str, str]) -> bool:
    """Any objective moves two or more grades, or three or more each move one grade the same way."""
    moves = grade_moves(claimed, previous)
    if any(abs(move) >= 2 for move in moves):
        return True
    return moves.count(1) >= 3 or moves.count(-1) >= 3


def service_has_concerns(quarters: Iterable[QuarterState]) -> bool:
    """One service's concerns.

    A quarter whose current return is returned, or breaches (explained or not)
    in two or more of its four most recent quarters whose current return is accepted.
    """
    states = list(quarters)
    if any(state.status == "returned" for state in states):
        return True
    accepted = sorted((s for s in states if s.status == "accepted"), key=lambda s: s.order, reverse=True)
    breached = [state for state in accepted[:RECENT_QUARTERS] if state.breaches]
    return len(breached) >= BREACHED_QUARTERS_OF_CONCERN


def service_concerns(quarters: Iterable[QuarterState]) -> bool:
    """Any covered service has concerns (``quarters`` are those of the covered services)."""
    by_service: dict[str, list[QuarterState]] = defaultdict(list)
    for state in quarters:
        by_service[state.service_id].append(state)
    return any(service_has_concerns(states) for states in by_service.values())


def on_procurement_review(service_ids: Iterable[str], review_list: Iterable[str]) -> bool:
    """A covered service is on the year's procurement review list."""
    return bool(set(service_ids) & set(review_list))


def sample_number(provider_id: str, year: str) -> int:
    """SHA-256 of ``<provider_id>|<year>`` (UTF-8) read as a hexadecimal integer, mod 100."""
    return int(hashlib.sha256(f"{provider_id}|{year}".encode()).hexdigest(), 16) % 100


def in_random_sample(provider_id: str, year: str, percent: float) -> bool:
    """The provider falls in the year's random sample."""
    return sample_number(provider_id, year) < percent


def visit_reasons(inputs: VisitInputs) -> list[str]:
    """Every validation-visit reason that holds, in the order of ``qaf.md``."""
    holds = {
        "a_grade_claimed": a_grade_claimed(inputs.claimed),
        "significant_change": significant_change(inputs.claimed, inputs.previous),
        "service_concerns": service_concerns(inputs.quarters),
        "procurement_review": on_procurement_review(inputs.service_ids, inputs.procurement_review),
        "random_sample": in_random_sample(inputs.provider_id, inputs.year, inputs.sample_percent),
    }
    return [reason for reason in VISIT_REASONS if holds[reason]]


def latest_agreed_grades(session: Session, provider_id: str) -> dict[str, str]:
    """The latest agreed grade of each objective for the provider (latest by year, then date agreed)."""
    statement = select(AgreedGrade).where(col(AgreedGrade.provider_id) == provider_id)
    latest: dict[str, AgreedGrade] = {}
    for grade in session.execute(statement).scalars():
        held = latest.get(grade.objective)
        if held is None or (grade.year, grade.date_agreed) > (held.year, held.date_agreed):
            latest[grade.objective] = grade
    return {objective: grade.grade for objective, grade in latest.items()}


def _status_then(row: PiReturn) -> str:
    """A return's status when it was current: a superseded one was returned if it had reasons."""
    if row.status == "superseded":
        return "returned" if row.reasons else "accepted"
    return row.status


def current_quarters(
    session: Session, service_ids: Sequence[str], received_by: tuple[datetime, str] | None = None
) -> list[QuarterState]:
    """The current PI return of each quarter of the services.

    With ``received_by`` (a received time and file name), the returns that were
    current then, among those taken before that file (received time, then name):
    the latest of each quarter that was not a duplicate.
    """
    if not service_ids:
        return []
    statement = select(PiReturn).where(
        col(PiReturn.service_id).in_(list(service_ids)),
        col(PiReturn.quarter) != "",
        col(PiReturn.status).in_(("accepted", "returned", "superseded")),
    )
    latest: dict[tuple[str, str, str], PiReturn] = {}
    for row in session.execute(statement).scalars():
        taken = (as_utc(row.received_at), row.source_file, row.id or 0)
        if received_by is not None and (taken[0], taken[1]) >= (as_utc(received_by[0]), received_by[1]):
            continue
        key = (row.service_id, row.year, row.quarter)
        held = latest.get(key)
        if held is None or taken > (as_utc(held.received_at), held.source_file, held.id or 0):
            latest[key] = row
    return [QuarterState(s, y, q, _status_then(row), row.breaches) for (s, y, q), row in latest.items()]


def gather_visit_inputs(
    session: Session,
    provider_id: str,
    year: str,
    service_ids: Sequence[str],
    claimed: Mapping[str, str],
    year_settings: YearSettings | None,
    received_by: tuple[datetime, str] | None = None,
) -> VisitInputs:
    """The inputs of the visit decision for one QAF, from what the database holds now."""
    return VisitInputs(
        provider_id=provider_id,
        year=year,
        service_ids=service_ids,
        claimed=claimed,
        previous=latest_agreed_grades(session, provider_id),
        quarters=current_quarters(session, service_ids, received_by),
        procurement_review=year_settings.procurement_review if year_settings else (),
        sample_percent=year_settings.qaf_sample_percent if year_settings else 0,
    )
