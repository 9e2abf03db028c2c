"""The PI return register export (``interface.md``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.registers import PI_REGISTER_COLUMNS
from data_contracts.safe_cells import inert
from data_contracts.tables import PiReturn, ReceivedFile
from tasks.calendar.dates import as_utc
from tasks.calendar.deadlines import Deadlines
from tasks.common.safe_output import replacing
from tasks.pi.rules import two_decimals

QUARTER_ORDER = {"": 0, "Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}


def utc_text(instant: datetime) -> str:
    """``2025-10-14T09:30:00Z``."""
    return as_utc(instant).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_received(rows: list[PiReturn]) -> dict[tuple[str, str, str], datetime]:
    """The first received time of each service's quarter (quarantined files aside)."""
    first: dict[tuple[str, str, str], datetime] = {}
    for row in rows:
        if not row.quarter or row.status == "quarantined":
            continue
        key = (row.service_id, row.year, row.quarter)
        received = as_utc(row.received_at)
        if key not in first or received < first[key]:
            first[key] = received
    return first


def register_rows(
    session: Session, deadlines: Deadlines, year: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every register row ever recorded, in order of received time, file name and quarter."""
    statement = select(PiReturn, col(ReceivedFile.sha256)).join(
        ReceivedFile, col(ReceivedFile.id) == col(PiReturn.file_id)
    )
    if year:
        statement = statement.where(col(PiReturn.year) == year)
    pairs = list(session.execute(statement).all())
    pairs.sort(key=lambda p: (as_utc(p[0].received_at), p[0].source_file, QUARTER_ORDER.get(p[0].quarter, 9)))
    first = first_received([row for row, _ in pairs])
    for row, sha256 in pairs:
        yield _register_row(row, sha256, deadlines, first)


def _register_row(
    row: PiReturn, sha256: str, deadlines: Deadlines, first: dict[tuple[str, str, str], datetime]
) -> dict[str, Any]:
    deadline, late = None, None
    if row.quarter:
        deadline = deadlines.of(row.service_id, row.year, row.quarter)
        key = (row.service_id, row.year, row.quarter)
        late = deadlines.is_late(first.get(key, as_utc(row.received_at)), *key)
    return {
        "source_file": row.source_file,
        "sha256": sha256,
        "service_id": row.service_id,
        "year": row.year,
        "quarter": row.quarter,
        "status": row.status,
        "reasons": "" if row.status == "duplicate" else row.reasons,
        **{pi: two_decimals(getattr(row, pi)) for pi in ("kpi1", "kpi2", "spi1", "spi2", "spi3", "spi4")},
        "breaches": row.breaches,
        "received_at": utc_text(row.received_at),
        "deadline": deadline.isoformat() if deadline else "",
        "late": "" if late is None else str(late).lower(),
    }


def write_register_csv(
    rows: Iterable[dict[str, Any]], out: Path, columns: Sequence[str] = PI_REGISTER_COLUMNS
) -> int:
    """Write register rows as CSV (UTF-8, header row, inert text); the count of rows.

    Only a new or regular file in an existing folder is written (``tasks.common.safe_output``).
    """
    count = 0
    with replacing(out) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({name: inert(value) for name, value in row.items()})
            count += 1
    return count
