"""Reading officers' import files: CSV with a header row, or the first sheet of an ``.xlsx``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from spmon.errors import BadInput
from tasks.normalise import UnreadableValue, read_text


@dataclass
class TableRow:
    """One data row, with its line (CSV) or row number (XLSX) for messages."""

    number: int
    cells: dict[str, Any]


def read_table(path: Path, required: Sequence[str]) -> list[TableRow]:
    """The rows of an import file; a missing file or column is bad input naming it."""
    if not path.is_file():
        raise BadInput(f"{path}: file not found")
    header, rows = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(path)
    names = [(read_text(name) or "").strip() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise BadInput(f"{path}: row 1: missing column(s) {', '.join(missing)}")
    return [
        TableRow(number, {name: row[i] if i < len(row) else None for i, name in enumerate(names) if name})
        for number, row in rows
        if any(read_text(value) for value in row)
    ]


def _read_csv(path: Path) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as error:
        raise BadInput(f"{path}: not a UTF-8 CSV file: {error}") from error
    if not lines:
        raise BadInput(f"{path}: the file is empty (no header row)")
    return list(lines[0]), [(index + 2, list(line)) for index, line in enumerate(lines[1:])]


def _read_xlsx(path: Path) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine's errors for unreadable workbooks
        raise BadInput(f"{path}: not a readable .xlsx workbook: {error}") from error
    if not rows:
        raise BadInput(f"{path}: the first sheet is empty (no header row)")
    return list(rows[0]), [(index + 2, list(row)) for index, row in enumerate(rows[1:])]


@dataclass
class RowErrors:
    """Problems found in an import file, each naming file, row and column."""

    path: Path
    problems: list[str]

    def parse(self, row: TableRow, column: str, reader: Callable[[Any], Any]) -> Any:
        """Read one cell with ``reader``; a problem is noted and ``None`` returned."""
        try:
            return reader(row.cells.get(column))
        except (UnreadableValue, ValueError) as error:
            self.problems.append(f"{self.path}: row {row.number}, column {column}: {error}")
            return None

    def raise_if_any(self) -> None:
        """Bad input with every problem (the first 50) when there are any: nothing is imported."""
        if self.problems:
            shown = self.problems[:50]
            more = len(self.problems) - len(shown)
            tail = f"\n... and {more} more" if more else ""
            raise BadInput("nothing imported:\n" + "\n".join(shown) + tail)
