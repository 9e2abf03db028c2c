"""Reading an officer's feedback import: its cells' readers, on the one reader, ``tasks.common.import_rows``.

An import with any bad row imports nothing: the problems are gathered and
raised together (``tasks.common.table_files.RowErrors``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
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
    "counts_above",
    "import_service_records",
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


def counts_above(record: Mapping[str, object], bound: str, names: Sequence[str], what: str) -> list[str]:
    """Each count of ``names`` above the record's ``bound`` count (``what`` it counts), naming its column."""
    limit = record[bound]
    problems = []
    for name in names:
        count = record[name]
        if isinstance(count, int) and isinstance(limit, int) and count > limit:
            problems.append(f"column {name}: {count} is more than the {limit} {what}")
    return problems


def import_service_records(
    session: Session,
    path: Path,
    columns: Sequence[str],
    readers: Mapping[str, Reader],
    table: Any,
    problems: Callable[[Record], list[str]],
) -> int:
    """Import a record a row, all or nothing: each row's service known, ``problems`` none, its key once.

    ``table``'s one primary key column is the import's key (``audit_id``,
    ``consultation_id``).
    """
    key = table.__table__.primary_key.columns[0].name
    rows, records = parse_rows(path, columns, readers, table)
    no_repeats(path, rows, [r[key] for r in records], key)
    services = services_by_provider(session)
    check_rows(path, rows, [service_problems(services, r) + problems(r) for r in records])
    upsert(session, table, key, records)
    return len(records)
