"""Pooled PIs: the formula on summed numerators and denominators, never an average of percentages."""

from __future__ import annotations

import pytest

from data_contracts.tables import ContractRecord
from tasks.pi.pooled import PooledPi, pi_fractions, pool
from tasks.pi.rules import compute_pis
from tests.factories.contracts import contract_record

VALUES = {
    "units": 10,
    "unit_days_unavailable": 20,
    "unit_days_occupied": 800,
    "service_user_days": 700,
    "frontline_hours_delivered": 450,
    "continuing_service_users": 8,
    "departed_independent": 1,
    "departed_not_independent": 1,
    "departed_excluded": 1,
    "planned_departures": 3,
    "unplanned_departures": 1,
}


def _contract(service_type: str, duration: str, hours: float = 35.0) -> ContractRecord:
    return contract_record("SV1", "PR1", service_type, planned_duration=duration, hours=hours)


@pytest.mark.parametrize(
    ("service_type", "duration", "hours"),
    [
        ("Accommodation based", "Short term", 35.0),
        ("Accommodation based", "Long term", 35.0),
        ("Floating support", "Short term", 20.0),
        ("Community alarm", "Long term", 0.0),
    ],
)
def test_each_fraction_gives_the_services_own_value(service_type: str, duration: str, hours: float) -> None:
    contract = _contract(service_type, duration, hours)
    fractions = pi_fractions(VALUES, contract, 92)
    values = compute_pis(VALUES, contract, 92)
    for pi, value in values.items():
        fraction = fractions[pi]
        if value is None:
            assert fraction is None or fraction[1] == 0, pi
        else:
            assert fraction is not None
            assert 100 * fraction[0] / fraction[1] == pytest.approx(value), pi


def test_fractions_by_hand() -> None:
    accommodation = pi_fractions(VALUES, _contract("Accommodation based", "Short term"), 92)
    assert accommodation["SPI1"] == (920 - 20, 920)
    assert accommodation["SPI2"] == (800, 900)
    assert accommodation["SPI3"] == (450, 35 * 92 / 7)
    assert accommodation["KPI2"] == (3, 4)
    assert accommodation["SPI4"] == (5, 10)
    assert accommodation["KPI1"] is None  # short-term accommodation: KPI1 does not apply
    floating = pi_fractions(VALUES, _contract("Floating support", "Short term"), 92)
    assert floating["SPI2"] == (700, 920)
    assert floating["KPI1"] == (9, 10)


def test_missing_or_invalid_inputs_give_no_fraction() -> None:
    contract = _contract("Accommodation based", "Short term")
    fractions = pi_fractions(
        {**VALUES, "unit_days_occupied": {"unreadable": "abc"}, "units": None}, contract, 92
    )
    assert fractions["SPI1"] is None and fractions["SPI2"] is None and fractions["SPI4"] is None
    assert fractions["SPI3"] == (450, 35 * 92 / 7)


def test_pooling_sums_numerators_and_denominators() -> None:
    pooled = pool([{"SPI2": (90.0, 100.0)}, {"SPI2": (10.0, 100.0)}, {"SPI2": None, "KPI2": (0.0, 0.0)}])
    # (90 + 10) / (100 + 100) = 50%, whereas averaging 90% and 10% would also give 50%: use unequal sizes
    assert pooled["SPI2"].value == pytest.approx(50.0)
    unequal = pool([{"SPI2": (90.0, 100.0)}, {"SPI2": (1.0, 10.0)}])
    assert unequal["SPI2"].value == pytest.approx(100 * 91 / 110)
    assert unequal["SPI2"].services == 2
    assert pooled["KPI2"].value is None  # a zero denominator has no value
    assert pooled["KPI1"] == PooledPi("KPI1")
