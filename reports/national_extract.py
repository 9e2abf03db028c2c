"""The national return extract (``reports.md``, Quarterly 3).

One row per service with an accepted return, columns of
``data_contracts.national_extract``, as CSV (and as a workbook and page
like every report).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from data_contracts.national_extract import (
    EXTRACT_COUNT_COLUMNS,
    EXTRACT_PI_COLUMNS,
    NATIONAL_EXTRACT_COLUMNS,
)
from data_contracts.safe_cells import inert
from foundation.programme import PI_NAMES
from reports.model import Column, ColumnKind, Report, Section, Table
from reports.pi_data import ServiceQuarter
from reports.quarterly_frame import quarterly_report
from reports.quarterly_input import QuarterlyInput, received_at_of, source_file_of
from tasks.calendar.dates import days_in_quarter
from tasks.pi.rules import two_decimals


def _count_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def extract_rows(current: Sequence[ServiceQuarter]) -> list[dict[str, Any]]:
    """The extract's rows: services with an accepted return, by service ID (typed values)."""
    rows = []
    for q in sorted((q for q in current if q.accepted), key=lambda q: q.service_id):
        row: dict[str, Any] = {
            "service_id": q.service_id,
            "provider_id": q.provider_id,
            "client_group": q.client_group,
            "service_type": q.service_type,
            "year": q.year,
            "quarter": q.quarter,
            "days_in_quarter": days_in_quarter(q.year, q.quarter),
            "contracted_units": q.contracted_units,
            "frontline_hours_per_week": q.hours_per_week,
        }
        for cell in EXTRACT_COUNT_COLUMNS:
            value = q.values.get(cell)
            row[cell] = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        for pi, column in zip(PI_NAMES, EXTRACT_PI_COLUMNS, strict=True):
            row[column] = q.pis.get(pi)
        row["source_file"] = source_file_of(q)
        row["received_at"] = received_at_of(q)
        rows.append(row)
    return rows


def extract_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """The extract as CSV text: header row, counts as read, PIs to two decimals, text inert."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NATIONAL_EXTRACT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        line: dict[str, str] = {}
        for column in NATIONAL_EXTRACT_COLUMNS:
            value = row.get(column)
            if column in EXTRACT_PI_COLUMNS:
                line[column] = two_decimals(value)
            elif isinstance(value, datetime):
                moment = value.astimezone(UTC) if value.tzinfo else value
                line[column] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            elif isinstance(value, date):
                line[column] = value.isoformat()
            elif isinstance(value, int | float) and not isinstance(value, bool):
                line[column] = _count_text(value)
            else:
                line[column] = "" if value is None else str(inert(str(value)))
        writer.writerow(line)
    return out.getvalue()


def _extract_kind(name: str) -> ColumnKind:
    if name == "received_at":
        return "datetime"
    if name in EXTRACT_PI_COLUMNS:
        return "percent"
    if name in ("days_in_quarter", "contracted_units"):
        return "int"
    if name in EXTRACT_COUNT_COLUMNS or name == "frontline_hours_per_week":
        return "number"
    return "text"


def national_extract_report(data: QuarterlyInput) -> Report:
    """The national return extract: the CSV, with the same rows as a workbook and a page."""
    rows = extract_rows(data.of_quarter())
    columns = tuple(Column(name, name, _extract_kind(name)) for name in NATIONAL_EXTRACT_COLUMNS)
    stem = f"national-extract-{data.period}-as-at-{data.as_at.isoformat()}"
    return quarterly_report(
        "national-extract",
        "National return extract",
        (data.year, data.quarter),
        data.as_at,
        sections=(
            Section(
                "Accepted returns",
                tables=(
                    Table(
                        sheet="Extract",
                        title=f"One row per service with an accepted return for {data.label}",
                        columns=columns,
                        rows=tuple(rows),
                        empty="No accepted return for the quarter.",
                    ),
                ),
                paragraphs=(
                    f"The CSV {stem}.csv holds the same rows, in the columns the national return expects.",
                ),
            ),
        ),
        audience="",  # the extract goes to the national return, not to a group
        extra={f"{stem}.csv": extract_csv(rows)},
        headline=(
            f"{len(rows)} services have an accepted return for {data.label} and are in the extract; "
            f"{len(data.of_quarter()) - len(rows)} services with a contract for the quarter are not "
            "(no return, or a return not yet accepted).",
            "Each row names the file its figures come from and when it was received (the last two columns).",
        ),
    )
