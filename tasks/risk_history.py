"""Recording each change of a service's clause levels, overall risk and priority (``risk.md``).

``record_changes`` keeps ``RiskLevel`` (each subject's current level) and adds a
``RiskChange`` for every subject whose level differs from the one held, dated
the as-at date; a subject's first evaluation is recorded with no
``from_level``. History is written forward only:

- evaluating a date again records nothing new when the data are unchanged;
  when they changed during the day, that day's change is amended (or removed
  when the level is back to what it was), so each subject has at most one
  change a day;
- evaluating a date earlier than the last one recorded for a subject leaves
  it alone (an export for a past date never rewrites history).

Evaluating dates in order thus records each change once, on the first date
it is seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import OVERALL, PRIORITY, RiskChange, RiskLevel
from spmon.programme import Programme
from tasks.meetings import ScheduledMeeting, ServicePriority, load_meetings, meeting_schedule, raised_on
from tasks.risk_facts import ServiceRisk, evaluate_all

SubjectKey = tuple[str, str]  # (service_id, subject)


def subject_levels(risk: ServiceRisk) -> Iterator[tuple[str, str, str]]:
    """(subject, level, detail) of every clause, then ``overall`` and ``priority``."""
    for result in risk.results:
        yield result.clause, result.level, result.detail
    at_level = [r.clause for r in risk.results if r.level == risk.overall]
    yield OVERALL, risk.overall, f"{risk.overall}: {', '.join(at_level)}"
    yield PRIORITY, risk.priority, f"overall risk {risk.overall}"


def record_changes(session: Session, risks: Sequence[ServiceRisk], as_at: date) -> list[RiskChange]:
    """Record the levels of ``risks`` (evaluated as at ``as_at``); the changes newly added."""
    service_ids = [risk.service_id for risk in risks]
    held = _levels(session, service_ids)
    today = _changes_on(session, service_ids, as_at)
    added: list[RiskChange] = []
    for risk in risks:
        for subject, level, detail in subject_levels(risk):
            key = (risk.service_id, subject)
            change = _record_one(session, key, held.get(key), today.get(key), (level, detail), as_at)
            if change is not None:
                added.append(change)
    session.flush()
    return added


def evaluate_and_record(session: Session, programme: Programme, as_at: date) -> list[RiskChange]:
    """Judge every service as at the date and record what changed (the nightly risk step)."""
    return record_changes(session, evaluate_all(session, programme, as_at), as_at)


def _levels(session: Session, service_ids: Sequence[str]) -> dict[SubjectKey, RiskLevel]:
    statement = select(RiskLevel).where(col(RiskLevel.service_id).in_(list(service_ids)))
    return {(row.service_id, row.subject): row for row in session.execute(statement).scalars()}


def _changes_on(session: Session, service_ids: Sequence[str], day: date) -> dict[SubjectKey, RiskChange]:
    statement = select(RiskChange).where(
        col(RiskChange.service_id).in_(list(service_ids)), col(RiskChange.changed_on) == day
    )
    return {(row.service_id, row.subject): row for row in session.execute(statement).scalars()}


def _record_one(
    session: Session,
    key: SubjectKey,
    held: RiskLevel | None,
    today: RiskChange | None,
    new: tuple[str, str],
    as_at: date,
) -> RiskChange | None:
    """Bring one subject's level and history up to the as-at date; the change added, if any."""
    if held is not None and as_at < held.evaluated_on:
        return None
    level, detail = new
    added = None
    if today is not None:
        since = _amend(session, key, today, new, as_at)
    elif held is None or held.level != level:
        added = RiskChange(
            service_id=key[0],
            subject=key[1],
            from_level=held.level if held else None,
            to_level=level,
            changed_on=as_at,
            detail=detail,
        )
        session.add(added)
        since = as_at
    else:
        since = held.since
    _write_level(session, key, held, new, since, as_at)
    return added


def _amend(session: Session, key: SubjectKey, today: RiskChange, new: tuple[str, str], as_at: date) -> date:
    """Re-evaluating a day that already has a change: amend it, or remove it; the level's since date."""
    level, detail = new
    if level == today.from_level:
        session.delete(today)
        session.flush()
        return _latest_change_day(session, key, before=as_at) or as_at
    today.to_level, today.detail = level, detail
    session.add(today)
    return as_at


def _latest_change_day(session: Session, key: SubjectKey, before: date) -> date | None:
    statement = select(col(RiskChange.changed_on)).where(
        col(RiskChange.service_id) == key[0],
        col(RiskChange.subject) == key[1],
        col(RiskChange.changed_on) < before,
    )
    return max(session.execute(statement).scalars(), default=None)


def _write_level(
    session: Session, key: SubjectKey, held: RiskLevel | None, new: tuple[str, str], since: date, as_at: date
) -> None:
    row = held or RiskLevel(service_id=key[0], subject=key[1], level=new[0], since=since, evaluated_on=as_at)
    row.level, row.detail, row.since, row.evaluated_on = new[0], new[1], since, as_at
    session.add(row)


# The meeting schedule from the priorities -------------------------------------------------------


PriorityChange = tuple[date, str | None, str]  # (day, from, to)


def priority_changes(session: Session, service_ids: Sequence[str]) -> dict[str, list[PriorityChange]]:
    """Each service's recorded priority changes ``(day, from, to)`` in date order."""
    statement = (
        select(RiskChange)
        .where(col(RiskChange.service_id).in_(list(service_ids)), col(RiskChange.subject) == PRIORITY)
        .order_by(col(RiskChange.changed_on))
    )
    changes: dict[str, list[PriorityChange]] = {}
    for row in session.execute(statement).scalars():
        changes.setdefault(row.service_id, []).append((row.changed_on, row.from_level, row.to_level))
    return changes


def service_priorities(session: Session, risks: Sequence[ServiceRisk], as_at: date) -> list[ServicePriority]:
    """Each service's priority as at the date and the day it rose to it (from the recorded changes)."""
    changes = priority_changes(session, [risk.service_id for risk in risks])
    return [
        ServicePriority(
            risk.service_id,
            risk.provider_id,
            risk.priority,
            raised_on(changes.get(risk.service_id, []), risk.priority, as_at),
        )
        for risk in risks
    ]


def schedule_as_at(
    session: Session, programme: Programme, risks: Sequence[ServiceRisk], as_at: date
) -> list[ScheduledMeeting]:
    """The next meeting each service should have, at its priority's interval (programme file)."""
    meetings = load_meetings(session)
    priorities = service_priorities(session, risks, as_at)
    return meeting_schedule(priorities, meetings, programme.meeting_interval_months, as_at)
