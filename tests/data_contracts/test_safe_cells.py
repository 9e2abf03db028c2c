"""Provider text made inert in generated spreadsheets and CSV files (reports.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from data_contracts.safe_cells import inert


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x")', "+44 1234", "-2", "@SUM(A1)", "\tindented", "\r=1", "=", "-"],
)
def test_text_that_could_run_gets_an_apostrophe(text: str) -> None:
    assert inert(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["plain text", "", " =1+1", "a=b", "'already", "2025-10-14", 5, -2, 2.5, None, True, date(2025, 10, 14)],
)
def test_other_values_pass_unchanged(value: Any) -> None:
    assert inert(value) == value
    assert type(inert(value)) is type(value)
