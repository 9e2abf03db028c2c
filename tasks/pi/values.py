"""Normalising a quarter page's provider cells to typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from data_contracts.pi_workbook import PROVIDER_CELLS, CellType
from tasks.common.cell_values import UnreadableValue, read_date, read_long_text, read_number

_READERS = {
    CellType.TEXT: read_long_text,  # longer than an Excel cell holds: unreadable
    CellType.WHOLE: read_number,  # wholeness is an expectation of the check suite
    CellType.NUMBER: read_number,
    CellType.DATE: read_date,
}


@dataclass
class PageValues:
    """Provider values, typed. A blank or unreadable cell has no entry in ``values``."""

    values: dict[str, Any] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)  # cells that are not blank
    unreadable: dict[str, str] = field(default_factory=dict)  # cell -> why it cannot be read


def normalise_page(cells: dict[str, Any]) -> PageValues:
    """Read every provider cell as its type."""
    result = PageValues()
    for cell in PROVIDER_CELLS:
        raw = cells.get(cell.name)
        try:
            value = _READERS[cell.type](raw)
        except UnreadableValue as error:
            result.given.add(cell.name)
            result.unreadable[cell.name] = str(error)
            continue
        if value is not None:
            result.given.add(cell.name)
            result.values[cell.name] = value
    return result


def comparable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as stored and compared for duplicates (dates as ISO text)."""
    return {
        name: (value.isoformat() if hasattr(value, "isoformat") else value) for name, value in values.items()
    }
