"""The feedback CSV exports (``feedback.md``, Exports and reports), exactly their columns.

- ``spmon feedback due export``: the open items (``tasks.feedback.due``).
- ``spmon feedback consultations export``: each consultation, its minimum and warnings, the report.
- ``spmon audits export``: each audit, its warnings, feedback and re-audit dates, its status.
- ``spmon feedback register export``: every questionnaire reply.

Each file is written with ``tasks.common.safe_output.replacing`` (only a new or
regular file, renamed into place); text is made inert against spreadsheet
formulas (``data_contracts.safe_cells.inert``). Dates are ISO, booleans
``true``/``false``, blanks empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import (
    AUDIT_EXPORT_COLUMNS,
    CONSULTATION_EXPORT_COLUMNS,
    DUE_EXPORT_COLUMNS,
    RATING_COLUMNS,
    REGISTER_COLUMNS,
    Audit,
    Consultation,
    QuestionnaireReply,
)
from data_contracts.safe_cells import inert
from tasks.calendar.dates import as_utc
from tasks.common.safe_output import replacing
from tasks.feedback.audits import (
    audit_status,
    audit_warnings,
    feedback_due,
    feedback_late,
    is_alarm,
    reaudit_due,
)
from tasks.feedback.consultations import (
    WarningContext,
    consultation_warnings,
    minimum_sample,
    report_due,
    report_late,
)
from tasks.feedback.cycle import service_types
from tasks.feedback.due import DueItem
from tasks.feedback.priority import PriorityOn


def cell(value: Any) -> str:
    """A value as CSV text: ISO dates, ``true``/``false``, blank for ``None``, text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(inert(value) if isinstance(value, str) else value)


def write_csv(out: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header and the rows to ``out`` safely; the number of rows."""
    count = 0
    with replacing(out) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(value) for value in row])
            count += 1
    return count


def due_rows(items: Iterable[DueItem], as_at: date) -> Iterator[list[Any]]:
    """``kind,provider_id,service_id,reference,due_on,days_overdue,detail``."""
    for i in items:
        yield [i.kind, i.provider_id, i.service_id, i.reference, i.due_on, i.days_overdue(as_at), i.detail]


def consultation_rows(
    consultations: Iterable[Consultation], context: WarningContext, as_at: date
) -> Iterator[list[Any]]:
    """One row per consultation, in ID order."""
    for c in sorted(consultations, key=lambda c: c.consultation_id):
        warnings = ";".join(consultation_warnings(c, context))
        minimum = minimum_sample(c.method, c.service_users)
        yield [
            c.consultation_id,
            c.provider_id,
            c.service_id,
            c.method,
            c.service_users,
            minimum,
            c.contacted,
            warnings,
            report_due(c),
            c.report_sent_on,
            report_late(c, as_at),
        ]


def audit_rows(
    audits: Iterable[Audit], types: dict[str, str], priority_on: PriorityOn, as_at: date
) -> Iterator[list[Any]]:
    """One row per audit, in ID order; an alarm service's audit is ``not_applicable`` with no dates."""
    for a in sorted(audits, key=lambda a: a.audit_id):
        service_type = types.get(a.service_id)
        warnings = ";".join(audit_warnings(a, priority_on))
        status = audit_status(a, service_type, as_at)
        if is_alarm(service_type):
            yield [a.audit_id, a.provider_id, a.service_id, a.audit_date, warnings, None, None, None, status]
            continue
        yield [
            a.audit_id,
            a.provider_id,
            a.service_id,
            a.audit_date,
            warnings,
            feedback_due(a),
            feedback_late(a, as_at),
            reaudit_due(a),
            status,
        ]


def register_rows(replies: Iterable[QuestionnaireReply]) -> Iterator[list[Any]]:
    """Every reply, in order of received time, then file name."""
    for r in replies:
        ratings = [getattr(r, name) for name in RATING_COLUMNS]
        yield [
            r.source_file,
            r.sha256,
            r.received_at,
            r.reference,
            r.service_id,
            r.provider_id,
            r.status,
            r.reasons,
            *ratings,
            r.adverse,
            r.confidential,
            r.provider_reply_due,
            r.provider_replied_on,
        ]


def export_due(items: Sequence[DueItem], as_at: date, out: Path) -> int:
    """Write the due list."""
    return write_csv(out, DUE_EXPORT_COLUMNS, due_rows(items, as_at))


def export_consultations(session: Session, context: WarningContext, as_at: date, out: Path) -> int:
    """Write every consultation as at the date."""
    consultations = session.execute(select(Consultation)).scalars()
    return write_csv(out, CONSULTATION_EXPORT_COLUMNS, consultation_rows(consultations, context, as_at))


def export_audits(session: Session, priority_on: PriorityOn, as_at: date, out: Path) -> int:
    """Write every audit as at the date."""
    audits = session.execute(select(Audit)).scalars()
    return write_csv(
        out, AUDIT_EXPORT_COLUMNS, audit_rows(audits, service_types(session), priority_on, as_at)
    )


def export_register(session: Session, out: Path) -> int:
    """Write every questionnaire reply."""
    statement = select(QuestionnaireReply).order_by(
        col(QuestionnaireReply.received_at), col(QuestionnaireReply.source_file), col(QuestionnaireReply.id)
    )
    return write_csv(out, REGISTER_COLUMNS, register_rows(session.execute(statement).scalars()))
