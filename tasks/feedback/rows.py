"""Reading an officer's feedback import: its cells' readers, on the one reader, ``tasks.common.import_rows``.

An import with any bad row imports nothing: the problems are gathered and
raised together (``tasks.common.table_files.RowErrors``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from tasks.common.cell_values import read_long_text, read_text
from tasks.common.contract_records import number_at_least
from tasks.common.import_rows import (
    Reader,
    Record,
    check_rows,
    no_repeats,
    optional_date,
    optional_flag,
    parse_rows,
    required_date,
    service_problems,
    services_by_provider,
)

__all__ = [
    "Reader",
    "Record",
    "check_rows",
    "no_repeats",
    "optional_count",
    "optional_date",
    "optional_text",
    "parse_rows",
    "required_count",
    "required_date",
    "service_problems",
    "services_by_provider",
    "upsert",
    "yes_no",
    "yes_no_blank_no",
]


def optional_text(value: Any) -> str:
    """Text, trimmed; ``""`` when blank; longer than an Excel cell holds is refused."""
    return read_long_text(value) or ""


def optional_count(value: Any) -> int | None:
    """A whole number, 0 or more, or ``None`` when blank."""
    if read_text(value) is None:
        return None
    return int(number_at_least(0, whole=True)(value))


def required_count(value: Any) -> int:
    """A whole number, 0 or more, that must be given."""
    return int(number_at_least(0, whole=True)(value))


def yes_no(value: Any) -> bool | None:
    """``yes``/``no`` (also true/false, 1/0, any case), or ``None`` when blank."""
    return optional_flag(value, "yes or no")


def yes_no_blank_no(value: Any) -> bool:
    """``yes``/``no``; blank reads as no."""
    return bool(yes_no(value))


def upsert(session: Session, table: Any, key: str, records: Sequence[Record]) -> None:
    """Add or update rows of ``table`` by its primary key column ``key``."""
    for record in records:
        row = session.get(table, record[key]) or table(**record)
        for name, value in record.items():
            setattr(row, name, value)
        session.add(row)
    session.flush()
