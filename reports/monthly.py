"""The monthly reports (``reports.md``, Monthly 1-3): built from plain data, no database.

- :func:`contracts_update_report`: every service with a Medium or High
  clause as at the month's end (clause, detail, since when), what changed in
  the month (new, escalated, reduced, resolved), and the RED services.
- :func:`meeting_schedule_report`: meetings planned and completed in the
  month and the year to date, compliance, meetings overdue, and meetings due
  next month by priority.
- :func:`returns_status_report`: PI returns received in the month by status,
  returns waiting for resubmission, non-returns, QAFs due, received, late and
  outstanding, validation visits to arrange, D-grade improvement plans and
  re-validations due.

``reports.gather`` fills the inputs from the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.risk_tables import PRIORITIES, RED
from reports.inputs import AT_RISK, LEVEL_RANK, ClauseRow, RiskChangeRow, ServiceRiskRow
from reports.model import Chart, Column, Report, Section, Table, attribute_rows
from reports.periods import first_of_month, last_of_month, month_label, month_period
from tasks.chasing import AwaitingResubmission, NonReturn

MONTHLY_AUDIENCE = "the Core Strategy Group"


def counted(number: int, noun: str) -> str:
    """``1 service``, ``2 services``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _report(kind: str, title: str, month: date, as_at: date, sections: tuple[Section, ...]) -> Report:
    return Report(
        kind=kind,
        title=title,
        period=month_period(month),
        period_label=month_label(month),
        as_at=as_at,
        sections=sections,
        audience=MONTHLY_AUDIENCE,
    )


# Contracts Update --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractsUpdateInput:
    """Clauses and services as at the as-at date, and the changes recorded in the month."""

    month: date
    as_at: date
    clauses: tuple[ClauseRow, ...]  # every clause of every service (Low ones are left out)
    changes: tuple[RiskChangeRow, ...]  # changes recorded in the month, up to the as-at date
    services: tuple[ServiceRiskRow, ...]


def contracts_update_report(data: ContractsUpdateInput) -> Report:
    """The Contracts Update for the CSG."""
    at_risk = sorted(
        (c for c in data.clauses if c.level in AT_RISK),
        key=lambda c: (-LEVEL_RANK[c.level], c.service_id, c.clause),
    )
    changes = sorted(data.changes, key=lambda c: (c.changed_on, c.service_id, c.subject))
    red = sorted((s for s in data.services if s.priority == RED), key=lambda s: s.service_id)
    services = {c.service_id for c in at_risk}
    highs, mediums = sum(c.level == "High" for c in at_risk), sum(c.level == "Medium" for c in at_risk)
    sentence = (
        f"As at {data.as_at.isoformat()}, {counted(len(services), 'service')} "
        f"{'has' if len(services) == 1 else 'have'} a Medium or High clause "
        f"({highs} High, {mediums} Medium); "
        f"{counted(len(red), 'service')} {'is' if len(red) == 1 else 'are'} RED."
    )
    counts = Counter(c.change for c in changes)
    changed = (
        f"In {month_label(data.month)}: {counts['new']} new, {counts['escalated']} escalated, "
        f"{counts['reduced']} reduced and {counts['resolved']} resolved."
    )
    sections = (
        Section("Medium and High clauses", tables=(_clauses_table(at_risk),), paragraphs=(sentence,)),
        Section("What changed in the month", tables=(_changes_table(changes),), paragraphs=(changed,)),
        Section("RED services", tables=(_red_table(red),)),
    )
    return _report("contracts-update", "Contracts Update", data.month, data.as_at, sections)


def _clauses_table(clauses: list[ClauseRow]) -> Table:
    return Table(
        sheet="Medium and High clauses",
        title="Services with a Medium or High clause",
        columns=(
            Column("service_id", "Service ID"),
            Column("service_name", "Service"),
            Column("provider_id", "Provider ID"),
            Column("clause", "Clause"),
            Column("level", "Level"),
            Column("detail", "Detail"),
            Column("since", "Since", "date"),
        ),
        rows=attribute_rows(
            clauses, "service_id", "service_name", "provider_id", "clause", "level", "detail", "since"
        ),
        note="Since: the first day the clause was seen at this level (blank where the recorded history "
        "does not show it).",
        empty="No service has a Medium or High clause.",
    )


