"""The sheet writer that writes cells as text gives openpyxl's bytes, for every kind of cell."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet._writer import WorksheetWriter

from reports.xlsx_rows import FastRowsWriter

ROWS: list[list[Any]] = [
    ["plain", " leading", "trailing ", "  ", "a & b < c > d", "quote \" and ' apostrophe", "é ü 中"],
    [1, -2, 3.5, 1e20, 0.1 + 0.2, 12345678901234567890, float("nan"), float("-inf")],
    [date(2025, 10, 28), datetime(2025, 10, 28, 13, 45, 7), time(9, 30), timedelta(hours=36)],
    [True, False, None, "", "line\nbreak", "tab\there", "=SUM(A1:A2)"],
]


def _sheet_xml(writer_class: type[WorksheetWriter]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in ROWS:
        sheet.append(row)
    sheet.cell(row=6, column=2).font = Font(bold=True)  # a styled blank cell
    sheet.cell(row=7, column=1, value="with a comment").comment = Comment("note", "spmon")
    sheet.cell(row=8, column=1, value="a link").hyperlink = "https://example.org/?a=1&b=2"
    sheet.row_dimensions[9].height = 30
    sheet.cell(row=9, column=3, value="tall row")
    sheet.cell(row=10, column=4, value=2.5).number_format = "0.00"
    writer = writer_class(sheet, out=io.BytesIO())
    writer.write()
    return bytes(writer.read())


def test_fast_rows_are_openpyxls_bytes() -> None:
    assert _sheet_xml(FastRowsWriter) == _sheet_xml(WorksheetWriter)


def test_the_fast_writer_writes_the_plain_rows_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain rows do not go through openpyxl's cell writer (else the test above proves nothing)."""
    calls: list[int] = []
    original = WorksheetWriter.write_row

    def counted(self: WorksheetWriter, xf: Any, row: Any, row_idx: int) -> None:
        calls.append(row_idx)
        original(self, xf, row, row_idx)

    monkeypatch.setattr(WorksheetWriter, "write_row", counted)
    _sheet_xml(FastRowsWriter)
    assert calls == [4, 7, 8, 9]  # a formula, a comment, a link, a row with its own height
