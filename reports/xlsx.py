"""A report as an ``.xlsx`` workbook an analyst can filter (``reports.md``, Formats and publishing).

- A ``Contents`` sheet, then one sheet per table: the header in row 1,
  frozen, the rows below as a real Excel table (filters, banded rows).
- Numbers are numbers, dates are dates (``yyyy-mm-dd``), PI percentages and
  other figures are numbers shown with two decimals, counts as whole numbers;
  RAG priorities and levels are coloured cells that keep their word, with a
  key on the first sheet; every text cell goes through
  :func:`data_contracts.safe_cells.inert`, so nothing a provider typed can run as a
  formula.
- Charts are native Excel charts drawn from the table's own cells, beside it
  (``reports.xlsx_charts``): value axes from 0 (percentages to 100), blanks
  as gaps, axis titles; a chart of ``panels`` is one small chart per PI with
  its trigger.
- Every sheet prints: landscape, fit to one page wide, the header row
  repeated on each page, gridlines off (the table has its own borders).
- The bytes are deterministic: the document properties are dated from the
  as-at date and every part of the zip carries the same fixed time, so the
  same report gives the same file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from data_contracts.safe_cells import inert
from reports.model import KIND_KEYS, KIND_TITLES, Column, Report, Table, colours_of
from reports.xlsx_charts import add_chart, chart_xml, drawing_parts
from reports.xlsx_rows import FastRowsWriter
from reports.xlsx_sheets import Styling, TableSheet, TextTable, sheet_xml, table_cells

DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {
    "int": "#,##0",
    "number": "#,##0.00",
    "percent": "0.00",
    "date": DATE_FORMAT,
    "datetime": "yyyy-mm-dd hh:mm",
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: the same for every part


def text_cell(value: Any) -> str:
    """A text cell's value: inert, without the control characters a workbook cannot hold."""
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    return str(inert(ILLEGAL_CHARACTERS_RE.sub("", str(value))))


