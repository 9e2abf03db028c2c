"""Normalising cell values (pi-workbook.md, How values are found)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from tasks.intake.normalise import (
    UnreadableValue,
    from_excel_serial,
    is_blank,
    read_date,
    read_number,
    read_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12.0),
        (12.0, 12.0),
        (2.5, 2.5),
        ("12", 12.0),
        (" 12 ", 12.0),
        ("\u00a012\u00a0", 12.0),
        ("1,234", 1234.0),
        (" 1,234 ", 1234.0),
        ("1,234,567", 1234567.0),
        ("1,234.5", 1234.5),
        ("12.0", 12.0),
        ("2.5", 2.5),
        ("-3", -3.0),
        ("+4", 4.0),
        (".5", 0.5),
        ("0", 0.0),
    ],
)
def test_numbers_as_numbers_and_as_text(raw: Any, expected: float) -> None:
    assert read_number(raw) == expected


def test_twelve_point_nought_is_whole_and_two_point_five_is_not() -> None:
    assert read_number("12.0").is_integer()  # type: ignore[union-attr]
    assert not read_number("2.5").is_integer()  # type: ignore[union-attr]


@pytest.mark.parametrize("raw", [None, "", " ", "    ", "\t"])
def test_blank_cells_have_no_value(raw: Any) -> None:
    assert is_blank(raw)
    assert read_number(raw) is None
    assert read_date(raw) is None
    assert read_text(raw) is None


@pytest.mark.parametrize("raw", [0, 0.0, "0", "x", False])
def test_zero_and_text_are_not_blank(raw: Any) -> None:
    assert not is_blank(raw)


@pytest.mark.parametrize(
    "raw",
    ["abc", "12abc", "1,23", "1,2345", "12 345", "£12", "12%", "1.2.3", "#DIV/0!", "NaN", "inf", "--1", ","],
)
def test_rubbish_is_not_a_number(raw: str) -> None:
    with pytest.raises(UnreadableValue):
        read_number(raw)


@pytest.mark.parametrize("raw", [True, False, date(2025, 10, 14), datetime(2025, 10, 14, 9, 30)])
def test_booleans_and_dates_are_not_numbers(raw: Any) -> None:
    with pytest.raises(UnreadableValue):
        read_number(raw)


def test_a_number_too_large_for_a_float_is_unreadable() -> None:
    with pytest.raises(UnreadableValue):
        read_number("1" * 400)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14/10/2025", date(2025, 10, 14)),
        (" 14/10/2025 ", date(2025, 10, 14)),
        ("5/10/2025", date(2025, 10, 5)),
        ("05/10/2025", date(2025, 10, 5)),
        ("1/2/2026", date(2026, 2, 1)),
        ("12/01/2026", date(2026, 1, 12)),  # day first, never month first
        ("2025-10-14", date(2025, 10, 14)),
        ("2025-10-14T09:30:00", date(2025, 10, 14)),
        (date(2025, 10, 14), date(2025, 10, 14)),
        (datetime(2025, 10, 14, 16, 45), date(2025, 10, 14)),
    ],
)
def test_dates_as_dates_and_as_text(raw: Any, expected: date) -> None:
    assert read_date(raw) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (45944, date(2025, 10, 14)),
        (45944.0, date(2025, 10, 14)),
        (45944.75, date(2025, 10, 14)),  # a time of day is dropped
        ("45944", date(2025, 10, 14)),
        (45748, date(2025, 4, 1)),
        (61, date(1900, 3, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serials_in_date_cells(serial: Any, expected: date) -> None:
    assert read_date(serial) == expected


@pytest.mark.parametrize(
    "raw",
    ["31/02/2025", "32/01/2025", "14/13/2025", "2025-02-30", "14-10-2025", "14/10/25", "yesterday", "TBC"],
)
def test_rubbish_is_not_a_date(raw: str) -> None:
    with pytest.raises(UnreadableValue):
        read_date(raw)


@pytest.mark.parametrize("serial", [0, -1, 2958466, 1e12, True])
def test_serials_outside_excel_range_are_not_dates(serial: Any) -> None:
    with pytest.raises(UnreadableValue):
        read_date(serial)


@pytest.mark.parametrize(("serial", "expected"), [(1, date(1900, 1, 1)), (59, date(1900, 2, 28))])
def test_excel_serials_before_march_1900(serial: int, expected: date) -> None:
    assert read_date(serial) == expected


def test_serial_reader_rejects_zero() -> None:
    with pytest.raises(UnreadableValue):
        from_excel_serial(0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Alex Smith ", "Alex Smith"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (True, "TRUE"),
        (date(2025, 10, 14), "2025-10-14"),
        (datetime(2025, 10, 14), "2025-10-14"),
        ("V2", "V2"),
    ],
)
def test_text_is_trimmed_and_numbers_lose_trailing_nought(raw: Any, expected: str) -> None:
    assert read_text(raw) == expected


def test_unreadable_value_says_what_was_typed() -> None:
    with pytest.raises(UnreadableValue, match="'twelve' is not a number"):
        read_number(" twelve ")
    with pytest.raises(UnreadableValue, match="14/10/2025"):
        read_date("next week")


def test_nul_and_control_characters_are_shown_as_the_replacement_character() -> None:
    from tasks.intake.normalise import clean_text

    assert read_text("SV00123\x00") == "SV00123\ufffd"
    assert read_text("a\x01b\tc\nd") == "a\ufffdb\tc\nd"
    assert clean_text("plain") == "plain"


def test_text_longer_than_a_cell_is_unreadable() -> None:
    from tasks.intake.normalise import read_long_text

    assert read_long_text("x" * 32_767) == "x" * 32_767
    with pytest.raises(UnreadableValue, match="more than the 32767 allowed"):
        read_long_text("x" * 32_768)


def test_a_5000_digit_number_is_too_large_and_its_message_short() -> None:
    with pytest.raises(UnreadableValue, match="too large") as raised:
        read_number("1" * 5000)
    assert len(str(raised.value)) < 100
    with pytest.raises(UnreadableValue) as raised:
        read_number("x\x00" * 5000)
    assert "\x00" not in str(raised.value) and len(str(raised.value)) < 100
