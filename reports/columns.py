"""The column vocabulary of the reports: each field a person reads, with its heading and type, once.

A table names the fields it shows (``columns("service_id", "provider_id",
"year", "quarter")``); a column that reads differently in one table is
given as a :class:`~reports.model.Column` beside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reports.model import Column, Table, attribute_rows

VOCABULARY: dict[str, Column] = {
    column.key: column
    for column in (
        Column("service_id", "Service ID"),
        Column("service_name", "Service"),
        Column("service_ids", "Services"),
        Column("service_type", "Service type"),
        Column("client_group", "Client group"),
        Column("provider_id", "Provider ID"),
        Column("provider_name", "Provider"),
        Column("year", "Year"),
        Column("quarter", "Quarter"),
        Column("period", "Period"),
        Column("status", "Status"),
        Column("priority", "Priority", "rag"),
        Column("clause", "Clause"),
        Column("clause_code", "Clause code"),
        Column("level", "Level", "level"),
        Column("detail", "Detail"),
        Column("objective", "Objective"),
        Column("pi", "PI"),
        Column("trigger", "Trigger", "number"),
        Column("breaches", "Breaches"),
        Column("breaching", "Services breaching", "int"),
        Column("services", "Services", "int"),
        Column("since", "Since", "date"),
        Column("due", "Due", "date"),
        Column("deadline", "Deadline", "date"),
        Column("received_on", "Received", "date"),
        Column("source_file", "Source file"),
        Column("received_at", "Received (UTC)", "datetime"),
        Column("reason_codes", "Reason codes"),
        Column("state", "Where it stands"),
        Column("returned_on", "Returned on", "date"),
        Column("days_waiting", "Days waiting", "int"),
        # feedback (reports.feedback_summary, reports.pack_feedback)
        *(Column(key, label) for key, label in (("method", "Method"), ("consultation_id", "Consultation"),
                                                ("warnings", "Warnings"), ("report_late", "Report late"),
                                                ("kind", "Item"), ("reference", "Reference"),
                                                ("kind_code", "Item code"))),
        *(Column(key, label, "int") for key, label in (
            ("consultations", "Consultations"), ("contacted", "Service users contacted"),
            ("responses", "Responses"), ("on_time", "Reports sent on time"),
            ("adverse_feedback", "Adverse feedback"), ("complaints", "Complaints raised"),
            ("service_users", "Service users"), ("minimum", "Minimum to contact"), ("replies", "Replies"),
            ("adverse", "Adverse replies"), ("days_overdue", "Days overdue"))),
        *(Column(key, label, "date") for key, label in (
            ("held_on", "Held (closed) on"), ("report_due", "Report due"),
            ("report_sent_on", "Report sent"))),
        Column("response_rate", "Response rate (%)", "percent"),
    )
}  # fmt: skip


def columns(*fields: str | Column) -> tuple[Column, ...]:
    """The columns of a table: fields of the vocabulary by key, or columns given as they are."""
    return tuple(VOCABULARY[field] if isinstance(field, str) else field for field in fields)


def attribute_table(
    sheet: str, title: str, items: Iterable[Any], fields: tuple[str | Column, ...], empty: str
) -> Table:
    """A table of the fields, each row taking every column from the item's attribute of its key."""
    shown = columns(*fields)
    rows = attribute_rows(items, *(column.key for column in shown))
    return Table(sheet=sheet, title=title, columns=shown, rows=rows, empty=empty)
