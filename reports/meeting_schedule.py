"""The meeting schedule (``reports.md``, Monthly 2).

Meetings planned and completed in the month and the year to date,
compliance, meetings overdue, and meetings due next month by priority.

One truth for "overdue": a service's meeting is overdue when the meeting due
at its priority's interval (``tasks.contract_management.meetings.meeting_schedule``) is past due
on the as-at date without a completed meeting since; the summary counts the
rows of the tables beneath it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.risk_tables import PRIORITIES
from reports.columns import columns
from reports.model import Chart, Column, Report, Section, Table
from reports.monthly_frame import listed, monthly_report
from tasks.contract_management.meetings import ScheduledMeeting


@dataclass(frozen=True)
class MeetingFigures:
    """Meetings planned in a period and how many of them were completed by its end."""

    period: str  # ``October 2025``, ``2025/26 to date``
    planned: int
    completed: int

    @property
    def percent(self) -> float | None:
        """Compliance: completed / planned as a percentage; None when nothing was planned."""
        return 100 * self.completed / self.planned if self.planned else None


@dataclass(frozen=True)
class MeetingRow:
    """A contract-management meeting."""

    provider_id: str
    provider_name: str
    planned_date: date
    completed_date: date | None = None
    officer: str = ""
    replanned_from: date | None = None


@dataclass(frozen=True)
class ScheduledRow(ScheduledMeeting):
    """When a service's next meeting is due at its priority's interval, and the one planned."""

    planned: date | None = None  # the provider's next planned meeting, if any


@dataclass(frozen=True)
class MeetingScheduleInput:
    """The month's and the year's figures, the month's meetings, overdue meetings and next month's."""

    month: date
    as_at: date
    month_figures: MeetingFigures
    year_figures: MeetingFigures
    by_month: tuple[MeetingFigures, ...]  # each month of the year to date
    in_month: tuple[MeetingRow, ...]
    overdue: tuple[ScheduledRow, ...]  # due before the as-at date, no meeting completed since
    due_next_month: tuple[ScheduledRow, ...]  # due from the as-at date to the end of next month
    next_month: str = "next month"  # ``December 2025``


def _percent_text(figures: MeetingFigures) -> str:
    return "no value (nothing planned)" if figures.percent is None else f"{figures.percent:.1f}%"


def _services_text(rows: tuple[ScheduledRow, ...]) -> str:
    services = len(rows)
    providers = len({r.provider_id for r in rows})
    return (
        f"{services} service{'' if services == 1 else 's'} "
        f"({providers} provider{'' if providers == 1 else 's'})"
    )


def _by_priority_text(rows: tuple[ScheduledRow, ...]) -> str:
    return ", ".join(f"{p} {sum(r.priority == p for r in rows)}" for p in reversed(PRIORITIES))


def meeting_schedule_report(data: MeetingScheduleInput) -> Report:
    """The meeting schedule and its compliance."""
    figures = (
        f"{data.month_figures.period}: {data.month_figures.completed} of {data.month_figures.planned} "
        f"planned meetings completed, compliance {_percent_text(data.month_figures)}. "
        f"{data.year_figures.period}: {data.year_figures.completed} of {data.year_figures.planned}, "
        f"compliance {_percent_text(data.year_figures)}."
    )
    overdue = (
        f"Meetings overdue as at {data.as_at.isoformat()}: {_services_text(data.overdue)} whose meeting "
        f"at their priority's interval is past due with no meeting completed since "
        f"({_by_priority_text(data.overdue)})."
        if data.overdue
        else f"Meetings overdue as at {data.as_at.isoformat()}: none."
    )
    due = (
        f"Due by the end of {data.next_month}: {_services_text(data.due_next_month)} "
        f"({_by_priority_text(data.due_next_month)})."
    )
    sections = (
        Section(
            "Compliance",
            tables=(_compliance_table(data), _by_month_table(data)),
            paragraphs=(figures,),
        ),
        Section(
            "Meetings",
            tables=(
                _meetings_table(
                    "Meetings in the month", "Meetings planned in the month", data.in_month, data.as_at
                ),
                _scheduled_table(
                    "Overdue",
                    f"Meetings overdue as at {data.as_at.isoformat()} (due at the priority's interval, "
                    "no meeting completed since)",
                    data.overdue,
                    data.as_at,
                    "No meeting is overdue.",
                ),
            ),
            paragraphs=(overdue,),
        ),
        Section(
            "Due next month",
            tables=(
                _by_priority_table(data),
                _scheduled_table(
                    "Due next month",
                    f"Services whose next meeting falls due by the end of {data.next_month} "
                    "(not yet overdue)",
                    data.due_next_month,
                    data.as_at,
                    "No meeting falls due next month.",
                ),
            ),
            paragraphs=(
                due,
                "Each service's next meeting at its priority's interval from its provider's last completed "
                "meeting (RED 3, AMBER 6, GREEN 12 months unless the programme file says otherwise).",
            ),
        ),
    )
    overdue_ids = [r.service_id for r in sorted(data.overdue, key=_priority_order)]
    headline = (
        f"Meetings overdue as at {data.as_at.isoformat()}: {_services_text(data.overdue)}: "
        f"{listed(overdue_ids)}."
        if data.overdue
        else f"Meetings overdue as at {data.as_at.isoformat()}: none.",
        f"{data.month_figures.period}: compliance {_percent_text(data.month_figures)}.",
    )
    return monthly_report(
        "meeting-schedule", "Meeting schedule and compliance", data.month, data.as_at, sections, headline
    )


def _figures_row(figures: MeetingFigures) -> dict[str, Any]:
    return {
        "period": figures.period,
        "planned": figures.planned,
        "completed": figures.completed,
        "percent": figures.percent,
    }


_FIGURE_COLUMNS = columns(
    "period",
    Column("planned", "Planned", "int"),
    Column("completed", "Completed", "int"),
    Column("percent", "Compliance (%)", "percent"),
)


def _compliance_table(data: MeetingScheduleInput) -> Table:
    return Table(
        sheet="Compliance",
        title="Meetings planned and completed",
        columns=_FIGURE_COLUMNS,
        rows=(_figures_row(data.month_figures), _figures_row(data.year_figures)),
        note="Planned: meetings whose planned date falls in the period; completed: those of them completed "
        "by its end; compliance: completed / planned.",
    )


def _by_month_table(data: MeetingScheduleInput) -> Table:
    return Table(
        sheet="By month",
        title="Compliance month by month, year to date",
        columns=_FIGURE_COLUMNS,
        rows=tuple(_figures_row(f) for f in data.by_month),
        charts=(Chart("Meetings planned and completed", "period", ("planned", "completed"), kind="bar"),),
    )


def _meetings_table(sheet: str, title: str, meetings: tuple[MeetingRow, ...], as_at: date) -> Table:
    return Table(
        sheet=sheet,
        title=title,
        columns=columns(
            "provider_id",
            "provider_name",
            Column("planned_date", "Planned", "date"),
            Column("replanned_from", "First planned for", "date"),
            Column("completed_date", "Completed", "date"),
            Column("officer", "Officer"),
            "days_overdue",
        ),
        rows=tuple(
            {
                "provider_id": m.provider_id,
                "provider_name": m.provider_name,
                "planned_date": m.planned_date,
                "replanned_from": m.replanned_from,
                "completed_date": m.completed_date,
                "officer": m.officer,
                "days_overdue": _days_overdue(m, as_at),
            }
            for m in sorted(meetings, key=lambda m: (m.planned_date, m.provider_id))
        ),
        empty="None.",
    )


def _days_overdue(meeting: MeetingRow, as_at: date) -> int | None:
    completed = meeting.completed_date is not None and meeting.completed_date <= as_at
    return (as_at - meeting.planned_date).days if not completed and meeting.planned_date < as_at else None


def _priority_order(row: ScheduledRow) -> tuple[int, date, str]:
    return (-PRIORITIES.index(row.priority) if row.priority in PRIORITIES else 0, row.due, row.service_id)


def _by_priority_table(data: MeetingScheduleInput) -> Table:
    rows = []
    for priority in reversed(PRIORITIES):
        held = [r for r in data.due_next_month if r.priority == priority]
        rows.append(
            {"priority": priority, "services": len(held), "providers": len({r.provider_id for r in held})}
        )
    return Table(
        sheet="Due next month by priority",
        title="Meetings due next month by priority",
        columns=columns(
            "priority",
            "services",
            Column("providers", "Providers", "int"),
        ),
        rows=tuple(rows),
    )


def _scheduled_table(
    sheet: str, title: str, rows: tuple[ScheduledRow, ...], as_at: date, empty: str
) -> Table:
    return Table(
        sheet=sheet,
        title=title,
        columns=columns(
            "priority",
            "service_id",
            "provider_id",
            "due",
            "days_overdue",
            Column("interval", "Interval (months)", "int"),
            Column("last_completed", "Last meeting", "date"),
            Column("planned", "Next planned meeting", "date"),
        ),
        rows=tuple(
            {
                "priority": r.priority,
                "service_id": r.service_id,
                "provider_id": r.provider_id,
                "due": r.due,
                "days_overdue": (as_at - r.due).days if r.due < as_at else None,
                "interval": r.interval_months,
                "last_completed": r.last_completed,
                "planned": r.planned,
            }
            for r in sorted(rows, key=_priority_order)
        ),
        empty=empty,
    )
