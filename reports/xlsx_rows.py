"""A sheet's rows as the XML openpyxl writes, character for character, with less work a cell.

openpyxl builds an element for every cell and serialises it through
``et_xmlfile``: most of a report's writing time. The cells the reports hold
(inline text, numbers, dates, styled blanks) are written here as text
directly; anything else (a formula, a comment, a hyperlink, rich text, a
row with its own dimensions) goes through openpyxl's own writer, so the
bytes are the same either way (``tests/reports/test_writing_rows.py``).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter

_PLAIN_TYPES = ("s", "n", "d")


class FastRowsWriter(WorksheetWriter):
    """openpyxl's sheet writer with the cells of ``sheetData`` written as text."""

    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        """One row: as text when every cell is plain, else by openpyxl."""
        sheet: Any = self.ws
        if row_idx in sheet.row_dimensions or any(not _plain(cell) for cell in row):
            super().write_row(xf, row, row_idx)
            return
        parts = [f'<row r="{row_idx}">']
        for cell in row:
            if cell._value is None and not cell.has_style:
                continue
            parts.append(self._cell_text(cell, row_idx))
        parts.append("</row>")
        xf._file("".join(parts))

    def _cell_text(self, cell: Any, row_idx: int) -> str:
        style = cell.style_id if cell.has_style else None
        ref = f"{get_column_letter(cell.column)}{row_idx}"
        return cell_text(ref, style, cell._value, cell.data_type, cell.parent.parent.epoch)


def cell_text(ref: str, style: int | None, value: Any, kind: str, epoch: Any) -> str:
    """One cell of ``sheetData`` as openpyxl writes it: its reference, style ID, type and value."""
    start = f'<c r="{ref}" s="{style}"' if style is not None else f'<c r="{ref}"'
    if kind == "d":
        value, kind = to_excel(value, epoch), "n"
    if value is None or value == "":
        return f'{start} t="{"inlineStr" if kind == "s" else kind}" />'
    if kind == "s":
        space = ' xml:space="preserve"' if value.strip() and value != value.strip() else ""
        return f'{start} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    text = safe_string(value)  # "" for NaN and infinity, which openpyxl writes as an empty element
    return f'{start} t="{kind}"><v>{escape(text)}</v></c>' if text else f'{start} t="{kind}"><v /></c>'


def _plain(cell: Any) -> bool:
    """A cell this module writes itself: a string, number or date, no comment, link or timezone."""
    if cell.data_type not in _PLAIN_TYPES or cell._comment is not None or cell.hyperlink:
        return False
    value = cell._value
    if cell.data_type == "d":
        return getattr(value, "tzinfo", None) is None and not cell.parent.parent.iso_dates
    return cell.data_type != "s" or isinstance(value, str)
