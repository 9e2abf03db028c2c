"""Table sheets written as text (``reports.xlsx_sheets``) give the bytes openpyxl's own cells give."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl.writer.excel import ExcelWriter

import reports.xlsx
from reports.model import Chart, Column, Report, Section, Table
from reports.xlsx import xlsx_bytes

KINDS = ("text", "int", "number", "percent", "date", "datetime", "rag", "level")
VALUES: list[Any] = [
    "plain",
    " spaced ",
    "a & b < c",
    "=1+1",
    True,
    None,
    "",
    3,
    2.5,
    float("nan"),
    date(2025, 10, 28),
    datetime(2025, 10, 28, 13, 45),
    "RED",
    "AMBER",
    "Low",
    "High",
]


def _table(sheet: str, rows: int, offset: int, charts: tuple[Chart, ...] = ()) -> Table:
    """A column of every kind, each row a different value of the list in each."""
    columns = (Column("quarter", 'Quarter & "when"'), *(Column(kind, kind.title(), kind) for kind in KINDS))  # type: ignore[arg-type]
    body = tuple(
        {"quarter": f"Q{n}"} | {kind: VALUES[(n + offset + k) % len(VALUES)] for k, kind in enumerate(KINDS)}
        for n in range(rows)
    )
    return Table(sheet=sheet, title=f"Table {sheet}", columns=columns, rows=body, charts=charts)


def _report(headline: tuple[str, ...]) -> Report:
    panels = Chart("PIs", "quarter", ("int", "number"), dashed=("percent",), panels=True, percent=True)
    tables = (
        _table("Many", len(VALUES) * 2, 0, (Chart("Counts", "quarter", ("int",), kind="bar"), panels)),
        _table("Shifted", 5, 7),
        _table("Empty", 0, 0),
    )
    long = Table(
        sheet="Long", title="Text longer than a cell", columns=(Column("a", "A"),), rows=({"a": "x" * 40000},)
    )
    codes = Table(sheet="Codes", title="An error code", columns=(Column("a", "A"),), rows=({"a": "#N/A"},))
    sections = (Section("One", tables=tables), Section("Two", tables=(long, codes)))
    return Report(
        "test", "Test & report", "2025-10", "October 2025", date(2025, 10, 31), sections, headline=headline
    )


def _parts(content: bytes) -> list[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


@pytest.mark.parametrize("headline", [(), ("Two services are RED.",)])
def test_table_sheets_as_text_are_openpyxls_bytes(
    monkeypatch: pytest.MonkeyPatch, headline: tuple[str, ...]
) -> None:
    report = _report(headline)
    written: list[str] = []
    direct = reports.xlsx.sheet_xml

    def counted(sheet: Any) -> Any:
        written.append(sheet.title)
        return direct(sheet)

    monkeypatch.setattr(reports.xlsx, "sheet_xml", counted)
    as_text = xlsx_bytes(report)
    monkeypatch.setattr(reports.xlsx, "table_cells", lambda *_args: None)  # every sheet by openpyxl
    monkeypatch.setattr(
        reports.xlsx._InMemoryWriter, "_write_drawing", ExcelWriter._write_drawing
    )  # and drawing
    by_openpyxl = xlsx_bytes(report)
    assert _parts(as_text) == _parts(by_openpyxl)
    assert as_text == by_openpyxl
    # the tables openpyxl treats specially were left to it, the others written as text
    assert written == ["Contents", "Many", "Shifted", "Empty"]
