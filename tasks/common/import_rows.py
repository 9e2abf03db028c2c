"""Reading an officer's import file: every cell read by its column's reader, nothing written on a bad row.

One reader for every import (contract records and extensions, meetings and
actions, grades and plans, feedback): the problems of every row are gathered
and raised together (``tasks.common.table_files.RowErrors``), each naming file,
row and column, before anything is written.
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
from tasks.common.cell_values import read_date, read_text
from tasks.common.table_files import RowErrors, TableRow, read_table

Record = dict[str, Any]
Reader = Callable[[Any], Any]
_TRUE, _FALSE = ("true", "yes", "y", "1"), ("false", "no", "n", "0")


def optional_text(value: Any) -> str:
    """Text, trimmed; ``""`` when blank."""
    return read_text(value) or ""


def optional_date(value: Any) -> date | None:
    """A date, or ``None`` when blank."""
    return read_date(value)


def required_date(value: Any) -> date:
    """A date that must be given."""
    day = read_date(value)
    if day is None:
        raise ValueError("is blank")
    return day


def optional_flag(value: Any, words: str) -> bool | None:
    """Yes or no (true/false, yes/no, y/n, 1/0, any case), ``None`` when blank; else not ``words``."""
    text = (read_text(value) or "").casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{read_text(value)}' is not {words}")


def parse_rows(
    path: Path,
    columns: Sequence[str],
    readers: Mapping[str, Reader],
    table: Any = None,
    optional: Sequence[str] = (),
) -> tuple[list[TableRow], list[Record]]:
    """Every row read with its column's reader; bad input naming file, row and column if any fails.

    An ``optional`` column may be left out of the file: its cells read as blank.
    """
    errors = RowErrors(path, [], table)
    rows = read_table(path, columns)
    names = (*columns, *optional)
    parsed = [{name: errors.parse(row, name, readers[name]) for name in names} for row in rows]
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
    """The row's provider must be in the contract records and its service, when it has one, the provider's."""
    provider_id, service_id = record["provider_id"], record.get("service_id")
    if provider_id not in services:
        return [f"column provider_id: {provider_id} is not a provider in the contract records"]
    if service_id and service_id not in services[provider_id]:
        return [f"column service_id: {service_id} is not a service of {provider_id} in the contract records"]
    return []


def read_known_rows(
    session: Session,
    path: Path,
    table_columns: tuple[Sequence[str], Sequence[str]],
    readers: Mapping[str, Reader],
    table: Any,
    key: tuple[Sequence[str], str],
) -> list[Record]:
    """Every row read, its provider (and service) in the contract records, no two rows with one key.

    ``table_columns`` are the required and optional columns; ``key`` the key's columns and its words.
    """
    columns, optional = table_columns
    rows, records = parse_rows(path, columns, readers, table, optional)
    services = services_by_provider(session)
    check_rows(path, rows, [service_problems(services, r) for r in records])
    names, what = key
    no_repeats(path, rows, [tuple(r[name] for name in names) for r in records], what)
    return records