def cell_value(column: Column, value: Any) -> Any:
    """A row's value as the cell holds it: typed by the column's kind; text made inert."""
    if value is None or value == "":
        return None
    if column.kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value  # Excel has no zones
    if column.kind in ("date", "datetime") and isinstance(value, date):
        return value
    if column.kind == "int" and isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else float(value)
    if (
        column.kind in ("number", "percent")
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return float(value)
    return text_cell(value)


def workbook_of(report: Report) -> Workbook:
    """The report's workbook (not yet saved)."""
    workbook = Workbook()
    contents: Any = workbook.active  # a new workbook's first sheet
    if report.headline or report.coloured_kinds():
        _write_summary(contents, report)
        contents = _table_sheet(workbook, "Contents")
    contents.title = "Contents"
    tables = list(report.tables())
    contents_table = Table(
        sheet="Contents",
        title=report.title,
        columns=(
            Column("sheet", "Sheet"),
            Column("title", "Contents"),
            Column("rows", "Rows", "int"),
            Column("period", "Period"),
            Column("as_at", "As at", "date"),
        ),
        rows=tuple(
            {"sheet": t.sheet, "title": t.title, "rows": len(t.rows), "period": report.period_label}
            | {"as_at": report.as_at}
            for t in tables
        ),
    )
    styling = Styling({}, _style_key, _header_style, _formatted)  # each style worked out once a workbook
    _write_table(contents, contents_table, 0, styling)
    for index, table in enumerate(tables, start=1):
        _write_table(_table_sheet(workbook, table.sheet), table, index, styling)
    stamp = datetime.combine(report.as_at, time())
    workbook.properties.title = f"{report.title}, {report.period_label}"
    workbook.properties.subject = f"as at {report.as_at.isoformat()}"
    workbook.properties.creator = "spmon"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.lastModifiedBy = "spmon"
    return workbook


def _table_sheet(workbook: Workbook, title: str) -> TableSheet:
    """A new sheet at the end of the workbook whose cells are written as text (``reports.xlsx_sheets``)."""
    sheet = TableSheet(parent=workbook, title=title)
    book: Any = workbook
    book._add_sheet(sheet)
    return sheet


def print_setup(sheet: Worksheet, header_rows: str | None) -> None:
    """Landscape A4, one page wide (as many pages down as it takes), the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    if header_rows:
        sheet.print_title_rows = header_rows
    footer = sheet.oddFooter
    if footer is not None and footer.center is not None:
        footer.center.text = "&A, page &P of &N"


def summary_sheet_name(report: Report) -> str:
    """``Summary``, or ``Headline`` when a table of the report already has that sheet name."""
    return "Headline" if any(t.sheet == "Summary" for t in report.tables()) else "Summary"


def _write_summary(sheet: Worksheet, report: Report) -> None:
    """The first sheet: the title, what needs attention, and the key of the coloured words."""
    sheet.title = summary_sheet_name(report)
    sheet.cell(row=1, column=1, value=text_cell(f"{report.title}, {report.period_label}")).font = Font(
        bold=True, size=14, color="1F4E79"
    )
    sheet.cell(row=2, column=1, value=text_cell(f"As at {report.as_at.isoformat()}"))
    row = 4
    if report.headline:
        sheet.cell(row=row, column=1, value="What needs attention").font = Font(bold=True, size=12)
        for sentence in report.headline:
            row += 1
            cell = sheet.cell(row=row, column=1, value=text_cell(sentence))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 2
    for kind in report.coloured_kinds():
        sheet.cell(row=row, column=1, value=f"Key: {KIND_TITLES[kind]}").font = Font(bold=True)
        for word, meaning in KIND_KEYS[kind]:
            row += 1
            _colour(sheet.cell(row=row, column=1, value=word), kind)
            sheet.cell(row=row, column=2, value=meaning)
        row += 2
    sheet.column_dimensions["A"].width = 110 if report.headline else 14
    sheet.column_dimensions["B"].width = 60
    print_setup(sheet, header_rows=None)


def _colour(cell: Any, kind: str) -> None:
    colours = colours_of(kind, cell.value)
    if colours is not None:
        cell.fill, cell.font = _fill_and_font(colours)


@cache
def _fill_and_font(colours: tuple[str, str]) -> tuple[PatternFill, Font]:
    """A coloured word's fill and bold font, made once (a cell keeps only their place in the style table)."""
    return PatternFill("solid", fgColor=colours[0]), Font(bold=True, color=colours[1])


def _write_table(sheet: Worksheet, table: Table, index: int, styling: Styling) -> None:
    columns = table.columns
    header = [text_cell(column.label) for column in columns]
    values = [[cell_value(column, row.get(column.key)) for column in columns] for row in table.rows]
    kinds = [column.kind for column in columns]
    cells = table_cells(sheet, header, kinds, values, styling) if isinstance(sheet, TableSheet) else None
    if isinstance(sheet, TableSheet) and cells is not None:
        sheet.cells, sheet.widths = cells, column_widths(table)
    else:
        _write_cells(sheet, header, kinds, values, styling)
        for number, width in enumerate(column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
    last_row = max(len(table.rows), 1) + 1  # an Excel table needs a row below its header
    ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    made = TextTable if isinstance(sheet, TableSheet) and sheet.cells is not None else ExcelTable
    excel_table = made(displayName=f"T{index}_{_NAME_UNSAFE.sub('_', table.sheet)}", ref=ref)
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(excel_table)
    sheet.freeze_panes = "A2"
    print_setup(sheet, header_rows="1:1")
    for number, chart in enumerate(table.charts):
        add_chart(sheet, table, chart, number)


def _write_cells(
    sheet: Worksheet, header: list[str], kinds: Sequence[str], values: list[list[Any]], styling: Styling
) -> None:
    """The table's cells as openpyxl cells (a table with a value that is not plain)."""
    cell: Any
    for number, label in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=number, value=label)
        cell._style = copy(styling.style(sheet, ("header", ""), _header_style, cell))
    styled = [
        (number, kind)
        for number, kind in enumerate(kinds, start=1)
        if kind in NUMBER_FORMATS or kind in ("rag", "level")
    ]
    for row_number, row in enumerate(values, start=2):
        sheet.append(row)
        for number, kind in styled:
            cell = sheet.cell(row=row_number, column=number)
            key = _style_key(kind, cell.value)
            if key is not None:
                cell._style = copy(styling.style(sheet, key, _formatted, cell))


def _style_key(kind: str, value: Any) -> tuple[str, str] | None:
    """The style a data cell takes: its number format, or its coloured word; ``None`` for none."""
    if value is None:
        return None
    if kind in NUMBER_FORMATS:
        if isinstance(value, str):
            return None
        if kind == "datetime" and not isinstance(value, datetime):
            return ("date", "")  # only the day is known
        return (kind, "")
    return None if colours_of(kind, value) is None else (kind, str(value))


def _header_style(cell: Any, _key: tuple[str, str]) -> None:
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    cell.alignment = Alignment(vertical="center")


def _formatted(cell: Any, key: tuple[str, str]) -> None:
    if key[0] in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[key[0]]
    else:
        _colour(cell, key[0])


def column_widths(table: Table) -> list[int]:
    """Each column's width: its longest value or heading and a little, at most 60."""
    return [
        min(max([len(column.label)] + [len(_shown(row.get(column.key))) for row in table.rows]) + 3, 60)
        for column in table.columns
    ]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every part is dated :data:`ZIP_TIME` with the same attributes, as it is written."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = (
            zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        )
        fixed = zipfile.ZipInfo(str(name), date_time=ZIP_TIME)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o644 << 16
        super().writestr(fixed, data)


