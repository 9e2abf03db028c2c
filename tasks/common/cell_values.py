"""Reading cell values: the one door every typed value comes through (``pi-workbook.md``, values).

Used alike by workbook intake and by officers' import files.

Numbers may arrive as numbers or as text (``" 1,234 "``); dates as dates, as
day-first text dates, ISO text dates, or Excel date serials. Each reader
returns the normalised value, or raises :class:`UnreadableValue` with the
reason, which becomes an ``invalid_value``.

Text from a workbook may hold NUL and other control characters. PostgreSQL
cannot store NUL at all and SQLite can, so they are replaced here, at the one
door every cell comes through, by U+FFFD (the replacement character): the
value stays visibly different from the text it imitates (``SV00123`` with a NUL
is not ``SV00123``, so it is an ``unknown_service``, not a match), is shown
safely in notices, and is stored the same on both databases.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from data_contracts.column_limits import CONTROL_CHARACTERS, MAX_DIGITS, MAX_TEXT, text_problem

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_LARGEST_SERIAL = 2958465  # 9999-12-31
_LARGEST_FIGURE = 1e15  # beyond any count or hours a service could report
_PHANTOM_LEAP_DAY = 60  # Excel's 29/02/1900, a day that never was
_VERSION = re.compile(r"^\s*[Vv]\s*(\d+)\s*$")
_REPLACEMENT = "\ufffd"
_CONTROLS = str.maketrans(dict.fromkeys(CONTROL_CHARACTERS, _REPLACEMENT))


class UnreadableValue(ValueError):
    """A cell's value cannot be read as its type."""


def clean_text(text: str) -> str:
    """Text with NUL and other control characters (tab and line breaks aside) shown as U+FFFD."""
    return text if text.isprintable() else text.translate(_CONTROLS)  # the common case costs nothing


def shortened(text: str, limit: int = 60) -> str:
    """Text cut to ``limit`` characters with ``...`` for a message."""
    return text if len(text) <= limit else f"{text[:limit]}..."


def is_blank(value: Any) -> bool:
    """A cell is blank when it is empty or holds only spaces."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_text(value: Any) -> str | None:
    """Text, trimmed; a number is written without a trailing ``.0``; ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value).strip())


def read_long_text(value: Any) -> str | None:
    """Text a provider typed: as :func:`read_text`, but longer than an Excel cell holds is unreadable."""
    text = read_text(value)
    if text is not None and len(text) > MAX_TEXT:
        raise UnreadableValue(text_problem(text) or "is too long")
    return text


def read_number(value: Any) -> float | None:
    """A number, from a number or from text (commas as thousands separators); ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise UnreadableValue(f"{read_text(value)} is not a number")
    if isinstance(value, (int, float)):
        return _finite(float(value), str(value))
    text = clean_text(str(value).strip())
    if _PLAIN_NUMBER.match(text) or _GROUPED_NUMBER.match(text):
        return _finite(float(text.replace(",", "")), text)
    raise UnreadableValue(f"'{shortened(text)}' is not a number")


def _finite(number: float, text: str) -> float:
    if not math.isfinite(number) or abs(number) > _LARGEST_FIGURE:
        raise UnreadableValue(f"'{text[:20]}{'...' if len(text) > 20 else ''}' is too large to be a figure")
    return number


def from_excel_serial(serial: float) -> date:
    """The date of an Excel (1900 system) date serial; a time of day is dropped."""
    if not 1 <= serial <= _LARGEST_SERIAL or int(serial) == _PHANTOM_LEAP_DAY:
        raise UnreadableValue(f"{serial:g} is not a date")
    days = int(serial) if serial > _PHANTOM_LEAP_DAY else int(serial) + 1
    return _EXCEL_EPOCH + timedelta(days=days)


def read_date(value: Any) -> date | None:
    """A date, from a date, a day-first or ISO text date, or an Excel serial; ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise UnreadableValue(f"{read_text(value)} is not a date")
    if isinstance(value, (int, float)):
        return from_excel_serial(float(value))
    text = clean_text(str(value).strip())
    try:
        if match := _DAY_FIRST.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        raise UnreadableValue(f"'{text}' is not a real date") from None
    if _PLAIN_NUMBER.match(text):
        return from_excel_serial(float(text))
    raise UnreadableValue(f"'{shortened(text)}' is not a date (write it as 14/10/2025)")


def version_number(text: Any) -> int | None:
    """``V2`` -> 2; ``None`` when it is not a version."""
    match = _VERSION.match(read_text(text) or "")
    return int(match.group(1)) if match else None


def typed_version(value: object) -> int | None:
    """The number of a workbook version as typed; ``None`` when it is none (or absurdly long)."""
    text = read_text(value) or ""
    return version_number(text) if len(text) <= MAX_DIGITS else None