def _changes_table(changes: list[RiskChangeRow]) -> Table:
    return Table(
        sheet="Changes",
        title="Changes of level recorded in the month",
        columns=(
            Column("changed_on", "Date", "date"),
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            Column("subject", "Clause"),
            Column("change", "Change"),
            Column("movement", "From and to"),
            Column("detail", "Detail"),
        ),
        rows=attribute_rows(
            changes, "changed_on", "service_id", "provider_id", "subject", "change", "movement", "detail"
        ),
        empty="No change of level was recorded in the month.",
    )


def _red_table(red: list[ServiceRiskRow]) -> Table:
    return Table(
        sheet="RED services",
        title="RED services (a High clause)",
        columns=(
            Column("service_id", "Service ID"),
            Column("service_name", "Service"),
            Column("provider_id", "Provider ID"),
            Column("high_clauses", "High clauses"),
            Column("since", "RED since", "date"),
        ),
        rows=tuple(
            {
                "service_id": s.service_id,
                "service_name": s.service_name,
                "provider_id": s.provider_id,
                "high_clauses": ", ".join(s.high_clauses),
                "since": s.since,
            }
            for s in red
        ),
        empty="No service is RED.",
    )


# Meeting schedule --------------------------------------------------------------------------------


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
class ScheduledRow:
    """When a service's next meeting is due at its priority's interval."""

    service_id: str
    provider_id: str
    priority: str
    interval_months: int
    last_completed: date | None
    due: date
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
    overdue: tuple[MeetingRow, ...]
    due_next_month: tuple[ScheduledRow, ...]


def _percent_text(figures: MeetingFigures) -> str:
    return "no value (nothing planned)" if figures.percent is None else f"{figures.percent:.1f}%"


def meeting_schedule_report(data: MeetingScheduleInput) -> Report:
    """The meeting schedule and its compliance."""
    figures = (
        f"{data.month_figures.period}: {data.month_figures.completed} of {data.month_figures.planned} "
        f"planned meetings completed, compliance {_percent_text(data.month_figures)}. "
        f"{data.year_figures.period}: {data.year_figures.completed} of {data.year_figures.planned}, "
        f"compliance {_percent_text(data.year_figures)}."
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
                _meetings_table(
                    "Overdue", f"Meetings overdue as at {data.as_at.isoformat()}", data.overdue, data.as_at
                ),
            ),
        ),
        Section(
            "Due next month",
            tables=(_by_priority_table(data), _due_table(data)),
            paragraphs=(
                "Each service's next meeting at its priority's interval from its provider's last completed "
                "meeting (RED 3, AMBER 6, GREEN 12 months unless the programme file says otherwise).",
            ),
        ),
    )
    return _report("meeting-schedule", "Meeting schedule and compliance", data.month, data.as_at, sections)


def _figures_row(figures: MeetingFigures) -> dict[str, Any]:
    return {
        "period": figures.period,
        "planned": figures.planned,
        "completed": figures.completed,
        "percent": figures.percent,
    }


_FIGURE_COLUMNS = (
    Column("period", "Period"),
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
        columns=(
            Column("provider_id", "Provider ID"),
            Column("provider_name", "Provider"),
            Column("planned_date", "Planned", "date"),
            Column("replanned_from", "First planned for", "date"),
            Column("completed_date", "Completed", "date"),
            Column("officer", "Officer"),
            Column("days_overdue", "Days overdue", "int"),
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
        columns=(
            Column("priority", "Priority"),
            Column("services", "Services", "int"),
            Column("providers", "Providers", "int"),
        ),
        rows=tuple(rows),
    )


def _due_table(data: MeetingScheduleInput) -> Table:
    return Table(
        sheet="Due next month",
        title="Services whose next meeting is due by the end of next month (any already due included)",
        columns=(
            Column("priority", "Priority"),
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            Column("due", "Due", "date"),
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
                "interval": r.interval_months,
                "last_completed": r.last_completed,
                "planned": r.planned,
            }
            for r in sorted(data.due_next_month, key=_priority_order)
        ),
        empty="No meeting falls due next month.",
    )


