"""Building the check frame that the PI return suite validates (see ``data_contracts.pi_return_suite``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from data_contracts.pi_check_frame import NUMERIC_CELLS, ROW_ID, WHOLE_CELLS
from data_contracts.pi_workbook import ETHNICITY_CELLS, LOCAL_PI_CELLS, PROVIDER_CELLS, REFERRAL_OUTCOME_CELLS
from data_contracts.tables import ContractRecord
from tasks.calendar import days_in_quarter, quarter_period
from tasks.pi_rules import applicable_pis, required_cells
from tasks.pi_values import PageValues

_WHOLE = frozenset(WHOLE_CELLS)


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
        "referral_outcomes_total": sum(figures[c] for c in REFERRAL_OUTCOME_CELLS) if all_local else None,
        "referral_ethnicity_total": sum(figures[c] for c in ETHNICITY_CELLS) if all_local else None,
    }


def _frame_row(row: CheckRow) -> dict[str, Any]:
    required = set(required_cells(row.contract))
    record: dict[str, Any] = {ROW_ID: row.row_id}
    for cell in PROVIDER_CELLS:
        value = row.page.values.get(cell.name)
        record[cell.name] = value
        record[f"{cell.name}__given"] = cell.name in row.page.given
        record[f"{cell.name}__required"] = cell.name in required
        if cell.name in _WHOLE:
            record[f"{cell.name}__fraction"] = None if value is None else value - math.floor(value)
    record["period_start"] = quarter_period(row.year, row.quarter)[0]
    record.update(derived_limits(row))
    return record


def check_frame(rows: list[CheckRow]) -> pd.DataFrame:
    """The frame the suite validates: one row per return, typed columns."""
    frame = pd.DataFrame([_frame_row(row) for row in rows])
    if frame.empty:
        return frame
    for column in frame.columns:
        if column.endswith(("__given", "__required")):
            frame[column] = frame[column].astype(bool)
    for column in (*NUMERIC_CELLS, *(f"{c}__fraction" for c in WHOLE_CELLS), *derived_columns()):
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
    for column in ("date_completed", "period_start"):
        frame[column] = pd.to_datetime(
            frame[column].map(lambda d: d if isinstance(d, date) else None), errors="raise"
        )
    return frame


def derived_columns() -> tuple[str, ...]:
    """The names of the derived columns."""
    return (
        "unit_days",
        "available_unit_days",
        "service_user_days_limit",
        "frontline_hours_limit",
        "referral_outcomes_total",
        "referral_ethnicity_total",
    )
