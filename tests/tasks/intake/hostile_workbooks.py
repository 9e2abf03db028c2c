"""Hostile and broken workbooks for the reader's tests, and drop files to read.

The cases are those an independent fuzz campaign found to crash the run or
kill the process: zip-level damage, encryption flags, zip versions, unknown
compression methods, and cells far away that make calamine allocate gigabytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

from tasks.intake.drop_folder import DropFile
from tasks.intake.reader_process import ReaderLimits
from tasks.intake.reading import ReadFile

MB = 1024 * 1024
LIMIT = 200 * MB
ROOT = Path(__file__).resolve().parents[3]
FAST = ReaderLimits(seconds_per_item=5, start_seconds=120)


def xlsx(sheets: dict[str, dict[str, Any]], names: dict[str, str] | None = None) -> bytes:
    """An .xlsx whose sheets hold the given cells (``{"Q1": {"A1": "Units", "B1": 12}}``)."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, cells in sheets.items():
        sheet = book.create_sheet(title)
        for ref, value in cells.items():
            sheet[ref] = value
    for name, target in (names or {}).items():
        book.defined_names[name] = DefinedName(name, attr_text=target)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_bytes(cells: dict[str, object] | None = None, sheet: str = "Q1") -> bytes:
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.title = sheet
    for ref, value in (cells or {"A3": "Unit numbers this quarter", "B3": 12}).items():
        page[ref] = value  # type: ignore[assignment]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def edited(part: str, edit: Callable[[bytes], bytes], data: bytes | None = None) -> bytes:
    parts = parts_of(data or workbook_bytes())
    parts[part] = edit(parts[part])
    return zipped(parts)


def with_header_field(data: bytes, member: str, central: int, local: int, fmt: str, value: int) -> bytes:
    """Set a field of one member's central directory entry and local header."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset, name_at in ((b"PK\x01\x02", central, 46), (b"PK\x03\x04", local, 30)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if out[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into(fmt, out, start + offset, value)
            start += 4
    return bytes(out)


def sheet_with_row(row: bytes) -> bytes:
    return edited("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def damaged_deflate(data: bytes, member: str) -> bytes:
    """Garbage in the middle of one member's compressed data."""
    out = bytearray(data)
    start = out.find(b"PK\x03\x04")
    while start >= 0:
        name_length, extra_length = struct.unpack_from("<HH", out, start + 26)
        if out[start + 30 : start + 30 + name_length] == member.encode():
            body = start + 30 + name_length + extra_length
            out[body + 2 : body + 12] = b"\xff" * 10
            return bytes(out)
        start = out.find(b"PK\x03\x04", start + 4)
    raise AssertionError(member)


def drop_file(path: Path) -> DropFile:
    """The file as the drop folder lists it."""
    stat = path.stat()
    return DropFile(path, stat.st_size, stat.st_mtime_ns)


def drop_files(folder: Path, names: list[str]) -> list[DropFile]:
    """Workbooks of the names in the folder, each with its number as its units."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for number, name in enumerate(names):
        path = folder / name
        path.write_bytes(workbook_bytes({"A3": "Unit numbers this quarter", "B3": number}))
        files.append(drop_file(path))
    return files


def units(read: ReadFile) -> object:
    assert read.pi is not None, read.message
    return read.pi.quarter_pages[0].cells["units"]
