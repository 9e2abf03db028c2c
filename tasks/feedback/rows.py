"""Reading an officer's feedback import: every cell read, every problem named by file, row and column.

An import with any bad row imports nothing: the problems are gathered and
raised together (``tasks.common.table_files.RowErrors``) before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.tables import ContractRecord
from tasks.common.contract_records import number_at_least
from tasks.common.table_files import RowErrors, TableRow, read_table
from tasks.intake.normalise import read_date, read_long_text, read_text

Record = dict[str, Any]
Reader = Callable[[Any], Any]
_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


def optional_text(value: Any) -> str:
    """Text, trimmed; ``""`` when blank; longer than an Excel cell holds is refused."""
    return read_long_text(value) or ""


def optional_date(value: Any) -> date | None:
    """A date, or ``None`` when blank."""
    return read_date(value)


def required_date(value: Any) -> date:
    """A date that must be given."""
    day = read_date(value)
    if day is None:
        raise ValueError("is blank")
    return day


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
    text = (read_text(value) or "").casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"'{read_text(value)}' is not yes or no")


def yes_no_blank_no(value: Any) -> bool:
    """``yes``/``no``; blank reads as no."""
    return bool(yes_no(value))


def parse_rows(
    path: Path, columns: Sequence[str], readers: Mapping[str, Reader], table: Any = None
) -> tuple[list[TableRow], list[Record]]:
    """Every row read with its column's reader; bad input naming file, row and column if any fails."""
    errors = RowErrors(path, [], table)
    rows = read_table(path, columns)
    parsed = [{name: errors.parse(row, name, readers[name]) for name in columns} for row in rows]
    errors.raise_if_any()
    return rows, parsed


def check_rows(path: Path, rows: Sequence[TableRow], problems: Sequence[list[str]]) -> None:
    """Bad input listing each row's problems (each ``column X: ...``), if there are any."""
    errors = RowErrors(path, [])
    for row, found in zip(rows, problems, strict=True):
        errors.problems.extend(f"{path}: row {row.number}, {problem}" for problem in found)
    errors.raise_if_any()


def no_repeats(path: Path, rows: Sequence[TableRow], keys: Sequence[Any], what: str) -> None:
    """Bad input when two rows of the file share a key."""
    errors = RowErrors(path, [])
    seen: dict[Any, int] = {}
    for row, key in zip(rows, keys, strict=True):
        if key in seen:
            errors.problems.append(f"{path}: row {row.number}: repeats the {what} of row {seen[key]}")
        seen.setdefault(key, row.number)
    errors.raise_if_any()


def services_by_provider(session: Session) -> dict[str, set[str]]:
    """Every provider of the contract records (any year) and its services."""
    statement = select(col(ContractRecord.provider_id), col(ContractRecord.service_id))
    services: dict[str, set[str]] = defaultdict(set)
    for provider_id, service_id in session.execute(statement):
        services[provider_id].add(service_id)
    return services


def service_problems(services: Mapping[str, set[str]], record: Record) -> list[str]:
    """The row's provider and service must be in the contract records, the service the provider's."""
    provider_id, service_id = record["provider_id"], record["service_id"]
    if provider_id not in services:
        return [f"column provider_id: {provider_id} is not a provider in the contract records"]
    if service_id not in services[provider_id]:
        return [f"column service_id: {service_id} is not a service of {provider_id} in the contract records"]
    return []


def upsert(session: Session, table: Any, key: str, records: Sequence[Record]) -> None:
    """Add or update rows of ``table`` by its primary key column ``key``."""
    for record in records:
        row = session.get(table, record[key]) or table(**record)
        for name, value in record.items():
            setattr(row, name, value)
        session.add(row)
    session.flush()
