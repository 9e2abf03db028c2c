"""Contract-management meetings: monthly compliance, overdue meetings, the schedule and the QAF timetable.

``risk.md`` (Meeting schedule and compliance, Priority) and ``qaf.md`` (a QAF is
issued three months before the provider's next contract-management meeting
and is due six weeks before it). The functions take any objects with a
meeting's attributes (``Meeting`` rows in practice), so they are plain to test.

- For a month, **planned** counts the meetings whose planned date falls in it,
  **completed** those of them completed on or before its last day, and
  **compliance** is completed / planned as a percentage (no value when
  nothing was planned). A re-planned meeting counts in the month of its
  latest planned date.
- A planned meeting is **past its date** when its planned date is before the
  date and it had not been completed by then (``overdue_meetings``). The
  reports' "meetings overdue" are services, not planned meetings: those whose
  next meeting at their priority's interval (below) is due before the date.
- A service's **next meeting** is due its priority's interval (programme file)
  after its provider's last completed meeting. When its priority rose, it is
  due at the new interval, or on the day the priority rose if that date had
  passed ("at once"). A service whose provider never had a meeting completed
  is due at once. A fall in priority lengthens the interval the same way.
- The **QAF of a year** (``qaf.md``, "Which meeting") prepares the provider's
  first meeting planned on or after 1 July of the year and before 1 July of
  the next; it is issued three months and due six weeks before that meeting.
  Holding the meeting, or planning later ones, never changes which meeting
  it is. Re-planning the meeting moves the QAF's dates only while it is not
  yet due: a meeting re-planned (``replanned_on``) after the due date its
  first planned date gave (``replanned_from``) keeps that due date, so a
  QAF never received stays outstanding. As at a day before a re-plan was
  recorded, the meeting stood at its first planned date. A re-plan with no
  recorded day (older rows) is taken as made before the first due date. No
  meeting in the window: no QAF due that year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, Protocol

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import PRIORITIES, Meeting
from foundation.programme import MeetingIntervals
from tasks.calendar.dates import year_of, year_start

QAF_ISSUE_MONTHS = 3
QAF_DUE_WEEKS = 6
PRIORITY_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


class MeetingLike(Protocol):
    """What these functions read of a meeting."""

    provider_id: str
    planned_date: date
    completed_date: date | None


class Compliance(NamedTuple):
    """Meetings planned and completed in a period, and the percentage (None when none planned)."""

    planned: int
    completed: int
    percent: float | None


def load_meetings(session: Session) -> list[Meeting]:
    """Every meeting held in the database, by provider and planned date."""
    statement = select(Meeting).order_by(col(Meeting.provider_id), col(Meeting.planned_date))
    return list(session.execute(statement).scalars())


def parse_month(text: str) -> date:
    """``2025-10`` -> the first day of that month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a month like 2025-10") from None


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month ``month`` falls in."""
    first = month.replace(day=1)
    return first, first + relativedelta(months=1) - timedelta(days=1)


def compliance_between(meetings: Iterable[MeetingLike], first: date, last: date) -> Compliance:
    """Meetings planned from ``first`` to ``last``, those completed by ``last``, and the percentage."""
    planned = [m for m in meetings if first <= m.planned_date <= last]
    completed = sum(1 for m in planned if m.completed_date is not None and m.completed_date <= last)
    percent = 100 * completed / len(planned) if planned else None
    return Compliance(len(planned), completed, percent)


def monthly_compliance(meetings: Iterable[MeetingLike], month: date) -> Compliance:
    """Compliance for the month ``month`` falls in."""
    return compliance_between(meetings, *month_bounds(month))


def year_to_date_compliance(meetings: Iterable[MeetingLike], month: date) -> Compliance:
    """Compliance from the start of the monitoring year (1 April) to the end of the month."""
    start = date(year_start(year_of(month)), 4, 1)
    return compliance_between(meetings, start, month_bounds(month)[1])


def is_completed(meeting: MeetingLike, as_at: date) -> bool:
    """Completed on or before the as-at date."""
    return meeting.completed_date is not None and meeting.completed_date <= as_at


def overdue_meetings(meetings: Iterable[MeetingLike], as_at: date) -> list[MeetingLike]:
    """Meetings planned before the as-at date and not completed by then, oldest first."""
    overdue = [m for m in meetings if m.planned_date < as_at and not is_completed(m, as_at)]
    return sorted(overdue, key=lambda m: (m.planned_date, m.provider_id))


def by_provider(meetings: Iterable[MeetingLike]) -> dict[str, list[MeetingLike]]:
    """Meetings grouped by provider, each group in order of planned date."""
    groups: dict[str, list[MeetingLike]] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda m: (m.provider_id, m.planned_date)):
        groups[meeting.provider_id].append(meeting)
    return dict(groups)


def last_completed(meetings: Iterable[MeetingLike], as_at: date) -> date | None:
    """The latest completion date on or before the as-at date."""
    days = [m.completed_date for m in meetings if m.completed_date is not None and m.completed_date <= as_at]
    return max(days, default=None)


def next_planned(meetings: Iterable[MeetingLike], as_at: date) -> MeetingLike | None:
    """The earliest meeting planned on or after the as-at date and not yet completed."""
    upcoming = [m for m in meetings if m.planned_date >= as_at and not is_completed(m, as_at)]
    return min(upcoming, key=lambda m: m.planned_date, default=None)


# The schedule by priority ----------------------------------------------------------------------


def interval_months(intervals: MeetingIntervals, priority: str) -> int:
    """Months between meetings at a priority (programme file)."""
    return int(getattr(intervals, priority))


def next_meeting_due(last_met: date | None, months: int, as_at: date, raised_on: date | None = None) -> date:
    """When the next meeting is due: ``months`` after the last one, or at once.

    ``raised_on`` is the day the priority rose to its present level, if it
    did: a due date before it becomes that day. Never met: at once (the day
    the priority rose, or the as-at date).
    """
    if last_met is None:
        return raised_on or as_at
    due = last_met + relativedelta(months=months)
    if raised_on is not None and due < raised_on:
        return raised_on
    return due


@dataclass(frozen=True)
class ServicePriority:
    """A service's priority as at a date, and the day it rose to it (None unless it rose)."""

    service_id: str
    provider_id: str
    priority: str
    raised_on: date | None = None


