"""Workbook versions as typed: ``V2`` is 2, anything else (or absurdly long) is no version."""

from __future__ import annotations

from typing import Any

import pytest

from data_contracts.column_limits import MAX_DIGITS
from tasks.common.cell_values import typed_version, version_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("V1", 1),
        ("V2", 2),
        ("v2", 2),
        (" V10 ", 10),
        ("V 3", 3),
        ("2", None),
        ("", None),
        (None, None),
        ("V1.1", None),
    ],
)
def test_version_number(text: Any, number: int | None) -> None:
    assert version_number(text) == number


def test_versions_compare_by_number() -> None:
    assert version_number("V2") > version_number("V1")  # type: ignore[operator]
    assert version_number("V10") > version_number("V9")  # type: ignore[operator]


def test_an_absurdly_long_version_is_none() -> None:
    assert typed_version("V" + "1" * MAX_DIGITS) is None
    assert typed_version("V" + "1" * (MAX_DIGITS - 1)) == int("1" * (MAX_DIGITS - 1))
