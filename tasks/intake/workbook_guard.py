"""What can be checked in a workbook's bytes before any parser is trusted with them.

A returned workbook is a zip of XML parts. Before calamine (a native library
that aborts the process when an allocation fails) sees it, this module checks:

- the container: a zip whose directory Python can read, whose parts add up to
  at most the unpacked limit (declared sizes, so nothing is inflated), each
  stored or deflated (the two methods Excel and LibreOffice write), none
  encrypted, none needing a newer zip version than Excel writes, no part twice;
- the parts: each is inflated once here, by Python, bounded by its declared
  size and checked against its CRC, so damaged compressed data is found here
  rather than in calamine;
- the sheets: every cell and row reference (``r="..."``) is scanned in the
  inflated XML and must fall within :data:`MAX_ROWS` and :data:`MAX_COLUMNS`,
  because calamine allocates a grid from the sheet's corner to its farthest
  cell (one cell at ``XFD1048576`` costs gigabytes); the shared strings table
  must not announce more strings than such sheets could use.

Anything wrong raises :class:`UnreadableWorkbook` with a message in plain words.
What these checks cannot foresee is contained by the reader process
(``tasks/intake/reader_process.py``).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib

# Limits that a PI workbook (about 50 rows by 3 columns a sheet), a QAF workbook
# (about 25 rows by 4 columns) or a future stakeholder questionnaire can plausibly
# need, with a wide margin: a grid of 5,000 x 100 cells costs calamine about 20 MB.
MAX_ROWS = 5_000
MAX_COLUMNS = 100
MAX_SHARED_STRINGS = MAX_ROWS * MAX_COLUMNS
# Excel's own grid: a dimension beyond it was not written by a spreadsheet program.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
# Zip 4.5 (zip64) is the newest feature Excel and LibreOffice need.
MAX_ZIP_VERSION = 45
ALLOWED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_ENCRYPTED, _PATCHED, _STRONG_ENCRYPTION = 0x1, 0x20, 0x40

# An ``r`` attribute whose value is not a plain reference of at most one letter and
# three digits (A1..Z999): rare in real sheets, so the fast scan finds almost nothing
# and each suspect is then read exactly.
_SUSPECT_R = re.compile(rb"""r(?<=\sr)\s*=\s*["'](?!\$?[A-Za-z]?\$?\d{1,3}["'])""")
_REFERENCE = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d{1,10})")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_VALUE = re.compile(rb"""[^"']{0,32}""")
_SHEET_FOLDER = "xl/worksheets/"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_RELATIONSHIP_TYPE = re.compile(rb"""\sType\s*=\s*["']([^"']*)["']""")
_RELATIONSHIP_TARGET = re.compile(rb"""\sTarget\s*=\s*["']([^"']*)["']""")
_SST = re.compile(rb"<(?:[\w.-]+:)?sst\b[^>]*>")
_SST_COUNT = re.compile(rb"""\b(?:count|uniqueCount)\s*=\s*["']\s*(\d+)""")


class UnreadableWorkbook(Exception):
    """The file is not a readable .xlsx/.xlsm workbook; the message says why."""


def open_container(data: bytes, max_unzipped_bytes: int) -> zipfile.ZipFile:
    """Open the bytes as a workbook zip, refusing what would be unsafe to inflate or to parse."""
    archive = _zip_of(data)
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unzipped_bytes:
        raise UnreadableWorkbook(
            f"the workbook would unpack to {unpacked / 1048576:.0f} MB, "
            f"more than the limit of {max_unzipped_bytes / 1048576:.0f} MB"
        )
    for member in members:
        check_member(member)
    names = [member.filename for member in members]
    if len(set(names)) != len(names):
        raise UnreadableWorkbook("the workbook is damaged: its zip directory lists a part twice")
    if "xl/workbook.xml" not in names:
        raise UnreadableWorkbook("the zip archive is not an Excel workbook (no xl/workbook.xml)")
    return archive