@dataclass(frozen=True)
class ScheduledMeeting:
    """When a service's next contract-management meeting is due."""

    service_id: str
    provider_id: str
    priority: str
    interval_months: int
    last_completed: date | None
    due: date

    def is_overdue(self, as_at: date) -> bool:
        """Due before the as-at date."""
        return self.due < as_at


def meeting_schedule(
    services: Iterable[ServicePriority],
    meetings: Iterable[MeetingLike],
    intervals: MeetingIntervals,
    as_at: date,
) -> list[ScheduledMeeting]:
    """Each service's next meeting date at its priority's interval, by service ID."""
    groups = by_provider(meetings)
    schedule = []
    for service in sorted(services, key=lambda s: s.service_id):
        months = interval_months(intervals, service.priority)
        last_met = last_completed(groups.get(service.provider_id, []), as_at)
        due = next_meeting_due(last_met, months, as_at, service.raised_on)
        schedule.append(
            ScheduledMeeting(service.service_id, service.provider_id, service.priority, months, last_met, due)
        )
    return schedule


def raised_on(changes: Sequence[tuple[date, str | None, str]], priority: str, as_at: date) -> date | None:
    """The day the priority rose to ``priority``, from recorded changes ``(day, from, to)`` in date order.

    A rise not yet recorded (the last recorded priority is lower) is dated the as-at date.
    """
    recorded = [change for change in changes if change[0] <= as_at]
    if not recorded:
        return None
    day, before, after = recorded[-1]
    if after != priority:
        return as_at if PRIORITY_RANK[priority] > PRIORITY_RANK[after] else None
    if before is not None and PRIORITY_RANK[after] > PRIORITY_RANK[before]:
        return day
    return None


# The QAF timetable -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QafTimetable:
    """A provider's QAF for a year: the meeting it prepares, when it is issued and when it is due."""

    provider_id: str
    year: str
    meeting_date: date
    issued: date
    due: date


def qaf_dates(meeting_date: date) -> tuple[date, date]:
    """Issued three months before the meeting, due six weeks before it."""
    issued = meeting_date - relativedelta(months=QAF_ISSUE_MONTHS)
    return issued, meeting_date - timedelta(weeks=QAF_DUE_WEEKS)


def qaf_window(year: str) -> tuple[date, date]:
    """The planned dates whose meeting a year's QAF can prepare: 1 July of the year to 30 June next."""
    start = year_start(year)
    return date(start, 7, 1), date(start + 1, 6, 30)


def planned_as_at(meeting: MeetingLike, as_at: date) -> date:
    """The date the meeting counts as planned for, for the QAF, as at a day.

    Its first planned date before its re-plan was recorded, or when it was
    re-planned after the QAF due date that first date gave (the QAF had
    fallen due: re-planning no longer moves it); else its planned date.
    """
    first: date | None = getattr(meeting, "replanned_from", None)
    if first is None or first == meeting.planned_date:
        return meeting.planned_date
    replanned_on: date | None = getattr(meeting, "replanned_on", None)
    if replanned_on is None:
        return meeting.planned_date
    if as_at < replanned_on or replanned_on > qaf_dates(first)[1]:
        return first
    return meeting.planned_date


def qaf_timetable(meetings: Iterable[MeetingLike], as_at: date) -> dict[str, QafTimetable]:
    """Each provider's QAF of the as-at date's year: the meeting it prepares, issue and due dates.

    The meeting is the provider's first planned in the year's window
    (``qaf_window``), each meeting taken at ``planned_as_at``; completed or not.
    """
    year = year_of(as_at)
    first, last = qaf_window(year)
    timetable: dict[str, QafTimetable] = {}
    for provider_id, held in by_provider(meetings).items():
        days = [day for m in held if first <= (day := planned_as_at(m, as_at)) <= last]
        if days:
            meeting_date = min(days)
            issued, due = qaf_dates(meeting_date)
            timetable[provider_id] = QafTimetable(provider_id, year, meeting_date, issued, due)
    return timetable


def qaf_change_days(meetings: Iterable[MeetingLike]) -> set[date]:
    """The days a QAF timetable can change other than 1 April: the days re-plans were recorded."""
    days: set[date] = set()
    for meeting in meetings:
        replanned_on: date | None = getattr(meeting, "replanned_on", None)
        if replanned_on is not None:
            days.add(replanned_on)
    return days
