"""Hostile and broken workbooks are unreadable before calamine sees them: zip damage, cells far away, impossible sizes."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl.utils import get_column_letter

from tasks.intake.workbook_guard import MAX_COLUMNS, MAX_ROWS
from tasks.intake.workbook_reader import UnreadableWorkbook, read_workbook
from tests.tasks.intake.hostile_workbooks import (
    LIMIT,
    damaged_deflate,
    edited,
    parts_of,
    sheet_with_row,
    with_header_field,
    workbook_bytes,
    zipped,
)

# --- the checks before calamine --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (with_header_field(workbook_bytes(), "xl/workbook.xml", 6, 4, "<H", 255), "zip file version 25.5"),
        (
            with_header_field(workbook_bytes(), "xl/styles.xml", 10, 8, "<H", 14),
            "compression method Excel does",
        ),
        (
            with_header_field(workbook_bytes(), "xl/styles.xml", 10, 8, "<H", 99),
            "compression method Excel does",
        ),
        (with_header_field(workbook_bytes(), "xl/workbook.xml", 8, 6, "<H", 1), "workbook.xml is encrypted"),
        (damaged_deflate(workbook_bytes(), "xl/workbook.xml"), "workbook.xml is damaged"),
        (damaged_deflate(workbook_bytes(), "xl/worksheets/sheet1.xml"), "sheet1.xml is damaged"),
    ],
    ids=["zip-version-25.5", "lzma", "aes-method", "encrypted-entry", "deflate-index", "deflate-sheet"],
)
def test_zip_level_damage_is_unreadable(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableWorkbook, match=why):
        read_workbook(data, LIMIT)


@pytest.mark.parametrize("far", ["A99999999", "ZZ100000", "XFD1048576", "a5001", "CW1", "$A$5001"])
def test_a_cell_far_away_is_unreadable_before_calamine_sees_it(far: str) -> None:
    data = edited("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'r="B3"', f'r="{far}"'.encode()))
    with pytest.raises(
        UnreadableWorkbook, match=f"a cell at {far.replace('$', '[$]')}, beyond the 5,000 rows"
    ):
        read_workbook(data, LIMIT)


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="99999999"><c><v>1</v></c></row>',
        b"<row r = '1048576'><c><v>1</v></c></row>",
        b'<x:row r="6000000"><x:c r="A6000000"><x:v>1</x:v></x:c></x:row>',
        b'<row r="7"><c r="&#65;9999999"><v>1</v></c></row>',
    ],
    ids=["row", "spaced-single-quoted", "prefixed", "character-reference"],
)
def test_rows_far_away_in_any_spelling_are_unreadable(row: bytes) -> None:
    with pytest.raises(UnreadableWorkbook, match="beyond the 5,000 rows|malformed cell reference"):
        read_workbook(sheet_with_row(row), LIMIT)


def test_the_largest_allowed_sheet_reads() -> None:
    corner = f"{get_column_letter(MAX_COLUMNS)}{MAX_ROWS}"
    book = read_workbook(workbook_bytes({"A1": "x", corner: 7}), LIMIT)
    assert book.grid("Q1")[MAX_ROWS - 1][MAX_COLUMNS - 1] == 7


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:AMJ1048576", "B2"])
def test_wide_dimensions_as_spreadsheet_programs_write_them_read(ref: str) -> None:
    data = edited(
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A3:B3"', f'<dimension ref="{ref}"'.encode()),
    )
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", "Unit numbers this quarter").value == 12


@pytest.mark.parametrize("ref", ["A99999999", "A1:XFE1", "nonsense"])
def test_impossible_dimensions_are_unreadable(ref: str) -> None:
    data = edited(
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A3:B3"', f'<dimension ref="{ref}"'.encode()),
    )
    with pytest.raises(UnreadableWorkbook, match="impossible sheet size"):
        read_workbook(data, LIMIT)


def shared_strings_workbook(count: int) -> bytes:
    parts = parts_of(workbook_bytes())
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        b"<si><t>hello</t></si></sst>" % (count, count)
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    return zipped(parts)


def test_a_shared_strings_table_announcing_billions_of_texts_is_unreadable() -> None:
    """calamine reserves room for every announced text: 4,294,967,295 of them abort the process."""
    with pytest.raises(UnreadableWorkbook, match="announces 4,294,967,295 texts"):
        read_workbook(shared_strings_workbook(4294967295), LIMIT)
    assert read_workbook(shared_strings_workbook(1), LIMIT).sheet_names == ["Q1"]


def test_a_sheet_whose_part_is_missing_says_so() -> None:
    parts = parts_of(workbook_bytes())
    del parts["xl/worksheets/sheet1.xml"]
    book = read_workbook(zipped(parts), LIMIT)
    with pytest.raises(
        UnreadableWorkbook, match="sheet 'Q1' cannot be read: the workbook lists it but its part"
    ):
        book.grid("Q1")


def test_a_duplicated_part_is_unreadable() -> None:
    data = workbook_bytes()
    buffer = io.BytesIO(data)
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    with pytest.raises(UnreadableWorkbook, match="lists a part twice"):
        read_workbook(buffer.getvalue(), LIMIT)
