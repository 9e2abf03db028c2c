"""Plain-words reasons for providers: each names the cells and the figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from data_contracts.pi_workbook import QUARTER_CELL_BY_NAME
from tasks.calendar.dates import days_in_quarter, quarter_period
from tasks.pi.frame import CheckRow, derived_limits


def figure(value: Any) -> str:
    """A figure as a person writes it: ``2,548``, ``2.5``, ``14/10/2025``."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def cell_label(row: CheckRow, cell: str) -> str:
    """A cell's label with its address when known: ``'Unit days occupied' (Q1!B13)``."""
    label = f"'{QUARTER_CELL_BY_NAME[cell].label}'"
    where = row.addresses.get(cell)
    return f"{label} ({where})" if where else label


def _value(row: CheckRow, cell: str) -> str:
    return figure(row.page.values.get(cell))


def _limit_sentence(row: CheckRow, cell: str, limit_text: str, limit_column: str) -> str:
    limit = derived_limits(row)[limit_column]
    return (
        f"{cell_label(row, cell)} is {_value(row, cell)}, more than {limit_text.format(limit=figure(limit))}."
    )


def _unavailable(row: CheckRow, cell: str) -> str:
    units, days = row.page.values.get("units"), _days(row)
    text = f"the {{limit}} unit days in the quarter ({figure(units)} units x {days} days)"
    return _limit_sentence(row, cell, text, "unit_days")


def _occupied(row: CheckRow, cell: str) -> str:
    unavailable = figure(row.page.values.get("unit_days_unavailable"))
    text = f"the {{limit}} unit days available (unit days less {unavailable} vacant and not available)"
    return _limit_sentence(row, cell, text, "available_unit_days")


def _service_user_days(row: CheckRow, cell: str) -> str:
    return _limit_sentence(
        row, cell, "{limit}, twice the unit days in the quarter", "service_user_days_limit"
    )


def _hours(row: CheckRow, cell: str) -> str:
    hours = figure(row.contract.frontline_hours_per_week)
    text = f"{{limit}}, three times the contracted {hours} hours a week over {_days(row)} days"
    return _limit_sentence(row, cell, text, "frontline_hours_limit")


def _days(row: CheckRow) -> int:
    return days_in_quarter(row.year, row.quarter)


def _completed_before(row: CheckRow, cell: str) -> str:
    start = quarter_period(row.year, row.quarter)[0]
    return f"{cell_label(row, cell)} is {_value(row, cell)}, before the period start {figure(start)}."


def _outcomes(row: CheckRow, cell: str) -> str:
    total = derived_limits(row)["outcomes_total"]
    return (
        f"Referrals accepted, declined, withdrawn and pending add up to {figure(total)}, "
        f"but referrals received is {_value(row, 'referrals_received')}."
    )


def _ethnicity(row: CheckRow, cell: str) -> str:
    total = derived_limits(row)["ethnicity_total"]
    return f"Referrals by ethnicity add up to {figure(total)}, but referrals received is {_value(row, cell)}."


def _required(row: CheckRow, cell: str) -> str:
    return f"{cell_label(row, cell)} is blank; this service must fill it in."


def _unreadable(row: CheckRow, cell: str) -> str:
    return f"{cell_label(row, cell)} cannot be read: {row.page.unreadable.get(cell, 'not a valid value')}."


def _negative(row: CheckRow, cell: str) -> str:
    return f"{cell_label(row, cell)} is {_value(row, cell)}; it cannot be negative."


def _not_whole(row: CheckRow, cell: str) -> str:
    return f"{cell_label(row, cell)} is {_value(row, cell)}; it must be a whole number."


def _units_zero(row: CheckRow, cell: str) -> str:
    return f"{cell_label(row, cell)} is 0; a service has at least one unit."


RULE_MESSAGES: dict[str, Callable[[CheckRow, str], str]] = {
    "required": _required,
    "unreadable": _unreadable,
    "negative": _negative,
    "not_whole": _not_whole,
    "units_zero": _units_zero,
    "unavailable_above_unit_days": _unavailable,
    "occupied_above_available": _occupied,
    "service_user_days_above_limit": _service_user_days,
    "hours_above_limit": _hours,
    "completed_before_period": _completed_before,
    "referral_outcomes_unbalanced": _outcomes,
    "referral_ethnicity_unbalanced": _ethnicity,
}


def finding_message(row: CheckRow, rule: str, cell: str) -> str:
    """The sentence for one failed expectation."""
    return RULE_MESSAGES[rule](row, cell)
