"""Typing a quarter page's provider cells (pi-workbook.md, pi-rules.md invalid_value)."""

from __future__ import annotations

from datetime import date

from tasks.pi.values import comparable, normalise_page


def test_cells_are_read_as_their_types() -> None:
    values = normalise_page(
        {
            "units": " 10 ",
            "unit_days_occupied": "1,234",
            "frontline_hours_delivered": "2.5",
            "date_completed": "5/10/2025",
            "completed_by": " Alex ",
            "comments": "  ",
        }
    )
    assert values.values == {
        "units": 10.0,
        "unit_days_occupied": 1234.0,
        "frontline_hours_delivered": 2.5,
        "date_completed": date(2025, 10, 5),
        "completed_by": "Alex",
    }
    assert values.given == {
        "units",
        "unit_days_occupied",
        "frontline_hours_delivered",
        "date_completed",
        "completed_by",
    }
    assert values.unreadable == {}


def test_unreadable_cells_are_given_but_have_no_value() -> None:
    values = normalise_page({"units": "ten", "date_completed": "31/02/2025"})
    assert values.values == {}
    assert values.given == {"units", "date_completed"}
    assert set(values.unreadable) == {"units", "date_completed"}
    assert "'ten' is not a number" in values.unreadable["units"]


def test_not_whole_and_negative_are_read_here_and_judged_by_the_suite() -> None:
    values = normalise_page({"unit_days_occupied": "2.5", "referrals_received": -1})
    assert values.values == {"unit_days_occupied": 2.5, "referrals_received": -1.0}


def test_comparable_writes_dates_as_iso_text() -> None:
    assert comparable({"date_completed": date(2025, 10, 14), "units": 10.0}) == {
        "date_completed": "2025-10-14",
        "units": 10.0,
    }
