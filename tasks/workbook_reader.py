"""Reading returned workbooks safely and fast (python-calamine).

A workbook is first checked as a container (size, zip, declared unpacked
size) so that a zip bomb is rejected before anything is inflated; then its
workbook-scoped defined names are parsed from ``xl/workbook.xml`` and its
sheets are read with calamine. Values are found by defined name, falling
back to the label in the same row (``pi-workbook.md``, How values are found).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree  # noqa: S405 - parses only after the size check below

import python_calamine

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)(?::\S*)?$")
_WORKBOOK_XML_LIMIT = 5 * 1024 * 1024


class UnreadableWorkbook(Exception):
    """The file is not a readable .xlsx/.xlsm workbook; the message says why."""


@dataclass(frozen=True)
class CellAddress:
    """A cell on a sheet, zero-based."""

    sheet: str
    row: int
    column: int

    def __str__(self) -> str:
        """Excel notation, e.g. ``Q2!B12``."""
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
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)

    def sheet(self, wanted: str) -> str | None:
        """The actual name of a sheet, matched ignoring case and surrounding spaces."""
        key = wanted.strip().casefold()
        return next((name for name in self.sheet_names if name.strip().casefold() == key), None)

    def grid(self, sheet: str) -> list[list[Any]]:
        """A sheet's values as rows from A1."""
        if sheet not in self._grids:
            try:
                rows = self.reader.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception as error:  # calamine raises several kinds for broken parts
                raise UnreadableWorkbook(f"sheet {sheet!r} cannot be read: {error}") from error
            self._grids[sheet] = rows
        return self._grids[sheet]

    def at(self, address: CellAddress) -> Any:
        """The value of one cell; ``None`` outside the sheet's used range."""
        if address.sheet not in self.sheet_names:
            return None
        rows = self.grid(address.sheet)
        if address.row >= len(rows) or address.column >= len(rows[address.row]):
            return None
        return rows[address.row][address.column]

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


def parse_cell_reference(reference: str) -> CellAddress | None:
    """``'Q2'!$B$12`` -> CellAddress('Q2', 11, 1); ``None`` for ``#REF!`` and anything else."""
    match = _CELL_REF.match(reference.strip().lstrip("="))
    if not match or "#REF!" in reference.upper():
        return None
    quoted, plain, letters, row = match.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else plain
    return CellAddress(sheet, int(row) - 1, _column_index(letters))


def open_container(data: bytes, max_unzipped_bytes: int) -> zipfile.ZipFile:
    """Open the bytes as a workbook zip, refusing what would be unsafe to inflate."""
    if not data:
        raise UnreadableWorkbook("the file is empty (0 bytes)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK"):
            raise UnreadableWorkbook("the workbook is damaged or truncated (its zip directory is missing)")
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableWorkbook("the file is encrypted or an old .xls workbook, not an .xlsx")
        raise UnreadableWorkbook("the file is not an .xlsx workbook (it is not a zip archive)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableWorkbook(f"the workbook is damaged or truncated: {error}") from error
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unzipped_bytes:
        raise UnreadableWorkbook(
            f"the workbook would unpack to {unpacked / 1048576:.0f} MB, "
            f"more than the limit of {max_unzipped_bytes / 1048576:.0f} MB"
        )
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise UnreadableWorkbook("the zip archive is not an Excel workbook (no xl/workbook.xml)")
    return archive


def read_defined_names(archive: zipfile.ZipFile) -> dict[str, CellAddress | None]:
    """Workbook-scoped defined names and the cell each points to (``None`` when broken)."""
    info = archive.getinfo("xl/workbook.xml")
    if info.file_size > _WORKBOOK_XML_LIMIT:
        raise UnreadableWorkbook("xl/workbook.xml is implausibly large")
    try:
        root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - size-checked, no DTDs in xlsx
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError) as error:
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
    archive = open_container(data, max_unzipped_bytes)
    defined_names = read_defined_names(archive)
    try:
        reader = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(reader.sheet_names)
    except Exception as error:  # calamine's own errors for damaged or password-protected files
        raise UnreadableWorkbook(f"the workbook cannot be opened: {error}") from error
    return Workbook(reader=reader, sheet_names=sheet_names, defined_names=defined_names)
