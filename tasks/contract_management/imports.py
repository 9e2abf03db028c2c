"""Officers' contract-management imports: meetings and actions (``interface.md``). All or nothing.

Every problem names the file, the row and the column; a file with any bad
row imports nothing. Providers and services must be in the contract records
(of any year). Importing the same file again changes nothing.

**Meetings** (``provider_id,planned_date,completed_date,officer``) are keyed by
provider and planned date. A provider has one *open* meeting (not completed)
at a time: its next meeting. Re-planning moves it. For each provider in the
file:

1. each completed row updates the meeting with that planned date; failing
   that, it completes the provider's open meeting when that was planned on or
   before the row's planned date (re-planned to it); failing that, it is a
   meeting of its own;
2. the provider's latest open row is its next meeting, unless a completed row
   of the file is planned after it (then it was held and is already
   recorded): it updates the meeting with that planned date, or re-plans the
   provider's open meeting to that date, or is added. Earlier open rows of
   the file are plans since moved, and are not kept.

A blank ``completed_date`` never clears a completion already recorded (an
older copy of the file imported again changes nothing), nor a blank
``officer`` the officer recorded. A re-planned meeting keeps the date it was
first planned for in ``replanned_from``; it counts as planned in the month of
its latest date.

An optional ``replanned_on`` column (our choice: ``interface.md`` gives the
four columns above, but ``qaf.md``'s "Which meeting" needs to know whether a
re-plan came before or after the QAF's due date) is the day the row's
re-plan was made. It is kept on a meeting that has been re-planned
(``Meeting.replanned_on``, read by the QAF timetable in ``meetings``); on a
meeting never re-planned it means nothing and is not kept. A blank never
clears a day recorded: a later re-plan with no day keeps the earlier one,
the earliest it can have been made. Re-plans with no day at all count as
made before the due date.

**Actions** (``provider_id,service_id,description,owner,target_date,closed_on``,
and an optional ``validated_by``) are keyed by provider, service and
description: importing an action again updates its owner, target date,
closed date and validator. A blank ``service_id`` is an action for every
service of the provider.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import (
    ACTION_COLUMNS,
    ACTION_OPTIONAL_COLUMNS,
    MEETING_COLUMNS,
    Action,
    Meeting,
)
from tasks.common.contract_records import required_text
from tasks.common.import_rows import optional_date, optional_text, read_known_rows, required_date

Record = dict[str, Any]
MEETING_OPTIONAL_COLUMNS: tuple[str, ...] = ("replanned_on",)  # the day a re-plan was made


def import_meetings(session: Session, path: Path) -> int:
    """Load contract-management meetings (rules above); the number of rows read."""
    readers: dict[str, Callable[[Any], Any]] = {
        "provider_id": required_text,
        "planned_date": required_date,
        "completed_date": optional_date,
        "officer": optional_text,
        "replanned_on": optional_date,
    }
    columns = (MEETING_COLUMNS, MEETING_OPTIONAL_COLUMNS)
    key = (("provider_id", "planned_date"), "provider and planned date")
    records = read_known_rows(session, path, columns, readers, Meeting, key)
    held = _meetings_of(session, {r["provider_id"] for r in records})
    for provider_id, mine in _by_provider(records).items():
        for meeting in apply_meeting_rows(held.get(provider_id, []), mine, provider_id):
            session.add(meeting)
    session.flush()
    return len(records)


def import_actions(session: Session, path: Path) -> int:
    """Upsert improvement-plan actions by provider, service and description; the number of actions."""
    readers: dict[str, Callable[[Any], Any]] = {
        "provider_id": required_text,
        "service_id": optional_text,
        "description": required_text,
        "owner": required_text,
        "target_date": required_date,
        "closed_on": optional_date,
        "validated_by": optional_text,
    }
    unique = (("provider_id", "service_id", "description"), "provider, service and description")
    records = read_known_rows(
        session, path, (ACTION_COLUMNS, ACTION_OPTIONAL_COLUMNS), readers, Action, unique
    )
    keys = [(r["provider_id"], r["service_id"], r["description"]) for r in records]
    held = {
        (a.provider_id, a.service_id, a.description): a for a in session.execute(select(Action)).scalars()
    }
    for key, record in zip(keys, records, strict=True):
        action = held.get(key) or Action(**record)
        for name, value in record.items():
            setattr(action, name, value)
        session.add(action)
    session.flush()
    return len(records)


# Applying meeting rows -------------------------------------------------------------------------


def apply_meeting_rows(held: list[Meeting], rows: Sequence[Record], provider_id: str) -> list[Meeting]:
    """Apply one provider's rows to its meetings (``held`` is updated); the meetings added or changed."""
    touched: list[Meeting] = []
    completed = sorted((r for r in rows if r["completed_date"] is not None), key=lambda r: r["planned_date"])
    for row in completed:
        touched.append(_apply_completed(held, row, provider_id))
    open_rows = [r for r in rows if r["completed_date"] is None]
    latest = max(open_rows, key=lambda r: r["planned_date"], default=None)
    if latest is not None and all(r["planned_date"] < latest["planned_date"] for r in completed):
        touched.append(_apply_next(held, latest, provider_id))
    return touched


def _at(held: list[Meeting], row: Record) -> Meeting | None:
    return next((m for m in held if m.planned_date == row["planned_date"]), None)


def _open_meeting(held: list[Meeting], on_or_before: date | None = None) -> Meeting | None:
    """The provider's open meeting (latest planned), optionally planned on or before a date."""
    candidates = [m for m in held if m.completed_date is None]
    if on_or_before is not None:
        candidates = [m for m in candidates if m.planned_date <= on_or_before]
    return max(candidates, key=lambda m: m.planned_date, default=None)


def _replan(meeting: Meeting, row: Record) -> None:
    if meeting.planned_date != row["planned_date"]:
        meeting.replanned_from = meeting.replanned_from or meeting.planned_date
        meeting.planned_date = row["planned_date"]
    if row.get("replanned_on") is not None and meeting.replanned_from is not None:
        meeting.replanned_on = row["replanned_on"]


def _apply_completed(held: list[Meeting], row: Record, provider_id: str) -> Meeting:
    meeting = _at(held, row) or _open_meeting(held, on_or_before=row["planned_date"])
    if meeting is None:
        meeting = Meeting(provider_id=provider_id, planned_date=row["planned_date"])
        held.append(meeting)
    _replan(meeting, row)
    meeting.completed_date, meeting.officer = row["completed_date"], row["officer"] or meeting.officer
    return meeting


def _apply_next(held: list[Meeting], row: Record, provider_id: str) -> Meeting:
    meeting = _at(held, row) or _open_meeting(held)
    if meeting is None:
        meeting = Meeting(provider_id=provider_id, planned_date=row["planned_date"])
        held.append(meeting)
    _replan(meeting, row)
    meeting.officer = row["officer"] or meeting.officer
    return meeting


def _meetings_of(session: Session, providers: set[str]) -> dict[str, list[Meeting]]:
    statement = select(Meeting).where(col(Meeting.provider_id).in_(sorted(providers)))
    held: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in session.execute(statement).scalars():
        held[meeting.provider_id].append(meeting)
    return held


def _by_provider(records: Sequence[Record]) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        groups[record["provider_id"]].append(record)
    return groups


# Reading and checking --------------------------------------------------------------------------
