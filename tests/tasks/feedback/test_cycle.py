"""The 24-month cycles and the programme file's [feedback] cycle_start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from foundation.errors import BadInput
from tasks.feedback.cycle import add_months, due_on, load_feedback_programme, parse_feedback_programme
from tests.factories.programmes import PROGRAMME_TOML


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)


def test_the_default_cycle_start_is_the_start_of_the_earliest_year() -> None:
    fb = parse_feedback_programme(PROGRAMME_TOML)
    assert fb.cycle_start == date(2024, 4, 1)
    assert fb.programme.has_year("2025/26")


def test_cycle_start_from_the_feedback_section() -> None:
    fb = parse_feedback_programme(PROGRAMME_TOML + "\n[feedback]\ncycle_start = 2023-10-01\n")
    assert fb.cycle_start == date(2023, 10, 1)
    assert fb.programme.has_year("2024/25")


def test_the_feedback_section_may_come_before_the_years() -> None:
    fb = parse_feedback_programme(f"[feedback]\ncycle_start = 2023-10-01\n{PROGRAMME_TOML}")
    assert fb.cycle_start == date(2023, 10, 1)


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('cycle_start = "soon"', "feedback.cycle_start"),
        ('cycle_start = "2023-10-01"', "feedback.cycle_start"),  # a TOML date, not text: as every key
        ("cycle = 1", "feedback.cycle"),
    ],
)
def test_a_bad_feedback_key_is_bad_input_naming_it(extra: str, key: str) -> None:
    with pytest.raises(BadInput, match=key):
        parse_feedback_programme(PROGRAMME_TOML + f"\n[feedback]\n{extra}\n")


def test_a_missing_programme_file_is_the_usual_message(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="programme file not found"):
        load_feedback_programme(tmp_path / "nope.toml")


def test_due_24_months_after_the_last_or_the_cycle_start() -> None:  # the last day of the cycle
    assert due_on(date(2024, 5, 10), date(2020, 4, 1)) == date(2026, 5, 10)
    assert due_on(None, date(2024, 4, 1)) == date(2026, 4, 1)
