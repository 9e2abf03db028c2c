"""The meeting schedule's input: compliance in the month and year, the month's meetings, overdue and due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.risk_tables import Meeting
from data_contracts.tables import ContractRecord
from foundation.programme import Programme
from reports.gather_risk import risk_state
from reports.meeting_schedule import MeetingFigures, MeetingRow, MeetingScheduleInput, ScheduledRow
from reports.model import row_from
from reports.periods import first_of_month, last_of_month, month_label
from tasks.calendar.dates import year_of, year_start
from tasks.contract_management.fact_rows import by_provider_id
from tasks.contract_management.facts import ServiceRisk
from tasks.contract_management.history import schedule_as_at
from tasks.contract_management.meetings import compliance_between, load_meetings


def provider_names(session: Session) -> dict[str, str]:
    """Each provider's name, from its latest contract record."""
    statement = select(ContractRecord).order_by(col(ContractRecord.year))
    return {c.provider_id: c.provider_name for c in session.execute(statement).scalars()}


def _meeting_row(meeting: Meeting, names: dict[str, str]) -> MeetingRow:
    return MeetingRow(
        provider_id=meeting.provider_id,
        provider_name=names.get(meeting.provider_id, ""),
        planned_date=meeting.planned_date,
        completed_date=meeting.completed_date,
        officer=meeting.officer,
        replanned_from=meeting.replanned_from,
    )


def _figures(meetings: Sequence[Meeting], period: str, first: date, last: date) -> MeetingFigures:
    found = compliance_between(meetings, first, last)
    return MeetingFigures(period, found.planned, found.completed)


def gather_meeting_schedule(
    session: Session,
    programme: Programme,
    month: date,
    as_at: date,
    risks: Sequence[ServiceRisk] | None = None,
) -> MeetingScheduleInput:
    """The month's and year's compliance, the month's and overdue meetings, and next month's due."""
    meetings = load_meetings(session)
    names = provider_names(session)
    first, last = first_of_month(month), last_of_month(month)
    year = year_of(first)
    year_first = date(year_start(year), 4, 1)
    by_month = []
    cursor = year_first
    while cursor <= first:
        by_month.append(_figures(meetings, month_label(cursor), cursor, last_of_month(cursor)))
        cursor += relativedelta(months=1)
    source, risks, history = risk_state(session, programme, as_at, risks)
    next_first = first + relativedelta(months=1)
    next_last = last_of_month(next_first)
    by_provider = by_provider_id(meetings)
    overdue: list[ScheduledRow] = []
    due: list[ScheduledRow] = []
    for scheduled in schedule_as_at(programme, source, risks, history, as_at):
        if scheduled.due > next_last:
            continue
        planned = open_meeting(by_provider.get(scheduled.provider_id, []), as_at)
        row = row_from(ScheduledRow, scheduled, planned=planned.planned_date if planned else None)
        (overdue if scheduled.is_overdue(as_at) else due).append(row)
    return MeetingScheduleInput(
        month=month,
        as_at=as_at,
        month_figures=_figures(meetings, month_label(month), first, last),
        year_figures=_figures(meetings, f"{year} to the end of {month_label(month)}", year_first, last),
        by_month=tuple(by_month),
        in_month=tuple(_meeting_row(m, names) for m in meetings if first <= m.planned_date <= last),
        overdue=tuple(overdue),
        due_next_month=tuple(due),
        next_month=month_label(next_first),
    )


def open_meeting(meetings: Sequence[Meeting], as_at: date) -> Meeting | None:
    """The provider's earliest meeting not completed by the as-at date (its next planned meeting)."""
    return min(
        (m for m in meetings if m.completed_date is None or m.completed_date > as_at),
        key=lambda m: m.planned_date,
        default=None,
    )
