"""Judging PI returns: changes of units and breaches that need explaining, days of the quarter, several reasons at once."""

from __future__ import annotations

from typing import Any

import pytest

from data_contracts.reasons import PI_REASON_CODES
from tasks.pi.register import two_decimals

# --- units_changed_unexplained --------------------------------------------------------------


def test_units_changed_unexplained(one: Any) -> None:
    row = one("units_changed")
    assert row.reasons == ["units_changed_unexplained"]
    assert row.messages == [
        "Unit numbers this quarter is 12, but the contract is for 10 units, "
        "and the comments do not explain the change."
    ]


def test_units_changed_with_an_explanation(one: Any) -> None:
    assert one("units_changed_explained").reasons == []
    assert one("units_changed_digits").reasons == []


def test_units_changed_with_na_is_unexplained(one: Any) -> None:
    assert one("units_changed_na").reasons == ["units_changed_unexplained"]


# --- trigger_unexplained --------------------------------------------------------------------


def test_breach_without_explanation(one: Any) -> None:
    row = one("breach")
    assert row.breaches == ["SPI2"]
    assert row.reasons == ["trigger_unexplained"]
    assert row.messages == [
        "SPI2 is 77.78% against a trigger of 90%; explain this in the comments "
        "(a sentence of at least three words)."
    ]


@pytest.mark.parametrize("name", ["breach_explained", "breach_other_alphabet"])
def test_explained_breach_is_accepted_and_still_a_breach(one: Any, name: str) -> None:
    row = one(name)
    assert row.reasons == []
    assert row.breaches == ["SPI2"]
    assert row.comments


def test_see_above_explains_nothing(one: Any) -> None:
    assert one("breach_see_above").reasons == ["trigger_unexplained"]


def test_breach_uses_the_unrounded_value(one: Any) -> None:
    row = one("breach_unrounded")
    assert row.pis["SPI2"] == pytest.approx(89.9956, abs=1e-4)
    assert two_decimals(row.pis["SPI2"]) == "90.00"
    assert row.breaches == ["SPI2"]
    assert row.reasons == ["trigger_unexplained"]


def test_value_at_the_trigger_is_no_breach(one: Any) -> None:
    row = one("at_trigger")
    assert row.pis["SPI2"] == pytest.approx(90.0)
    assert (row.breaches, row.reasons) == ([], [])


def test_kpi1_with_no_service_users_is_no_breach(one: Any) -> None:
    row = one("kpi1_no_users")
    assert row.pis["KPI1"] is None
    assert (row.breaches, row.reasons) == ([], [])


def test_kpi2_with_no_departures_is_no_breach(one: Any) -> None:
    row = one("kpi2_no_departures")
    assert row.pis["KPI2"] is None
    assert row.pis["SPI4"] == pytest.approx(20.0)
    assert (row.breaches, row.reasons) == ([], [])


def test_trigger_message_rounds_like_the_register(one: Any) -> None:
    row = one("spi4_rounding")
    assert row.pis["SPI4"] == 14.125
    assert row.breaches == ["SPI4"]
    assert "SPI4 is 14.13%" in row.messages[0]


# --- days from the calendar -----------------------------------------------------------------


def test_leap_year_q4_has_91_days(one: Any) -> None:
    row = one("leap_q4")
    assert row.reasons == []
    assert row.pis["SPI2"] == pytest.approx(90.0)  # 1,638 / (20 x 91)


def test_ordinary_q4_has_90_days(one: Any) -> None:
    row = one("plain_q4")
    assert row.reasons == []
    assert row.pis["SPI2"] == pytest.approx(91.0)  # 1,638 / (20 x 90)
    assert row.pis["SPI3"] == pytest.approx(100 * 910 / 900)


# --- several reasons ------------------------------------------------------------------------


def test_every_reason_that_applies_in_the_spec_order(one: Any) -> None:
    row = one("several")
    everything_from_the_year_code_on = PI_REASON_CODES[PI_REASON_CODES.index("year_code_mismatch") :]
    assert row.reasons == list(everything_from_the_year_code_on)


def test_messages_follow_the_reasons(one: Any) -> None:
    messages = one("several").messages
    assert len(messages) == 9  # two for local_pi_unbalanced
    assert messages[0].startswith("The authority code is not the one issued for 2025/26 (Q1 page: 'WRONG')")
    assert messages[1].startswith("The workbook is version 'V0'")
    assert messages[2].startswith("The contract page was changed: service_name is 'Other'")
    assert messages[3] == "'Completed by' (Q1!B33) is blank; this service must fill it in."
    assert messages[4] == "'Unit days occupied' (Q1!B11) is -1; it cannot be negative."
    assert messages[5].startswith("Referrals accepted, declined, withdrawn and pending add up to 14")
    assert messages[6] == "Referrals by ethnicity add up to 14, but referrals received is 15."
    assert messages[7].startswith("Unit numbers this quarter is 12, but the contract is for 10 units")
    assert messages[8].startswith("KPI2 is 0.00% against a trigger of 70%")


def test_several_pis_computed_whatever_the_status(one: Any) -> None:
    row = one("several")
    assert row.pis["KPI2"] == 0.0
    assert row.pis["SPI1"] == pytest.approx(100 * (12 * 91 - 10) / (12 * 91))
    assert row.pis["SPI2"] is None
    assert row.pis["SPI4"] == pytest.approx(100 * 5 / 12)
    assert row.breaches == ["KPI2"]