def _zip_of(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise UnreadableWorkbook("the file is empty (0 bytes)")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK"):
            raise UnreadableWorkbook("the workbook is damaged or truncated (its zip directory is missing)")
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableWorkbook("the file is encrypted or an old .xls workbook, not an .xlsx")
        raise UnreadableWorkbook("the file is not an .xlsx workbook (it is not a zip archive)")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - zipfile raises many kinds for a damaged directory
        raise UnreadableWorkbook(f"the workbook is damaged or truncated: {_zip_problem(error)}") from error


def check_member(member: zipfile.ZipInfo) -> None:
    """One part's zip header: a method, flags and version that Excel writes."""
    name = member.filename
    if member.compress_type not in ALLOWED_METHODS:
        raise UnreadableWorkbook(
            f"the workbook's part {name} is packed with a compression method Excel does not use "
            f"(method {member.compress_type})"
        )
    if member.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION):
        raise UnreadableWorkbook(f"the workbook's part {name} is encrypted (password-protected)")
    if member.flag_bits & _PATCHED:
        raise UnreadableWorkbook(f"the workbook's part {name} is packed in a way Excel does not use")
    if member.extract_version > MAX_ZIP_VERSION:
        raise UnreadableWorkbook(
            f"the workbook's part {name} needs zip version {member.extract_version / 10:.1f}, "
            f"newer than Excel writes ({MAX_ZIP_VERSION / 10:.1f})"
        )


def read_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated by Python (bounded by its declared size, CRC checked)."""
    try:
        return archive.read(member)
    except Exception as error:  # noqa: BLE001 - zlib, zipfile and struct all raise for damage
        raise UnreadableWorkbook(
            f"the workbook's part {member.filename} is damaged: {_zip_problem(error)}"
        ) from error


def _zip_problem(error: Exception) -> str:
    """A zip or zlib error in plain words."""
    text = str(error)
    if isinstance(error, zlib.error):
        return "its compressed data is corrupt"
    if "CRC" in text:
        return "its content does not match its checksum"
    if isinstance(error, NotImplementedError):
        return f"it uses a zip feature Excel does not write ({text})"
    if isinstance(error, RuntimeError) and "password" in text:
        return "it is encrypted (password-protected)"
    if isinstance(error, zipfile.BadZipFile | EOFError | struct.error):
        return f"its zip headers are damaged ({text or type(error).__name__})"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_parts(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Inflate the parts calamine parses as data and check them; those parts by name.

    Those are the workbook index and its relationships, the worksheets and the
    shared strings. Styles and the theme are left to calamine, whose errors on
    them are caught as errors (they hold no cells).
    """
    names = set(archive.NameToInfo)
    index = [name for name in (_WORKBOOK, _WORKBOOK_RELS) if name in names]
    parts = {name: read_part(archive, archive.getinfo(name)) for name in index}
    targets = relationship_targets(parts.get(_WORKBOOK_RELS, b""))
    sheets = {n for n in names if n.startswith(_SHEET_FOLDER)} | targets.get(b"worksheet", set())
    strings = {n for n in names if "sharedstrings" in n.lower()} | targets.get(b"sharedStrings", set())
    for name in sorted((sheets | strings) & names):
        parts[name] = xml = read_part(archive, archive.getinfo(name))
        if name in sheets:
            check_sheet_xml(name, xml)
        if name in strings:
            check_shared_strings(name, xml)
    return parts


def relationship_targets(rels: bytes) -> dict[bytes, set[str]]:
    """The workbook's relationship targets as part names, by the last word of their type."""
    targets: dict[bytes, set[str]] = {}
    for relationship in _RELATIONSHIP.findall(rels):
        kind, target = _RELATIONSHIP_TYPE.search(relationship), _RELATIONSHIP_TARGET.search(relationship)
        if kind is not None and target is not None:
            word = kind.group(1).rsplit(b"/", 1)[-1]
            targets.setdefault(word, set()).add(_part_name(target.group(1).decode("utf-8", "replace")))
    return targets


