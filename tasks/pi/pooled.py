"""Pooled PIs of a group of services (``reports.md``): the same formula on summed counts.

A group's PI is ``100 x (sum of its services' numerators) / (sum of their
denominators)``, each service's numerator and denominator being those of the
formula of ``pi-rules.md`` that ``tasks.pi.rules.compute_pis`` applies to it,
never an average of percentages. A service adds to a PI only where its own
value of that PI exists (the PI applies and its inputs were valid); a pooled
PI whose summed denominator is 0 has no value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from data_contracts.tables import ContractRecord
from foundation.programme import PI_NAMES
from tasks.pi.rules import applicable_pis, is_accommodation

Fraction = tuple[float, float]  # (numerator, denominator)


def _numbers(values: Mapping[str, Any], *cells: str) -> list[float] | None:
    """The cells' numbers, or None when any is blank or not a number (an invalid figure)."""
    found = []
    for cell in cells:
        value = values.get(cell)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        found.append(float(value))
    return found


def pi_fractions(
    values: Mapping[str, Any], contract: ContractRecord, days: int
) -> dict[str, Fraction | None]:
    """Each applicable PI's numerator and denominator for one return (None where inputs are missing).

    The formulas are those of ``pi-rules.md``; ``100 * n / d`` equals the
    value ``compute_pis`` gives whenever ``d`` is not 0.
    """
    fractions: dict[str, Fraction | None] = dict.fromkeys(PI_NAMES)
    got = _numbers(values, "units")
    unit_days = None if got is None else got[0] * days
    for pi in applicable_pis(contract):
        fractions[pi] = _fraction(pi, values, contract, days, unit_days)
    return fractions


def _fraction(
    pi: str, values: Mapping[str, Any], contract: ContractRecord, days: int, unit_days: float | None
) -> Fraction | None:
    if pi == "SPI1":
        got = _numbers(values, "unit_days_unavailable")
        return None if got is None or unit_days is None else (unit_days - got[0], unit_days)
    if pi == "SPI2":
        if unit_days is None:
            return None
        if is_accommodation(contract):
            got = _numbers(values, "unit_days_occupied", "unit_days_unavailable")
            return None if got is None else (got[0], unit_days - got[1])
        got = _numbers(values, "service_user_days")
        return None if got is None else (got[0], unit_days)
    if pi == "SPI3":
        got = _numbers(values, "frontline_hours_delivered")
        return None if got is None else (got[0], contract.frontline_hours_per_week * days / 7)
    if pi == "KPI1":
        got = _numbers(values, "continuing_service_users", "departed_independent", "departed_not_independent")
        return None if got is None else (got[0] + got[1], got[0] + got[1] + got[2])
    if pi == "KPI2":
        got = _numbers(values, "planned_departures", "unplanned_departures")
        return None if got is None else (got[0], got[0] + got[1])
    got = _numbers(values, "planned_departures", "unplanned_departures", "departed_excluded", "units")
    return None if got is None else (got[0] + got[1] + got[2], got[3])  # SPI4


@dataclass(frozen=True)
class PooledPi:
    """One PI pooled over a group: summed numerator and denominator, and how many services added to it."""

    pi: str
    numerator: float = 0.0
    denominator: float = 0.0
    services: int = 0

    @property
    def value(self) -> float | None:
        """``100 x numerator / denominator``; None when the denominator is 0."""
        return None if self.denominator == 0 else 100 * self.numerator / self.denominator

    def add(self, fraction: Fraction) -> PooledPi:
        """The pooled PI with one more service's fraction added."""
        return PooledPi(
            self.pi, self.numerator + fraction[0], self.denominator + fraction[1], self.services + 1
        )


def pool(services: Iterable[Mapping[str, Fraction | None]]) -> dict[str, PooledPi]:
    """Each PI pooled over the services' fractions (one mapping of PI to fraction per service)."""
    pooled = {pi: PooledPi(pi) for pi in PI_NAMES}
    for fractions in services:
        for pi in PI_NAMES:
            fraction = fractions.get(pi)
            if fraction is not None:
                pooled[pi] = pooled[pi].add(fraction)
    return pooled
