"""Building the check frame that the PI return suite validates (see ``data_contracts.pi_return_suite``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from data_contracts.pi_check_frame import (
    FRAME_COLUMNS,
    LIMIT_RULES,
    NUMERIC_CELLS,
    ROW_ID,
    TYPED_CELLS,
    WHOLE_CELLS,
)
from data_contracts.pi_workbook import ETHNICITY_CELLS, LOCAL_PI_CELLS, PROVIDER_CELLS, REFERRAL_OUTCOME_CELLS
from data_contracts.tables import ContractRecord
from tasks.calendar.dates import days_in_quarter, quarter_period
from tasks.pi.rules import applicable_pis, required_cells
from tasks.pi.values import PageValues

if TYPE_CHECKING:  # pandas only when a batch has something to check (an empty run need not load it)
    import pandas as pd

_WHOLE = frozenset(WHOLE_CELLS)
_NUMERIC = frozenset(NUMERIC_CELLS)
_TYPED = frozenset(TYPED_CELLS)


@dataclass
class CheckRow:
    """One quarter return to check, with its service's contract record."""

    row_id: int
    contract: ContractRecord
    year: str
    quarter: str
    page: PageValues
    addresses: dict[str, str] = field(default_factory=dict)  # cell -> "Q1!B13", for messages


def usable(cell: str, value: Any) -> bool:
    """Whether a figure passes the single-value rules, so derived limits may use it."""
    if value is None or value < 0:
        return False
    if cell in _WHOLE and not float(value).is_integer():
        return False
    return not (cell == "units" and value == 0)


def _usable_values(page: PageValues) -> dict[str, float]:
    return {cell: float(page.values[cell]) for cell in NUMERIC_CELLS if usable(cell, page.values.get(cell))}


def derived_limits(row: CheckRow) -> dict[str, float | None]:
    """Unit days, the limits of pi-rules.md and the referral totals, from usable figures only."""
    figures = _usable_values(row.page)
    days = days_in_quarter(row.year, row.quarter)
    unit_days = figures["units"] * days if "units" in figures else None
    unavailable = figures.get("unit_days_unavailable")
    available = None
    if unit_days is not None and unavailable is not None and unavailable <= unit_days:
        available = unit_days - unavailable
    hours_limit = None
    if "SPI3" in applicable_pis(row.contract):
        hours_limit = 3 * row.contract.frontline_hours_per_week * days / 7
    all_local = all(cell in figures for cell in LOCAL_PI_CELLS)
    return {
        "unit_days": unit_days,
        "available_unit_days": available,
        "service_user_days_limit": None if unit_days is None else 2 * unit_days,
        "frontline_hours_limit": hours_limit,
        "outcomes_total": sum(figures[c] for c in REFERRAL_OUTCOME_CELLS) if all_local else None,
        "ethnicity_total": sum(figures[c] for c in ETHNICITY_CELLS) if all_local else None,
    }


def check_frame(rows: list[CheckRow]) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The long frame the suite validates, and what each of its rows is: (return's row_id, cell)."""
    import pandas as pd

    columns: dict[str, list[Any]] = {name: [] for name in FRAME_COLUMNS if name != ROW_ID}
    meaning: list[tuple[int, str]] = []
    for row in rows:
        for cell, record in _cell_records(row):
            meaning.append((row.row_id, cell))
            for name, value in record.items():
                columns[name].append(value)
    frame = pd.DataFrame({ROW_ID: range(len(meaning)), **columns})
    for column in ("number", "fraction", "units", "limit", "outcomes_total", "ethnicity_total"):
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
    for column in ("date_completed", "period_start"):
        frame[column] = pd.to_datetime(frame[column], errors="raise")
    return frame, meaning


def _readable(row: CheckRow, cell: str) -> bool | None:
    """Whether a filled number or date cell could be read; ``None`` where nothing is to read."""
    if cell not in _TYPED or cell not in row.page.given:
        return None
    return cell not in row.page.unreadable


def _cell_records(row: CheckRow) -> list[tuple[str, dict[str, Any]]]:
    required = set(required_cells(row.contract))
    limits = derived_limits(row)
    period_start = quarter_period(row.year, row.quarter)[0]
    records = []
    for cell in PROVIDER_CELLS:
        name, value = cell.name, row.page.values.get(cell.name)
        number = value if name in _NUMERIC and value is not None else None
        records.append(
            (
                name,
                {
                    "required_given": (name in row.page.given) if name in required else None,
                    "readable": _readable(row, name),
                    "number": number,
                    "fraction": None if number is None or name not in _WHOLE else number - math.floor(number),
                    "units": number if name == "units" else None,
                    "limit": limits[LIMIT_RULES[name][1]] if name in LIMIT_RULES else None,
                    "date_completed": value if name == "date_completed" else None,
                    "period_start": period_start if name == "date_completed" else None,
                    "outcomes_total": limits["outcomes_total"] if name == "referrals_received" else None,
                    "ethnicity_total": limits["ethnicity_total"] if name == "referrals_received" else None,
                },
            )
        )
    return records
