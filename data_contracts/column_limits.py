"""What the database columns can hold, so a value is refused before the database, the same on every database.

SQLite stores what it is given; PostgreSQL refuses text longer than a
``VARCHAR(n)``, an integer beyond ``int4``, and any text holding a NUL
character. A value is checked here against the table's own column types, so an
import (or a return) gets the same answer on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Integer

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
MAX_TEXT = 32_767  # the most an Excel cell holds: longer text did not come from a real workbook
MAX_DIGITS = 18  # a whole number written with more digits is no count, version or figure
CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


def has_control_characters(text: str) -> bool:
    """Whether text holds NUL or another control character (tab and line breaks aside)."""
    return any(character in CONTROL_CHARACTERS for character in text)


def column_problem(table: Any, column: str, value: Any) -> str | None:
    """Why ``value`` does not fit ``table``'s column (a SQLModel class), or ``None`` when it fits."""
    columns = table.__table__.columns
    if column not in columns:
        return None
    kind = columns[column].type
    if isinstance(value, str):
        return text_problem(value, getattr(kind, "length", None))  # String, or SQLModel's AutoString
    if isinstance(value, int) and not isinstance(value, bool):
        if isinstance(kind, Integer) and not isinstance(kind, BigInteger):
            return None if INT4_MIN <= value <= INT4_MAX else f"{value} is too large (at most {INT4_MAX})"
    return None


def text_problem(text: str, length: int | None = None) -> str | None:
    """Why text cannot be stored: a control character, or more characters than the column holds."""
    if has_control_characters(text):
        return "holds a control character (such as NUL)"
    limit = min(length or MAX_TEXT, MAX_TEXT)
    if len(text) > limit:
        return f"is {len(text)} characters long, more than the {limit} allowed"
    return None


def column_length(table: Any, column: str) -> int:
    """The most characters a text column of ``table`` holds (``MAX_TEXT`` when it has no length)."""
    return int(getattr(table.__table__.columns[column].type, "length", None) or MAX_TEXT)


def fit_text(text: str, length: int) -> str:
    """Text as read, cut to ``length`` characters (ending ``...``) when it is longer."""
    return text if len(text) <= length else text[: max(length - 3, 0)] + "..."
