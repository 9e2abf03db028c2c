"""Reading generated reports back, independently of the code that wrote them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SERVICE_ID = re.compile(r"SV\d{3,}")
_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")
_TAG = re.compile(r"<[^>]+>")


def cells(path: Path) -> Iterator[tuple[str, str, Any, str]]:
    """(sheet, coordinate, value, data type) of every cell with a value."""
    workbook = load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.coordinate, cell.value, cell.data_type


def formula_cells(path: Path) -> list[str]:
    """Cells that are formulas, or text a spreadsheet would run as one."""
    found = []
    for sheet, coordinate, value, data_type in cells(path):
        if data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
            found.append(f"{path.name}!{sheet}!{coordinate}: {value!r}")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and _FORMULA_ELEMENT.search(archive.read(name)):
                found.append(f"{path.name}:{name} holds a formula element")
    return found


def csv_formula_fields(path: Path) -> list[str]:
    """Fields of a CSV that a spreadsheet would run as a formula (negative numbers aside)."""
    found = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            for field in row:
                if field.startswith(FORMULA_STARTS) and not _is_number(field):
                    found.append(f"{path.name} row {number}: {field!r}")
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def workbook_text(path: Path) -> str:
    """Every cell value, sheet name, chart title and string of the workbook's parts, as one text."""
    parts = [str(value) for _, _, value, _ in cells(path)]
    with zipfile.ZipFile(path) as archive:
        parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(parts)


def html_text(path: Path) -> str:
    """The page's text and markup."""
    return path.read_text(encoding="utf-8")


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as dicts keyed by its header row (blank rows dropped)."""
    workbook = load_workbook(path)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(v is not None for v in row)]


def read_csv_text(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def visible_text(html: str) -> str:
    """The page without its tags (what a reader sees, roughly)."""
    return _TAG.sub(" ", html)
