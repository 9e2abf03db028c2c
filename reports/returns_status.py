"""The returns status (``reports.md``, Monthly 3).

PI returns received in the month by status, returns waiting for
resubmission, non-returns, QAFs due, received, late and outstanding,
validation visits to arrange, D-grade improvement plans and re-validations due.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from data_contracts.reason_words import in_words
from reports.columns import attribute_table, columns
from reports.model import Chart, Column, Report, Section, Table, attribute_rows
from reports.monthly_frame import listed, monthly_report
from reports.pack_feedback import open_items_table
from reports.periods import first_of_month, last_of_month, month_label
from tasks.contract_management.chasing import AwaitingResubmission, NonReturn
from tasks.feedback.due import DueItem


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
    """A provider's QAF of the year: when it is due (from its meetings), when it came and where it stands.

    ``current_status`` is the status of its current QAF as at the date
    (``returned`` when any of its current QAFs is), ``reasons`` the returned
    one's reasons in plain words.
    """

    provider_id: str
    provider_name: str
    year: str
    meeting_date: date | None
    due: date | None
    received_on: date | None
    current_status: str | None = None
    reasons: str = ""

    def is_late(self) -> bool:
        """First received after its due date."""
        return self.received_on is not None and self.due is not None and self.received_on > self.due

    def status(self, as_at: date) -> str:
        """Where it stands: ``returned (reasons)``, ``accepted[, received late]``, ``outstanding``..."""
        if self.received_on is None:
            if self.due is None:
                return "no QAF due (no meeting planned from 1 July)"
            return "outstanding" if as_at > self.due else "not yet due"
        late = ", received late" if self.is_late() else ""
        if self.current_status == "returned":
            return f"returned ({self.reasons}){late}" if self.reasons else f"returned{late}"
        if self.current_status == "accepted":
            return f"accepted{late}"
        return f"received{late}"

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
class ExtendedRow:
    """A quarter whose deadline has passed but whose agreed extension runs, with nothing received yet."""

    service_id: str
    provider_id: str
    year: str
    quarter: str
    deadline: date  # the programme's deadline
    until: date  # the agreed extension

    @property
    def state(self) -> str:
        """``extended to 2025-11-07``."""
        return f"extended to {self.until.isoformat()}"


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
    extended: tuple[ExtendedRow, ...] = ()
    feedback_items: tuple[DueItem, ...] = ()  # open feedback and audit items (``reports.gather_feedback``)


def returns_status_report(data: ReturnsStatusInput) -> Report:
    """The returns status report."""
    first, last = first_of_month(data.month), last_of_month(data.month)
    qaf_due = [q for q in data.qafs if q.due is not None and first <= q.due <= last]
    qaf_received = [q for q in data.qafs if q.received_on is not None and first <= q.received_on <= last]
    qaf_late = [q for q in qaf_received if q.is_late()]
    qaf_outstanding = [q for q in data.qafs if q.status(data.as_at) == "outstanding"]
    qaf_returned = [q for q in data.qafs if q.current_status == "returned"]
    sections = (
        Section(
            "PI returns received in the month",
            tables=(_received_by_status(data), _received_table(data)),
        ),
        Section(
            "Returns to chase",
            tables=(_awaiting_table(data), _non_returns_table(data), _extended_table(data)),
            paragraphs=(
                f"As at {data.as_at.isoformat()}: {len(data.awaiting)} waiting for resubmission, "
                f"{len(data.non_returns)} not received past their deadline, {len(data.extended)} not yet "
                "received within an agreed extension (extended, not late).",
            ),
        ),
        Section(
            "QAF returns",
            tables=(_qaf_table(data), _visits_table(data), _d_grades_table(data)),
            paragraphs=(
                f"In {month_label(data.month)}: {len(qaf_due)} QAFs due, {len(qaf_received)} received "
                f"({len(qaf_late)} late); as at {data.as_at.isoformat()}, {len(qaf_outstanding)} outstanding "
                f"past their due date and {len(qaf_returned)} returned for resubmission.",
            ),
        ),
        Section(
            "Feedback and audits",
            tables=(open_items_table(data.feedback_items, data.as_at),),
            paragraphs=(f"As at {data.as_at.isoformat()}: {len(data.feedback_items)} open items.",),
        ),
    )
    headline = (
        f"As at {data.as_at.isoformat()}: {len(data.non_returns)} PI returns not received past their "
        f"deadline, {len(data.awaiting)} waiting for resubmission, "
        f"{len(data.extended)} within an agreed extension.",
        f"QAFs: {len(qaf_outstanding)} outstanding past their due date"
        + (f" ({listed([q.provider_id for q in qaf_outstanding])})" if qaf_outstanding else "")
        + f", {len(qaf_returned)} returned for resubmission"
        + (f" ({listed([q.provider_id for q in qaf_returned])})" if qaf_returned else "")
        + ".",
    )
    return monthly_report("returns-status", "Returns status", data.month, data.as_at, sections, headline)


def _received_by_status(data: ReturnsStatusInput) -> Table:
    counts = Counter(r.status for r in data.received)
    order = ("accepted", "returned", "superseded", "duplicate", "quarantined")
    statuses = [s for s in order if s in counts] + sorted(set(counts) - set(order))
    return Table(
        sheet="Received by status",
        title="PI returns received in the month, by status",
        columns=columns("status", Column("count", "Returns", "int")),
        rows=tuple({"status": s, "count": counts[s]} for s in statuses),
        note="One per quarter read from a file, or per file that yielded no quarter; status as at the "
        "as-at date.",
        charts=(Chart("PI returns received in the month", "status", ("count",), kind="bar"),)
        if statuses
        else (),
        empty="No PI return was received in the month.",
    )


# a service's quarter: the first columns of the tables of quarters
QUARTER_KEYS = ("service_id", "provider_id", "year", "quarter")


def _reasons_in_words(rows: tuple[dict[str, Any], ...]) -> tuple[dict[str, Any], ...]:
    """Reasons as a person reads them, their codes kept in a column of their own."""
    return tuple({**row, "reasons": in_words(row["reasons"]), "reason_codes": row["reasons"]} for row in rows)


def _received_table(data: ReturnsStatusInput) -> Table:
    return _reasons_table(
        "Received",
        "Each PI return received in the month",
        data.received,
        ("received_on", Column("source_file", "File"), "service_id", "year", "quarter", "status"),
        Column("reasons", "Reasons"),
        empty="No PI return was received in the month.",
    )


def _reasons_table(
    sheet: str,
    title: str,
    items: Iterable[Any],
    fields: tuple[str | Column, ...],
    reasons: Column,
    empty: str,
) -> Table:
    """A table of the items' fields, then their reasons in words and the reasons' codes."""
    shown = columns(*fields, reasons, "reason_codes")
    rows = _reasons_in_words(attribute_rows(items, *(column.key for column in shown[:-1])))
    return Table(sheet=sheet, title=title, columns=shown, rows=rows, empty=empty)


def _awaiting_table(data: ReturnsStatusInput) -> Table:
    return attribute_table(
        "Awaiting resubmission",
        "Returns waiting for resubmission",
        data.awaiting,
        (*QUARTER_KEYS, "returned_on", "days_waiting"),
        empty="No return is waiting for resubmission.",
    )


def _non_returns_table(data: ReturnsStatusInput) -> Table:
    return attribute_table(
        "Non-returns",
        "Non-returns (deadline passed, nothing received)",
        data.non_returns,
        (*QUARTER_KEYS, "deadline", Column("days_past", "Days past deadline", "int")),
        empty="No non-returns.",
    )


def _qaf_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="QAFs",
        title="QAF returns of the year: due, received, late and outstanding",
        columns=columns(
            "provider_id",
            "provider_name",
            "year",
            Column("meeting_date", "Meeting it prepares", "date"),
            "due",
            "received_on",
            "status",
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


def _extended_table(data: ReturnsStatusInput) -> Table:
    return attribute_table(
        "Extended",
        "Quarters past their deadline within an agreed extension, nothing received yet",
        data.extended,
        (*QUARTER_KEYS, "deadline", Column("until", "Extended to", "date"), "state"),
        empty="No quarter is waiting within an extension.",
    )


def _visits_table(data: ReturnsStatusInput) -> Table:
    return _reasons_table(
        "Visits to arrange",
        "Validation visits to arrange",
        data.visits,
        ("provider_id", "year", "service_ids", Column("received_on", "QAF received", "date")),
        Column("reasons", "Why a visit"),
        empty="No validation visit to arrange.",
    )


def _d_grades_table(data: ReturnsStatusInput) -> Table:
    return Table(
        sheet="D grades",
        title="D-grade improvement plans and re-validations due",
        columns=columns(
            "provider_id",
            "year",
            "service_ids",
            "objective",
            Column("date_agreed", "D agreed on", "date"),
            Column("plan_due", "Plan due", "date"),
            Column("plan_received", "Plan received", "date"),
            Column("revalidation_due", "Re-validation due", "date"),
            "state",
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
