"""Officers' imports: contract records and agreed extensions (``interface.md``). All or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlmodel import Session

from data_contracts.pi_workbook import CONTRACT_CELLS, QUARTERS, CellType
from data_contracts.tables import ContractRecord, Extension
from tasks.calendar.dates import is_year
from tasks.common.cell_values import read_number, read_text, shortened, typed_version
from tasks.common.import_rows import no_repeats, optional_text, parse_rows, required_date

CONTRACT_COLUMNS: tuple[str, ...] = (
    "year",
    *(c.name for c in CONTRACT_CELLS if c.name not in ("year_code", "year")),
)
EXTENSION_COLUMNS: tuple[str, ...] = ("service_id", "year", "quarter", "until")
EXTENSION_OPTIONAL_COLUMNS: tuple[str, ...] = ("reason",)  # why the return is late, shown in the reports
_ID = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")


def required_text(value: Any) -> str:
    """Text that must not be blank."""
    text = read_text(value)
    if not text:
        raise ValueError("is blank")
    return text


def id_text(value: Any) -> str:
    """A service or provider ID: letters and digits (``-`` and ``_`` inside), like ``SV00123``.

    IDs name the issued workbooks and the notices' folders, so one that is not
    a plain ID (a ``/``, ``..``, spaces) is refused here rather than made safe later.
    """
    text = required_text(value)
    if not _ID.match(text):
        raise ValueError(f"'{shortened(text)}' is not an ID (letters and digits, like SV00123)")
    return text


def year_text(value: Any) -> str:
    """A monitoring year such as ``2025/26``."""
    text = required_text(value)
    if not is_year(text):
        raise ValueError(f"'{text}' is not a year like 2025/26")
    return text


def quarter_text(value: Any) -> str:
    """``Q1`` .. ``Q4``."""
    text = required_text(value).upper()
    if text not in QUARTERS:
        raise ValueError(f"'{text}' is not a quarter Q1..Q4")
    return text


def one_of(choices: Sequence[str]) -> Callable[[Any], str]:
    """A reader that accepts one of ``choices`` (any case) and returns its canonical spelling."""

    def read(value: Any) -> str:
        text = required_text(value)
        for choice in choices:
            if choice.casefold() == text.casefold():
                return choice
        raise ValueError(f"'{text}' is not one of: {', '.join(choices)}")

    return read


def number_at_least(
    minimum: float, whole: bool = False, strict: bool = False
) -> Callable[[Any], float | int]:
    """A reader of numbers no smaller than ``minimum`` (or greater, when ``strict``)."""

    def read(value: Any) -> float | int:
        number = read_number(value)
        if number is None:
            raise ValueError("is blank")
        if whole and not number.is_integer():
            raise ValueError(f"{number:g} is not a whole number")
        if number < minimum or (strict and number == minimum):
            raise ValueError(f"{number:g} must be {'more than' if strict else 'at least'} {minimum:g}")
        return int(number) if whole else number

    return read


def version_text(value: Any) -> str:
    """A workbook version ``V1``, ``V2``, ...; blank means V1."""
    text = read_text(value) or "V1"
    number = typed_version(text)
    if number is None:
        raise ValueError(f"'{shortened(text)}' is not a version like V1")
    return f"V{number}"


def contract_readers() -> dict[str, Callable[[Any], Any]]:
    """How each contract column is read."""
    readers: dict[str, Callable[[Any], Any]] = {
        "year": year_text,
        "workbook_version": version_text,
        "service_id": id_text,
        "provider_id": id_text,
    }
    for cell in CONTRACT_CELLS:
        if cell.name in readers or cell.name == "year_code":
            continue
        if cell.choices:
            readers[cell.name] = one_of(cell.choices)
        elif cell.name == "contracted_units":
            readers[cell.name] = number_at_least(0, whole=True, strict=True)
        elif cell.type is CellType.NUMBER:
            readers[cell.name] = number_at_least(0)
        else:
            readers[cell.name] = required_text
    return readers


def import_contracts(session: Session, path: Path) -> int:
    """Upsert contract records by year and service ID; the number of records."""
    rows, records = parse_rows(path, CONTRACT_COLUMNS, contract_readers(), ContractRecord)
    no_repeats(path, rows, [(r["year"], r["service_id"]) for r in records], "year and service_id")
    for record in records:
        session.merge(ContractRecord(**record))
    return len(records)


def import_extensions(session: Session, path: Path) -> int:
    """Upsert agreed extensions by service, year and quarter; the number of extensions."""
    readers: dict[str, Callable[[Any], Any]] = {
        "service_id": id_text,
        "year": year_text,
        "quarter": quarter_text,
        "until": required_date,
        "reason": optional_text,
    }
    rows, records = parse_rows(path, EXTENSION_COLUMNS, readers, Extension, EXTENSION_OPTIONAL_COLUMNS)
    keys = [(r["service_id"], r["year"], r["quarter"]) for r in records]
    no_repeats(path, rows, keys, "service_id, year and quarter")
    for record in records:
        session.merge(Extension(**record))
    return len(records)