# Returns status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedRow:
    """A PI register row received in the month, with its status as at the as-at date."""

    received_on: date
    source_file: str
    service_id: str
    year: str
    quarter: str  # blank for a file-level row
    status: str
    reasons: str


@dataclass(frozen=True)
class QafStatusRow:
    """A provider's QAF of the year: when it is due (from its meetings) and when it came."""

    provider_id: str
    provider_name: str
    year: str
    meeting_date: date | None
    due: date | None
    received_on: date | None

    def status(self, as_at: date) -> str:
        """``received on time``, ``received late``, ``outstanding``, ``not yet due`` or ``no due date``."""
        if self.received_on is not None:
            if self.due is not None and self.received_on > self.due:
                return "received late"
            return "received on time" if self.due is not None else "received"
        if self.due is None:
            return "no due date"
        return "outstanding" if as_at > self.due else "not yet due"

    def days_past_due(self, as_at: date) -> int | None:
        """Days an outstanding QAF is past its due date."""
        if self.received_on is not None or self.due is None or as_at <= self.due:
            return None
        return (as_at - self.due).days


@dataclass(frozen=True)
class VisitRow:
    """An accepted QAF whose review decided a validation visit, not yet held (no grade agreed by visit)."""

    provider_id: str
    year: str
    service_ids: str
    received_on: date
    reasons: str


@dataclass(frozen=True)
class DGradeRow:
    """An agreed D grade and where its improvement plan and re-validation stand as at the date."""

    provider_id: str
    year: str
    service_ids: str
    objective: str
    date_agreed: date
    plan_due: date
    plan_received: date | None
    revalidation_due: date | None
    state: str


@dataclass(frozen=True)
class ReturnsStatusInput:
    """What the returns status report lists."""

    month: date
    as_at: date
    received: tuple[ReceivedRow, ...]
    awaiting: tuple[AwaitingResubmission, ...]
    non_returns: tuple[NonReturn, ...]
    qafs: tuple[QafStatusRow, ...]
    visits: tuple[VisitRow, ...]
    d_grades: tuple[DGradeRow, ...]


def returns_status_report(data: ReturnsStatusInput) -> Report:
    """The returns status report."""
    first, last = first_of_month(data.month), last_of_month(data.month)
    qaf_due = [q for q in data.qafs if q.due is not None and first <= q.due <= last]
    qaf_received = [q for q in data.qafs if q.received_on is not None and first <= q.received_on <= last]
    qaf_late = [q for q in qaf_received if q.status(data.as_at) == "received late"]
    qaf_outstanding = [q for q in data.qafs if q.status(data.as_at) == "outstanding"]
    sections = (
        Section(
            "PI returns received in the month",
            tables=(_received_by_status(data), _received_table(data)),
        ),
        Section(
            "Returns to chase",
            tables=(_awaiting_table(data), _non_returns_table(data)),
        ),
        Section(
            "QAF returns",
            tables=(_qaf_table(data), _visits_table(data), _d_grades_table(data)),
            paragraphs=(
                f"In {month_label(data.month)}: {len(qaf_due)} QAFs due, {len(qaf_received)} received "
                f"({len(qaf_late)} late); {len(qaf_outstanding)} outstanding past their due date as at "
                f"{data.as_at.isoformat()}.",
            ),
        ),
    )
    return _report("returns-status", "Returns status", data.month, data.as_at, sections)


def _received_by_status(data: ReturnsStatusInput) -> Table:
    counts = Counter(r.status for r in data.received)
    order = ("accepted", "returned", "superseded", "duplicate", "quarantined")
    statuses = [s for s in order if s in counts] + sorted(set(counts) - set(order))
    return Table(
        sheet="Received by status",
        title="PI returns received in the month, by status",
        columns=(Column("status", "Status"), Column("count", "Returns", "int")),
        rows=tuple({"status": s, "count": counts[s]} for s in statuses),
        note="One per quarter read from a file, or per file that yielded no quarter; status as at the "
        "as-at date.",
        charts=(Chart("PI returns received in the month", "status", ("count",), kind="bar"),)
        if statuses
        else (),
        empty="No PI return was received in the month.",
    )