class _InMemoryWriter(ExcelWriter):
    """openpyxl's writer with each sheet's XML kept in memory, not in a temporary file on disk."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if isinstance(ws, TableSheet) and ws.cells is not None:
            xml, relations = sheet_xml(ws)
            ws._rels = relations  # type: ignore[attr-defined]
        else:
            writer: Any = FastRowsWriter(ws, out=io.BytesIO())
            writer.write()
            xml, ws._rels = writer.read(), writer._rels
        self._archive.writestr(ws.path[1:], xml)  # type: ignore[attr-defined]
        self.manifest.append(ws)

    def _write_drawing(self, drawing: Any) -> None:
        """Charts anchored at cells written as text (``drawing_parts``), any other by openpyxl."""
        if drawing.images or not all(isinstance(chart.anchor, str) for chart in drawing.charts):
            super()._write_drawing(drawing)  # type: ignore[misc]
            return
        drawings: list[Any] = self._drawings  # type: ignore[attr-defined]
        drawings.append(drawing)
        drawing._id = len(drawings)
        for chart in drawing.charts:
            self._charts.append(chart)  # type: ignore[attr-defined]
            chart._id = len(self._charts)  # type: ignore[attr-defined]
        xml, relations = drawing_parts(drawing.charts)
        self._archive.writestr(drawing.path[1:], xml)  # type: ignore[attr-defined]
        self._archive.writestr(get_rels_path(drawing.path)[1:], relations)  # type: ignore[attr-defined]
        self.manifest.append(drawing)

    def _write_charts(self) -> None:
        for chart in self._charts:  # type: ignore[attr-defined]
            self._archive.writestr(chart.path[1:], chart_xml(chart))  # type: ignore[attr-defined]
            self.manifest.append(chart)


def xlsx_bytes(report: Report) -> bytes:
    """The report's workbook as deterministic bytes."""
    workbook = workbook_of(report)
    raw = io.BytesIO()
    with _FixedTimeZip(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        _InMemoryWriter(workbook, archive).save()
    return raw.getvalue()
