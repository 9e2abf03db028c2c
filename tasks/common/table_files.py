"""Reading officers' import files: CSV with a header row, or the first sheet of an ``.xlsx``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from data_contracts.column_limits import column_problem, has_control_characters, text_problem
from foundation.errors import BadInput
from tasks.common.cell_values import UnreadableValue, read_text


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
    """Problems found in an import file, each naming file, row and column.

    With ``table`` (the SQLModel class the rows go to), every value read is also
    checked against its column (``data_contracts.column_limits``): text too long
    for a ``VARCHAR``, an integer beyond ``int4``, a NUL character. SQLite
    would take them and PostgreSQL would not; both refuse them here instead.
    """

    path: Path
    problems: list[str]
    table: Any = None

    def parse(self, row: TableRow, column: str, reader: Callable[[Any], Any]) -> Any:
        """Read one cell with ``reader``; a problem is noted and ``None`` returned."""
        try:
            return self._fitting(column, reader(_raw_text_checked(row.cells.get(column))))
        except (UnreadableValue, ValueError) as error:
            self.problems.append(f"{self.path}: row {row.number}, column {column}: {error}")
            return None

    def _fitting(self, column: str, value: Any) -> Any:
        if self.table is not None:
            problem = column_problem(self.table, column, value)
        else:
            problem = text_problem(value) if isinstance(value, str) else None
        if problem:
            raise ValueError(problem)
        return value

    def raise_if_any(self) -> None:
        """Bad input with every problem (the first 50) when there are any: nothing is imported."""
        if self.problems:
            shown = self.problems[:50]
            more = len(self.problems) - len(shown)
            tail = f"\n... and {more} more" if more else ""
            raise BadInput("nothing imported:\n" + "\n".join(shown) + tail)


def _raw_text_checked(value: Any) -> Any:
    """The cell as it is; text holding NUL or another control character is refused."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValueError("holds a control character (such as NUL)")
    return value
