"""Reading returned workbooks safely and fast (python-calamine).

A workbook is first checked by ``tasks/intake/workbook_guard.py`` (size, zip, declared
unpacked size, compression, encryption, then every part inflated by Python and
its cell references bounded) so that a zip bomb or a far-away cell is rejected
before calamine sees it; then its workbook-scoped defined names are parsed from
``xl/workbook.xml`` and its sheets are read with calamine. Values are found by
defined name, falling back to the label in the same row (``pi-workbook.md``,
How values are found). Every failure of calamine, a Rust panic included, is an
:class:`UnreadableWorkbook`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any
from xml.etree import ElementTree  # noqa: S405 - parses only after the size check below

import python_calamine

from tasks.intake.workbook_guard import UnreadableWorkbook, check_parts, open_container

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)(?::\S*)?$")
_WORKBOOK_XML_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True)
class CellAddress:
    """A cell on a sheet, zero-based."""

    sheet: str
    row: int
    column: int

    def __str__(self) -> str:
        """Excel notation, e.g. ``Q2!B12``."""
        return self.excel

    @cached_property
    def excel(self) -> str:
        """Excel notation, worked out once (a template's defined names are shared by its workbooks)."""
        return f"{self.sheet}!{column_letters(self.column)}{self.row + 1}"


@dataclass
class FoundValue:
    """A value and where it was found (``None`` where nothing was found)."""

    value: Any
    address: CellAddress | None


@dataclass
class Workbook:
    """A returned workbook's sheets and defined names, read lazily by sheet."""

    reader: python_calamine.CalamineWorkbook
    sheet_names: list[str]
    defined_names: dict[str, CellAddress | None]
    _sheets: dict[str, python_calamine.CalamineSheet] = field(default_factory=dict)
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)

    def sheet(self, wanted: str) -> str | None:
        """The actual name of a sheet, matched ignoring case and surrounding spaces."""
        key = wanted.strip().casefold()
        return next((name for name in self.sheet_names if name.strip().casefold() == key), None)

    def calamine_sheet(self, sheet: str) -> python_calamine.CalamineSheet:
        """A sheet as calamine loaded it (once)."""
        if sheet not in self._sheets:
            try:
                with calamine_errors(f"sheet {sheet!r} cannot be read"):
                    self._sheets[sheet] = self.reader.get_sheet_by_name(sheet)
            except UnreadableWorkbook as error:
                if isinstance(error.__cause__, python_calamine.WorksheetNotFound):
                    raise UnreadableWorkbook(
                        f"sheet {sheet!r} cannot be read: the workbook lists it but its part is missing"
                    ) from error.__cause__
                raise
        return self._sheets[sheet]

    def grid(self, sheet: str) -> list[list[Any]]:
        """A sheet's values as rows from A1."""
        if sheet not in self._grids:
            loaded = self.calamine_sheet(sheet)
            with calamine_errors(f"sheet {sheet!r} cannot be read"):
                self._grids[sheet] = loaded.to_python(skip_empty_area=False)
        return self._grids[sheet]

    def merged_ranges(self, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """A sheet's merged areas as ((top, left), (bottom, right)), zero-based; none when unreadable."""
        try:
            return list(self.calamine_sheet(sheet).merged_cell_ranges or [])
        except UnreadableWorkbook:
            return []

    def at(self, address: CellAddress) -> Any:
        """The value of one cell; ``None`` outside the sheet's used range."""
        if address.sheet not in self.sheet_names:
            return None
        rows = self._grids.get(address.sheet) or self.grid(address.sheet)
        if address.row >= len(rows):
            return None
        row = rows[address.row]
        return row[address.column] if address.column < len(row) else None

    def find(self, name: str, sheet: str | None, label: str) -> FoundValue:
        """A value by defined name, or else by its label on ``sheet`` (the cell to its right)."""
        address = self.defined_names.get(name)
        if address is not None and address.sheet in self.sheet_names:
            return FoundValue(self.at(address), address)
        if sheet is None:
            return FoundValue(None, None)
        label_address = self.find_label(sheet, label)
        if label_address is None:
            return FoundValue(None, None)
        right = CellAddress(sheet, label_address.row, label_address.column + 1)
        return FoundValue(self.at(right), right)

    def find_label(self, sheet: str, label: str) -> CellAddress | None:
        """The first cell on ``sheet`` whose text matches ``label``."""
        wanted = normalise_label(label)
        for row_index, row in enumerate(self.grid(sheet)):
            for column_index, value in enumerate(row):
                if isinstance(value, str) and normalise_label(value) == wanted:
                    return CellAddress(sheet, row_index, column_index)
        return None


def normalise_label(text: str) -> str:
    """Labels match ignoring case, surrounding spaces and a trailing colon."""
    text = text.strip()
    if text.endswith(":"):
        text = text[:-1].rstrip()
    return text.casefold()


def column_letters(index: int) -> str:
    """Zero-based column index to letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


@lru_cache(maxsize=4096)  # workbooks issued from one template repeat the same references
def parse_cell_reference(reference: str) -> CellAddress | None:
    """``'Q2'!$B$12`` -> CellAddress('Q2', 11, 1); ``None`` for ``#REF!`` and anything else."""
    match = _CELL_REF.match(reference.strip().lstrip("="))
    if not match or "#REF!" in reference.upper():
        return None
    quoted, plain, letters, row = match.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else plain
    return CellAddress(sheet, int(row) - 1, _column_index(letters))


def read_defined_names(workbook_xml: bytes) -> dict[str, CellAddress | None]:
    """Workbook-scoped defined names and the cell each points to (``None`` when broken)."""
    if len(workbook_xml) > _WORKBOOK_XML_LIMIT:
        raise UnreadableWorkbook("xl/workbook.xml is implausibly large")
    return dict(_defined_names(workbook_xml))


# Workbooks issued from one template carry the same xl/workbook.xml, byte for byte:
# a batch parses each distinct index once (an entry costs its bytes, about 10 kB).
@lru_cache(maxsize=64)
def _defined_names(workbook_xml: bytes) -> dict[str, CellAddress | None]:
    try:
        root = ElementTree.fromstring(workbook_xml)  # noqa: S314 - size-checked; expat refuses entity bombs
    except (ElementTree.ParseError, ValueError, RecursionError) as error:
        raise UnreadableWorkbook(f"the workbook's index (xl/workbook.xml) is damaged: {error}") from error
    names: dict[str, CellAddress | None] = {}
    for element in root.iter(f"{_MAIN_NS}definedName"):
        if element.get("localSheetId") is not None:
            continue  # sheet-scoped: not ours
        name = element.get("name", "")
        names[name.casefold()] = parse_cell_reference(element.text or "")
    return names


def read_workbook(data: bytes, max_unzipped_bytes: int) -> Workbook:
    """Open a returned workbook from its bytes, or raise :class:`UnreadableWorkbook`."""
    parts = check_parts(open_container(data, max_unzipped_bytes))
    defined_names = read_defined_names(parts["xl/workbook.xml"])
    with calamine_errors("the workbook cannot be opened"):
        reader = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = [str(name) for name in reader.sheet_names]
    return Workbook(reader=reader, sheet_names=sheet_names, defined_names=defined_names)


@contextmanager
def calamine_errors(what: str) -> Iterator[None]:
    """Any error of calamine, a Rust panic included (a ``BaseException``), as :class:`UnreadableWorkbook`."""
    try:
        yield
    except UnreadableWorkbook:
        raise
    except Exception as error:  # calamine raises several kinds for broken parts
        raise UnreadableWorkbook(f"{what}: {error}") from error
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise UnreadableWorkbook(f"{what}: the reader failed on it ({error})") from error
