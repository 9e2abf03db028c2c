"""The rules of ``pi-rules.md`` that need no other record.

Which PI applies, which cells are required, the formulas, triggers,
explanations and the contract-page checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import regex

from data_contracts.pi_workbook import (
    ACCOMMODATION_BASED,
    FLOATING_SUPPORT,
    LOCAL_PI_CELLS,
    LONG_TERM,
    SHORT_TERM,
)
from data_contracts.tables import ContractRecord
from foundation.programme import PI_NAMES, Triggers
from tasks.common.cell_values import UnreadableValue, read_number, read_text

# A word is a run of letters of any alphabet (with their combining marks) or digits.
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
Values = Mapping[str, Any]


def _same_text(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


def is_accommodation(contract: ContractRecord) -> bool:
    """Accommodation based services (bed spaces and flats)."""
    return _same_text(contract.service_type, ACCOMMODATION_BASED)


def is_floating_support(contract: ContractRecord) -> bool:
    """Floating support services."""
    return _same_text(contract.service_type, FLOATING_SUPPORT)


def is_long_term(contract: ContractRecord) -> bool:
    """Planned duration of two years or more."""
    return _same_text(contract.planned_duration, LONG_TERM)


def is_short_term_accommodation(contract: ContractRecord) -> bool:
    """Short-term accommodation based services (hostels, refuges)."""
    return is_accommodation(contract) and _same_text(contract.planned_duration, SHORT_TERM)


def applicable_pis(contract: ContractRecord) -> tuple[str, ...]:
    """The PIs that apply to the service, in the spec's order."""
    applies = {
        "KPI1": is_long_term(contract) or is_floating_support(contract),
        "KPI2": is_short_term_accommodation(contract),
        "SPI1": is_accommodation(contract),
        "SPI2": True,
        "SPI3": contract.frontline_hours_per_week > 0,
        "SPI4": is_short_term_accommodation(contract),
    }
    return tuple(pi for pi in PI_NAMES if applies[pi])


def required_cells(contract: ContractRecord) -> tuple[str, ...]:
    """The provider cells a return for this service must fill."""
    pis = applicable_pis(contract)
    cells = ["units", "new_service_users", "completed_by", "date_completed", *LOCAL_PI_CELLS]
    if is_accommodation(contract):
        cells += ["unit_days_unavailable", "unit_days_occupied"]
    else:
        cells += ["service_user_days"]
    if "SPI3" in pis:
        cells += ["frontline_hours_delivered"]
    if "KPI1" in pis:
        cells += ["continuing_service_users", "departed_independent", "departed_not_independent"]
        cells += ["departed_excluded"]
    if "KPI2" in pis:
        cells += ["planned_departures", "unplanned_departures", "departed_excluded"]
    return tuple(dict.fromkeys(cells))


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else 100 * numerator / denominator


def _given(values: Values, *cells: str) -> list[float] | None:
    found = [values.get(cell) for cell in cells]
    return None if any(value is None for value in found) else [float(v) for v in found]  # type: ignore[arg-type]


def compute_pis(values: Values, contract: ContractRecord, days: int) -> dict[str, float | None]:
    """The six PIs (``None`` where one does not apply or has no value).

    ``values`` hold the return's valid figures: a blank or invalid figure is
    absent, so every PI that uses it has no value.
    """
    pis: dict[str, float | None] = dict.fromkeys(PI_NAMES)
    units = values.get("units")
    unit_days = None if units is None else float(units) * days
    formulas = {
        "SPI1": lambda: _spi1(values, unit_days),
        "SPI2": lambda: _spi2(values, unit_days, is_accommodation(contract)),
        "SPI3": lambda: _spi3(values, contract.frontline_hours_per_week, days),
        "KPI1": lambda: _kpi1(values),
        "KPI2": lambda: _kpi2(values),
        "SPI4": lambda: _spi4(values),
    }
    for pi in applicable_pis(contract):
        pis[pi] = formulas[pi]()
    return pis


def _spi1(values: Values, unit_days: float | None) -> float | None:
    got = _given(values, "unit_days_unavailable")
    if unit_days is None or got is None:
        return None
    return _ratio(unit_days - got[0], unit_days)


def _spi2(values: Values, unit_days: float | None, accommodation: bool) -> float | None:
    if unit_days is None:
        return None
    if accommodation:
        got = _given(values, "unit_days_occupied", "unit_days_unavailable")
        return None if got is None else _ratio(got[0], unit_days - got[1])
    got = _given(values, "service_user_days")
    return None if got is None else _ratio(got[0], unit_days)


def _spi3(values: Values, hours_per_week: float, days: int) -> float | None:
    got = _given(values, "frontline_hours_delivered")
    return None if got is None else _ratio(got[0], hours_per_week * days / 7)


def _kpi1(values: Values) -> float | None:
    got = _given(values, "continuing_service_users", "departed_independent", "departed_not_independent")
    if got is None:
        return None
    continuing, independent, not_independent = got
    return _ratio(continuing + independent, continuing + independent + not_independent)


def _kpi2(values: Values) -> float | None:
    got = _given(values, "planned_departures", "unplanned_departures")
    return None if got is None else _ratio(got[0], got[0] + got[1])


def _spi4(values: Values) -> float | None:
    got = _given(values, "planned_departures", "unplanned_departures", "departed_excluded", "units")
    return None if got is None else _ratio(got[0] + got[1] + got[2], got[3])


def breaches(pis: Mapping[str, float | None], triggers: Triggers) -> list[str]:
    """The PIs strictly below their trigger (unrounded), in the spec's order."""
    return [pi for pi in PI_NAMES if pis.get(pi) is not None and pis[pi] < triggers.of(pi)]  # type: ignore[operator]


def two_decimals(value: float | None) -> str:
    """A PI as exported: two decimals, half away from zero; blank when it has no value."""
    if value is None:
        return ""
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def is_explanation(comment: str | None) -> bool:
    """A comment of at least three words (runs of letters of any alphabet, or digits)."""
    return len(_WORD.findall(comment or "")) >= 3


# The contract page cells compared with the record, and how each is compared.
_COMPARED_TEXT = ("service_id", "service_name", "provider_id", "client_group", "service_type", "year")
_COMPARED_TEXT_AFTER_UNITS = ("planned_duration",)


def contract_differences(page: Mapping[str, Any], contract: ContractRecord) -> list[str]:
    """The compared contract-page cells that differ from the record, as plain sentences."""
    differences = []
    for name in (
        *_COMPARED_TEXT,
        "contracted_units",
        *_COMPARED_TEXT_AFTER_UNITS,
        "frontline_hours_per_week",
    ):
        recorded = getattr(contract, name)
        typed = page.get(name)
        if isinstance(recorded, str):
            same = _same_text(read_text(typed), recorded)
        else:
            same = _same_number(typed, float(recorded))
        if not same:
            differences.append(
                f"{name} is '{read_text(typed) or ''}' but the contract record says '{_show(recorded)}'"
            )
    return differences


def _same_number(typed: Any, recorded: float) -> bool:
    try:
        number = read_number(typed)
    except UnreadableValue:
        return False
    return number is not None and abs(number - recorded) < 1e-9


def _show(value: Any) -> str:
    return read_text(value) or ""