def _received_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="Received",
        title="Each PI return received in the month",
        columns=(
            Column("received_on", "Received", "date"),
            Column("source_file", "File"),
            Column("service_id", "Service ID"),
            Column("year", "Year"),
            Column("quarter", "Quarter"),
            Column("status", "Status"),
            Column("reasons", "Reasons"),
        ),
        rows=attribute_rows(
            data.received, "received_on", "source_file", "service_id", "year", "quarter", "status", "reasons"
        ),
        empty="No PI return was received in the month.",
    )


def _awaiting_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="Awaiting resubmission",
        title="Returns waiting for resubmission",
        columns=(
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            Column("year", "Year"),
            Column("quarter", "Quarter"),
            Column("returned_on", "Returned on", "date"),
            Column("days_waiting", "Days waiting", "int"),
        ),
        rows=attribute_rows(
            data.awaiting, "service_id", "provider_id", "year", "quarter", "returned_on", "days_waiting"
        ),
        empty="No return is waiting for resubmission.",
    )


def _non_returns_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="Non-returns",
        title="Non-returns (deadline passed, nothing received)",
        columns=(
            Column("service_id", "Service ID"),
            Column("provider_id", "Provider ID"),
            Column("year", "Year"),
            Column("quarter", "Quarter"),
            Column("deadline", "Deadline", "date"),
            Column("days_past", "Days past deadline", "int"),
        ),
        rows=attribute_rows(
            data.non_returns, "service_id", "provider_id", "year", "quarter", "deadline", "days_past"
        ),
        empty="No non-returns.",
    )


def _qaf_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="QAFs",
        title="QAF returns of the year: due, received, late and outstanding",
        columns=(
            Column("provider_id", "Provider ID"),
            Column("provider_name", "Provider"),
            Column("year", "Year"),
            Column("meeting_date", "Meeting it prepares", "date"),
            Column("due", "Due", "date"),
            Column("received_on", "Received", "date"),
            Column("status", "Status"),
            Column("days_past_due", "Days past due", "int"),
        ),
        rows=tuple(
            {
                "provider_id": q.provider_id,
                "provider_name": q.provider_name,
                "year": q.year,
                "meeting_date": q.meeting_date,
                "due": q.due,
                "received_on": q.received_on,
                "status": q.status(data.as_at),
                "days_past_due": q.days_past_due(data.as_at),
            }
            for q in data.qafs
        ),
        note="Due six weeks before the provider's contract-management meeting; no due date until a meeting "
        "is planned.",
    )


def _visits_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="Visits to arrange",
        title="Validation visits to arrange",
        columns=(
            Column("provider_id", "Provider ID"),
            Column("year", "Year"),
            Column("service_ids", "Services"),
            Column("received_on", "QAF received", "date"),
            Column("reasons", "Why a visit"),
        ),
        rows=attribute_rows(data.visits, "provider_id", "year", "service_ids", "received_on", "reasons"),
        empty="No validation visit to arrange.",
    )


def _d_grades_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="D grades",
        title="D-grade improvement plans and re-validations due",
        columns=(
            Column("provider_id", "Provider ID"),
            Column("year", "Year"),
            Column("service_ids", "Services"),
            Column("objective", "Objective"),
            Column("date_agreed", "D agreed on", "date"),
            Column("plan_due", "Plan due", "date"),
            Column("plan_received", "Plan received", "date"),
            Column("revalidation_due", "Re-validation due", "date"),
            Column("state", "Where it stands"),
        ),
        rows=tuple(
            {
                "provider_id": d.provider_id,
                "year": d.year,
                "service_ids": d.service_ids,
                "objective": d.objective,
                "date_agreed": d.date_agreed,
                "plan_due": d.plan_due,
                "plan_received": d.plan_received,
                "revalidation_due": d.revalidation_due,
                "state": d.state.replace("_", " "),
            }
            for d in data.d_grades
        ),
        empty="No D-grade improvement plan or re-validation is pending.",
    )