def _part_name(target: str) -> str:
    """A workbook relationship target as a part name: ``worksheets/a.xml`` -> ``xl/worksheets/a.xml``."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


def check_sheet_xml(name: str, xml: bytes) -> None:
    """A sheet's rows, cells, cell and row references and its dimension are in bounds.

    Rows and cells may leave out their reference; calamine then counts them, so
    their numbers are bounded too (by counting tags: cheap, and any prefixed
    spelling it misses is contained by the reader process).
    """
    # A tag takes at least 6 bytes (``<row/>``), 4 for a cell: a smaller sheet cannot hold too many.
    rows = xml.count(b"<row") if len(xml) > 6 * MAX_ROWS else 0
    cells = 0
    if len(xml) > 4 * MAX_ROWS * MAX_COLUMNS:
        cells = xml.count(b"<c>") + xml.count(b"<c ") + xml.count(b"<c/>")
    if rows > MAX_ROWS or cells > MAX_ROWS * MAX_COLUMNS:
        raise UnreadableWorkbook(
            f"the workbook's part {name} has {rows:,} rows and {cells:,} cells, more than the "
            f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns a return can use"
        )
    for match in _SUSPECT_R.finditer(xml):
        _check_reference(name, _attribute_value(xml, match.end()))
    dimension = _DIMENSION.search(xml) if b"dimension" in xml else None
    if dimension is not None:
        _check_dimension(name, dimension.group(1).decode("latin-1"))


def check_shared_strings(name: str, xml: bytes) -> None:
    """A shared strings table announces no more texts than the sheets could use (calamine reserves them)."""
    tag = _SST.search(xml) if b"sst" in xml else None
    if tag is None:
        return
    for count in _SST_COUNT.findall(tag.group(0)):
        if int(count) > MAX_SHARED_STRINGS:
            raise UnreadableWorkbook(
                f"the workbook's part {name} announces {int(count):,} texts, more than "
                f"{MAX_SHARED_STRINGS:,} cells could hold"
            )


def _attribute_value(xml: bytes, start: int) -> str:
    """The text of an attribute value from ``start`` (after its opening quote), at most 32 characters."""
    match = _VALUE.match(xml, start)
    return match.group(0).decode("latin-1") if match else ""


def cell_position(reference: str) -> tuple[int, int] | None:
    """``B12`` -> (12, 2), ``12`` -> (12, 0): one-based row and column (0 when absent); None if malformed."""
    match = _REFERENCE.fullmatch(reference.strip())
    if match is None:
        return None
    letters, digits = match.groups()
    column = 0
    for char in letters.upper():
        column = column * 26 + ord(char) - 64
    return int(digits), column


def _check_reference(part: str, reference: str) -> None:
    position = cell_position(reference)
    if position is None:
        raise UnreadableWorkbook(f"the workbook's part {part} holds a malformed cell reference {reference!r}")
    row, column = position
    if row > MAX_ROWS or column > MAX_COLUMNS:
        raise UnreadableWorkbook(
            f"the workbook's part {part} has a cell at {reference}, beyond the {MAX_ROWS:,} rows and "
            f"{MAX_COLUMNS} columns a return can use"
        )


def _check_dimension(part: str, ref: str) -> None:
    """A sheet's declared size only has to be within Excel's grid.

    Calamine does not allocate from the dimension (only from cells), and
    LibreOffice declares whole-column widths there, so a wide dimension alone
    is no reason to refuse a return; one beyond Excel's grid is forged.
    """
    for corner in filter(None, ref.split(":")):
        position = cell_position(corner)
        if position is None or position[0] > EXCEL_ROWS or position[1] > EXCEL_COLUMNS:
            raise UnreadableWorkbook(f"the workbook's part {part} declares an impossible sheet size {ref!r}")
