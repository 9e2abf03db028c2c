"""Reading returned workbooks: defined names, label fallback and unreadable files (pi-workbook.md)."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from tasks.intake.workbook_reader import (
    CellAddress,
    UnreadableWorkbook,
    column_letters,
    normalise_label,
    parse_cell_reference,
    read_workbook,
)
from tests.factories.zips import Member, padded, rezipped
from tests.tasks.intake.hostile_workbooks import xlsx, zipped

LIMIT = 200 * 1024 * 1024
UNITS_LABEL = "Unit numbers this quarter"


def units_sheet(label: str = UNITS_LABEL, row: int = 3, value: Any = 12) -> dict[str, Any]:
    return {"A1": "Authority code", "B1": "TST", f"A{row}": label, f"B{row}": value, "D20": "other"}


# --- values by defined name ---------------------------------------------------------------


def test_value_by_defined_name() -> None:
    data = xlsx({"Q1": {"C7": 42, "A7": "something else"}}, {"q1_units": "Q1!$C$7"})
    found = read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL)
    assert found.value == 42
    assert str(found.address) == "Q1!C7"


def test_defined_names_are_matched_ignoring_case() -> None:
    data = xlsx({"Q1": {"C7": 42}}, {"Q1_Units": "Q1!$C$7"})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value == 42


def test_the_name_wins_over_the_label() -> None:
    data = xlsx({"Q1": {**units_sheet(value=12), "F9": 99}}, {"q1_units": "Q1!$F$9"})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value == 99


@pytest.mark.parametrize("sheet", ["My Q's", "Quarter 2", "Q2 (copy)"])
def test_quoted_sheet_names(sheet: str) -> None:
    quoted = "'" + sheet.replace("'", "''") + "'"
    data = xlsx({sheet: {"C7": 5}}, {"q2_units": f"{quoted}!$C$7"})
    found = read_workbook(data, LIMIT).find("q2_units", None, UNITS_LABEL)
    assert found.value == 5
    assert found.address == CellAddress(sheet, 6, 2)


def test_sheet_scoped_names_are_not_ours() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Q1"  # type: ignore[union-attr]
    sheet["C7"] = 42  # type: ignore[index]
    sheet.defined_names["q1_units"] = DefinedName("q1_units", attr_text="Q1!$C$7")  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    assert "q1_units" not in read_workbook(buffer.getvalue(), LIMIT).defined_names


# --- fallback to the label ------------------------------------------------------------------


def test_fallback_to_label_when_the_name_is_missing() -> None:
    found = read_workbook(xlsx({"Q1": units_sheet()}), LIMIT).find("q1_units", "Q1", UNITS_LABEL)
    assert found.value == 12
    assert str(found.address) == "Q1!B3"


@pytest.mark.parametrize("target", ["#REF!", "Q1!#REF!", "#REF!$B$3", "'Deleted sheet'!$B$3"])
def test_fallback_to_label_when_the_name_is_broken(target: str) -> None:
    data = xlsx({"Q1": units_sheet()}, {"q1_units": target})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value == 12


@pytest.mark.parametrize(
    "label",
    [UNITS_LABEL, "unit numbers this quarter", " UNIT NUMBERS THIS QUARTER: ", "Unit numbers this quarter :"],
)
def test_label_matching_ignores_case_spaces_and_trailing_colon(label: str) -> None:
    data = xlsx({"Q1": units_sheet(label=label)})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value == 12


@pytest.mark.parametrize("label", ["Unit numbers", "Unit numbers this quarter (new)", "Units"])
def test_other_labels_do_not_match(label: str) -> None:
    data = xlsx({"Q1": units_sheet(label=label)})
    found = read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL)
    assert found == type(found)(None, None)


def test_values_shifted_by_inserted_rows_are_found_by_label() -> None:
    """A provider inserted four rows above: the name is broken, the label has moved down."""
    data = xlsx({"Q1": units_sheet(row=7)}, {"q1_units": "#REF!"})
    found = read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL)
    assert (found.value, str(found.address)) == (12, "Q1!B7")


def test_values_shifted_by_inserted_rows_are_found_by_the_moved_name() -> None:
    """Excel moves defined names with inserted rows: the name now points four rows down."""
    data = xlsx({"Q1": units_sheet(row=7)}, {"q1_units": "Q1!$B$7"})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value == 12


def test_label_is_only_looked_for_on_the_given_sheet() -> None:
    data = xlsx({"Q1": {"A1": "x"}, "Q2": units_sheet()})
    found = read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL)
    assert found.value is None


def test_label_with_nothing_to_its_right_is_blank() -> None:
    data = xlsx({"Q1": {"A3": UNITS_LABEL}})
    assert read_workbook(data, LIMIT).find("q1_units", "Q1", UNITS_LABEL).value is None


def test_sheets_are_matched_ignoring_case_and_spaces() -> None:
    book = read_workbook(xlsx({" q1 ": {"A1": 1}, "Contract": {"A1": 1}}), LIMIT)
    assert book.sheet("Q1") == " q1 "
    assert book.sheet("contract") == "Contract"
    assert book.sheet("Q2") is None


def test_dates_and_numbers_come_back_typed() -> None:
    data = xlsx({"Q1": {"B1": date(2025, 10, 14), "B2": 45944, "B3": " 1,234 "}})
    book = read_workbook(data, LIMIT)
    assert book.at(CellAddress("Q1", 0, 1)) == date(2025, 10, 14)
    assert book.at(CellAddress("Q1", 1, 1)) == 45944
    assert book.at(CellAddress("Q1", 2, 1)) == " 1,234 "
    assert book.at(CellAddress("Q1", 99, 99)) is None
    assert book.at(CellAddress("Nowhere", 0, 0)) is None


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("Q2!$B$12", CellAddress("Q2", 11, 1)),
        ("Q2!B12", CellAddress("Q2", 11, 1)),
        ("=Q2!$B$12", CellAddress("Q2", 11, 1)),
        ("'Q2'!$B$12", CellAddress("Q2", 11, 1)),
        ("'My Q''s'!$AB$3", CellAddress("My Q's", 2, 27)),
        ("Q2!$B$12:$C$13", CellAddress("Q2", 11, 1)),
        ("#REF!", None),
        ("Q2!#REF!", None),
        ("", None),
        ("not a reference", None),
    ],
)
def test_parse_cell_reference(reference: str, expected: CellAddress | None) -> None:
    assert parse_cell_reference(reference) == expected


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letters(index) == letters


@pytest.mark.parametrize("text", ["Units", " units ", "UNITS:", "Units :", " units:  "])
def test_normalise_label(text: str) -> None:
    assert normalise_label(text) == "units"


# --- unreadable files -----------------------------------------------------------------------


def a_workbook() -> bytes:
    return xlsx({"Q1": units_sheet()})


def large_member_zip(size: int) -> bytes:
    """A real workbook whose first sheet is followed by a member of ``size`` zeros (written in chunks)."""
    return padded(a_workbook(), "xl/media/padding.bin", size)


def lying_zip(real_size: int) -> bytes:
    """A workbook whose sheet expands to ``real_size`` bytes but declares 1,000 in its headers."""
    name = "xl/worksheets/sheet1.xml"

    def spaced(item: zipfile.ZipInfo, body: bytes) -> Member:
        if item.filename == name:
            body = body.replace(b"<sheetData>", b"<sheetData>" + b" " * real_size)
        return item, body

    data = bytearray(rezipped(a_workbook(), spaced))
    start = 0
    while (start := data.find(name.encode(), start + 1)) >= 0:
        if data[start - 30 : start - 26] == b"PK\x03\x04":  # local header: uncompressed size at +22
            struct.pack_into("<I", data, start - 30 + 22, 1000)
        if data[start - 46 : start - 42] == b"PK\x01\x02":  # central directory: uncompressed size at +24
            struct.pack_into("<I", data, start - 46 + 24, 1000)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, "not a zip"),
        (b"service_id,year\nSV00123,2025/26\n", "not a zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, "encrypted"),
        (b"PK\x03\x04" + b"\0" * 200, "truncated"),
        (b"<html><body>Not a workbook</body></html>", "not a zip"),
    ],
    ids=["empty", "random", "csv-renamed", "ole-encrypted", "pk-garbage", "html"],
)
def test_unreadable_bytes(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableWorkbook, match=why):
        read_workbook(data, LIMIT)


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9])
def test_truncated_workbook_is_unreadable(fraction: float) -> None:
    data = a_workbook()
    with pytest.raises(UnreadableWorkbook):
        read_workbook(data[: int(len(data) * fraction)], LIMIT)


def test_zip_without_workbook_part_is_unreadable() -> None:
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    with pytest.raises(UnreadableWorkbook, match="no xl/workbook.xml"):
        read_workbook(docx, LIMIT)


def test_damaged_workbook_index_is_unreadable() -> None:
    data = zipped({"xl/workbook.xml": b"<workbook><definedNames><defin"})
    with pytest.raises(UnreadableWorkbook, match="damaged"):
        read_workbook(data, LIMIT)


def test_zip_that_expands_beyond_the_limit_is_unreadable() -> None:
    data = large_member_zip(2 * 1024 * 1024)
    assert len(data) < 100_000
    with pytest.raises(UnreadableWorkbook, match="unpack to 2 MB, more than the limit of 1 MB"):
        read_workbook(data, 1024 * 1024)


def test_same_zip_under_a_larger_limit_reads() -> None:
    data = large_member_zip(2 * 1024 * 1024)
    assert read_workbook(data, 4 * 1024 * 1024).find("q1_units", "Q1", UNITS_LABEL).value == 12


def test_zip_member_that_lies_about_its_size_is_unreadable_not_inflated() -> None:
    """Python inflates the part only as far as its declared size, then finds the checksum wrong."""
    with pytest.raises(UnreadableWorkbook, match="sheet1.xml is damaged: its content does not match"):
        read_workbook(lying_zip(4 * 1024 * 1024), 1024 * 1024)
