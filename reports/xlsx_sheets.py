"""A table's sheet written as the XML openpyxl writes for it, without a cell object a value.

A provider pack has fourteen sheets and a large authority 500 packs: making
openpyxl cells for every value, setting their styles and serialising each
sheet element by element was most of the quarterly reports' cost. A table
sheet (``reports.xlsx``: its header, its rows, frozen, printed, one Excel
table, charts beside it) is always the same frame around its cells, so its
values and styles are decided when the workbook is built
(:func:`table_cells`, filling the workbook's style table in the order
openpyxl fills it) and written as text when it is saved (:func:`sheet_xml`).
A table with a value openpyxl treats specially (a formula, an error code, a
time zone, text too long for a cell) is left to openpyxl. The bytes are
openpyxl's (``tests/reports/test_xlsx_sheets.py`` compares whole workbooks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ERROR_CODES, Cell, get_time_format
from openpyxl.packaging.relationship import Relationship, RelationshipList
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from reports.xlsx_rows import cell_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = (
    f'<worksheet xmlns="{_MAIN}"><sheetPr>'
    '<outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr fitToPage="1" /></sheetPr>'
)
_VIEWS = (
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen" /><selection pane="bottomLeft" activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
)
_PRINT = (
    '<printOptions gridLines="0" /><pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" '
    'header="0.5" footer="0.5" /><pageSetup orientation="landscape" paperSize="9" fitToHeight="0" '
    'fitToWidth="1" /><headerFooter><oddHeader /><oddFooter>&amp;C&amp;A, page &amp;P of &amp;N'
    "</oddFooter><evenHeader /><evenFooter /><firstHeader /><firstFooter /></headerFooter>"
)
_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}  # and & < >, as ElementTree
_MAX_TEXT = 32767  # openpyxl cuts longer text; such a table is left to it
_TYPES = {str: "s", int: "n", float: "n", date: "d", datetime: "d"}

Cells = list[list[tuple[Any, StyleArray | None]]]  # each row's (value, style), the header first
Apply = Callable[[Any, tuple[str, str]], None]  # gives a new cell the style of a key (``reports.xlsx``)


class TableSheet(Worksheet):
    """A worksheet whose cells are held here and written by :func:`sheet_xml` (none in openpyxl's grid)."""

    cells: Cells | None = None
    widths: Sequence[int] = ()


@dataclass(frozen=True)
class Styling:
    """How a workbook styles its table cells: each key's style, worked out the first time it is met."""

    known: dict[tuple[str, str], Any]
    key_of: Callable[[str, Any], tuple[str, str] | None]  # a data cell's key from its column kind and value
    header: Apply
    formatted: Apply

    def style(self, sheet: Worksheet, key: tuple[str, str], apply: Apply, cell: Any = None) -> StyleArray:
        """The style of ``key``: worked out by ``apply`` the first time, then the same.

        Worked out on ``cell``, or on a new cell holding the key's word (a
        coloured cell's colours depend on its word).
        """
        if key not in self.known:
            cell = cell if cell is not None else Cell(sheet, row=1, column=1, value=key[1] or None)
            apply(cell, key)
            self.known[key] = copy(cell._style)
        found: StyleArray = self.known[key]
        return found


class TextTable(Table):
    """An Excel table of a :class:`TableSheet`: its part written as text, its columns named by the header."""

    names: Sequence[str] = ()

    def _write(self, archive: Any) -> None:
        """The part as openpyxl writes it for a table of the whole sheet, its header row and filters."""
        name = escape(str(self.displayName), _ATTRIBUTE)
        columns = "".join(
            f'<tableColumn id="{n}" name="{escape(label, _ATTRIBUTE)}" />'
            for n, label in enumerate(self.names, start=1)
        )
        archive.writestr(
            self.path[1:],
            f'<table id="{self.id}" name="{name}" displayName="{name}" ref="{self.ref}" headerRowCount="1" '
            f'xmlns="{_MAIN}"><autoFilter ref="{self.ref}" />'
            f'<tableColumns count="{len(self.names)}">{columns}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showRowStripes="1" /></table>',
        )


def plain(value: Any) -> bool:
    """A value openpyxl stores as it is: text that is no formula or error code, a number, a naive date."""
    if type(value) not in _TYPES:
        return value is None
    if isinstance(value, str):
        return (
            len(value) <= _MAX_TEXT and not (len(value) > 1 and value[0] == "=") and value not in ERROR_CODES
        )
    return not isinstance(value, datetime) or value.tzinfo is None


def table_cells(
    sheet: Worksheet,
    header: Sequence[str],
    kinds: Sequence[str],
    rows: Sequence[Sequence[Any]],
    styling: Styling,
) -> Cells | None:
    """The sheet's cells and their styles, the style table filled as openpyxl fills it; None if not plain.

    openpyxl gives each new date cell a date format (registering it) before
    the table's own format replaces it, and a key's style is worked out the
    first time it is met, row by row: the same formats, fonts and fills are
    registered here, in the same order.
    """
    if not header or not all(map(plain, header)) or not all(plain(v) for row in rows for v in row):
        return None
    dated = Cell(sheet, row=1, column=1)
    found: Cells = [[(label, styling.style(sheet, ("header", ""), styling.header)) for label in header]]
    for row in rows:
        for value in row:
            if isinstance(value, date):
                dated.number_format = get_time_format(cast(Any, type(value)))  # as binding the value does
        cells: list[tuple[Any, StyleArray | None]] = []
        for kind, value in zip(kinds, row, strict=True):
            key = styling.key_of(kind, value)
            if key is None and isinstance(value, date):
                return None  # openpyxl's own date format would stay: left to it
            cells.append((value, None if key is None else styling.style(sheet, key, styling.formatted)))
        found.append(cells)
    return found


def sheet_xml(sheet: TableSheet) -> tuple[bytes, RelationshipList]:
    """The sheet's XML and relationships (its drawing, its table), as openpyxl's writer makes them."""
    assert sheet.cells is not None  # noqa: S101 - only sheets with their cells held come here
    letters = [get_column_letter(n) for n in range(1, len(sheet.widths) + 1)]
    parts = [_HEAD, f'<dimension ref="A1:{letters[-1]}{len(sheet.cells)}" />', _VIEWS, "<cols>"]
    parts += [
        f'<col width="{width:.16g}" customWidth="1" min="{n}" max="{n}" />'
        for n, width in enumerate(sheet.widths, start=1)
    ]
    parts.append("</cols><sheetData>")
    book: Any = sheet.parent
    styles, epoch = book._cell_styles, book.epoch
    for number, row in enumerate(sheet.cells, start=1):
        parts.append(f'<row r="{number}">')
        for letter, (value, style) in zip(letters, row, strict=True):
            styled = style is not None and any(style)
            if value is not None or styled:
                kind = _TYPES[type(value)] if value is not None else "n"
                parts.append(
                    cell_text(f"{letter}{number}", styles.add(style) if styled else None, value, kind, epoch)
                )
        parts.append("</row>")
    parts += ["</sheetData>", _PRINT]
    relations = RelationshipList()
    drawn: Any = sheet
    if drawn._charts or drawn._images:
        relations.append(Relationship(Id="rId1", Type=f"{_RELATIONS}/drawing", Target=""))
        parts.append(f'<drawing xmlns:r="{_RELATIONS}" r:id="rId1" />')
    parts.append(_table_parts(sheet, relations))
    return "".join(parts).encode("utf-8") + b"</worksheet>", relations


def _table_parts(sheet: TableSheet, relations: RelationshipList) -> str:
    """The sheet's tables, their columns named from the header (as openpyxl's writer names them)."""
    assert sheet.cells is not None  # noqa: S101
    parts = []
    for table in sheet.tables.values():
        if isinstance(table, TextTable):
            table.names = [str(label) for label, _ in sheet.cells[0]]
        elif not table.tableColumns:
            table._initialise_columns()
            for column, (label, _) in zip(table.tableColumns, sheet.cells[0], strict=False):
                column.name = str(label)
        relation = Relationship(Id=f"rId{len(relations) + 1}", Type=table._rel_type, Target="")
        relations.append(relation)  # the ID openpyxl's writer gives it
        table._rel_id = relation.Id
        parts.append(f'<tablePart xmlns:r="{_RELATIONS}" r:id="{relation.Id}" />')
    return f'<tableParts count="{len(parts)}">{"".join(parts)}</tableParts>' if parts else ""
