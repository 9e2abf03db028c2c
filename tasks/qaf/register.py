"""The QAF return register export (``interface.md``, The QAF return register)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.qaf_tables import QafReturn
from data_contracts.qaf_workbook import OBJECTIVES, QAF_REGISTER_COLUMNS
from data_contracts.tables import ReceivedFile
from tasks.calendar.dates import as_utc
from tasks.pi.register import utc_text, write_register_csv


def qaf_register_rows(session: Session, year: str | None = None) -> Iterator[dict[str, Any]]:
    """Every QAF row ever recorded (status as it is now), in order of received time, then file name."""
    statement = select(QafReturn, col(ReceivedFile.sha256)).join(
        ReceivedFile, col(ReceivedFile.id) == col(QafReturn.file_id)
    )
    if year:
        statement = statement.where(col(QafReturn.year) == year)
    pairs = list(session.execute(statement).all())
    pairs.sort(key=lambda pair: (as_utc(pair[0].received_at), pair[0].source_file, pair[0].id or 0))
    for row, sha256 in pairs:
        yield qaf_register_row(row, sha256)


def qaf_register_row(row: QafReturn, sha256: str) -> dict[str, Any]:
    """One register row, in the export's columns."""
    return {
        "source_file": row.source_file,
        "sha256": sha256,
        "received_at": utc_text(row.received_at),
        "provider_id": row.provider_id,
        "year": row.year,
        "service_ids": row.service_ids,
        "form": row.form,
        "status": row.status,
        "reasons": "" if row.status == "duplicate" else row.reasons,
        **{o.claimed_column: getattr(row, o.claimed_column) for o in OBJECTIVES},
        "visit": "true" if row.visit else "false",
        "visit_reasons": row.visit_reasons,
    }


def write_qaf_register_csv(rows: Iterable[dict[str, Any]], out: Path) -> int:
    """Write QAF register rows as CSV (UTF-8, header row, inert text); the count of rows."""
    return write_register_csv(rows, out, QAF_REGISTER_COLUMNS)
