"""Judging PI returns: blank and invalid cells, and the local PIs that must add up."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tasks.pi.judge_scenarios import present

# --- incomplete -----------------------------------------------------------------------------


def test_blank_required_cell_is_incomplete_and_named(one: Any) -> None:
    row = one("blank_completed_by")
    assert row.reasons == ["incomplete"]
    assert row.messages == ["'Completed by' (Q1!B33) is blank; this service must fill it in."]


def test_a_cell_of_spaces_is_blank(one: Any) -> None:
    assert one("spaces_date_completed").reasons == ["incomplete"]


def test_each_blank_cell_has_its_message(one: Any) -> None:
    row = one("blank_two")
    assert row.reasons == ["incomplete"]
    assert len(row.messages) == 2
    assert any("'Unit days occupied' (Q1!B11)" in m for m in row.messages)
    assert any("'Referrals pending (waiting list) at period end' (Q1!B25)" in m for m in row.messages)


def test_blank_input_blanks_its_pis_and_every_other_pi_is_computed(one: Any) -> None:
    row = one("blank_hours")
    assert row.reasons == ["incomplete"]
    assert present(row) == {"KPI2", "SPI1", "SPI2", "SPI4"}
    row = one("blank_two")
    assert present(row) == {"KPI2", "SPI1", "SPI3", "SPI4"}


def test_floating_support_needs_service_user_days(one: Any) -> None:
    row = one("floating_blank_user_days")
    assert row.reasons == ["incomplete"]
    assert "'Service user days supported' (Q1!B12)" in row.messages[0]
    assert present(row) == {"KPI1", "SPI3"}


@pytest.mark.parametrize("name", ["not_required_blank", "alarm_no_hours_needed"])
def test_cells_the_service_does_not_need_may_stay_blank(one: Any, name: str) -> None:
    assert one(name).reasons == []


# --- invalid_value --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("text_units", "'Unit numbers this quarter' (Q1!B9) cannot be read: 'ten' is not a number."),
        ("negative", "'Planned departures' (Q1!B19) is -1; it cannot be negative."),
        ("not_whole", "'Unit days occupied' (Q1!B11) is 855.5; it must be a whole number."),
        ("not_whole_text", "'New service users in period' (Q1!B14) is 2.5; it must be a whole number."),
        ("units_zero", "'Unit numbers this quarter' (Q1!B9) is 0; a service has at least one unit."),
        (
            "unavailable_above_ud",
            "'Unit days vacant and not available for letting' (Q1!B10) is 911, "
            "more than the 910 unit days in the quarter (10 units x 91 days).",
        ),
        (
            "occupied_above_available",
            "'Unit days occupied' (Q1!B11) is 901, more than the 900 unit days available "
            "(unit days less 10 vacant and not available).",
        ),
        (
            "user_days_above_2ud",
            "'Service user days supported' (Q1!B12) is 3,641, more than 3,640, twice the unit days in the quarter.",
        ),
        (
            "hours_above_limit",
            "'Front line support hours delivered' (Q1!B13) is 1,366, more than 1,365, "
            "three times the contracted 35 hours a week over 91 days.",
        ),
        (
            "completed_before_start",
            "'Date completed' (Q1!B34) is 31/03/2025, before the period start 01/04/2025.",
        ),
        ("date_unreadable", "'Date completed' (Q1!B34) cannot be read: '31/02/2025' is not a real date."),
        (
            "not_required_unreadable",
            "'Service user days supported' (Q1!B12) cannot be read: 'lots' is not a number.",
        ),
    ],
)
def test_invalid_value_names_cell_and_figures(one: Any, name: str, message: str) -> None:
    row = one(name)
    assert row.reasons == ["invalid_value"]
    assert row.messages == [message]


@pytest.mark.parametrize(
    "name",
    [
        "hours_fraction",
        "occupied_equal_available",
        "user_days_equal_2ud",
        "hours_equal_limit",
        "hours_no_limit_without_spi3",
        "completed_on_start",
        "completed_serial",
    ],
)
def test_values_on_the_limits_are_valid(one: Any, name: str) -> None:
    assert one(name).reasons == []


@pytest.mark.parametrize(
    ("name", "present_pis"),
    [
        # occupied above available blanks SPI2 but not SPI1
        ("occupied_above_available", {"KPI2", "SPI1", "SPI3", "SPI4"}),
        # unavailable above UD blanks SPI1 and SPI2
        ("unavailable_above_ud", {"KPI2", "SPI3", "SPI4"}),
        # units 0 blanks SPI1, SPI2 and SPI4 but not KPI2 ...
        ("units_zero", {"KPI2", "SPI3"}),
        # ... nor KPI1
        ("units_zero_long", {"KPI1", "SPI3"}),
        # hours above the limit blank SPI3
        ("hours_above_limit", {"KPI2", "SPI1", "SPI2", "SPI4"}),
        # a date completed before the period start blanks nothing
        ("completed_before_start", {"KPI2", "SPI1", "SPI2", "SPI3", "SPI4"}),
        # service user days above 2 x UD blank SPI2
        ("user_days_above_2ud", {"KPI1", "SPI3"}),
        # a figure that is not whole blanks the PIs that use it
        ("not_whole", {"KPI2", "SPI1", "SPI3", "SPI4"}),
        ("negative", {"SPI1", "SPI2", "SPI3"}),
        ("text_units", {"KPI2", "SPI3"}),
    ],
)
def test_cross_checks_blank_only_the_pis_that_use_the_later_figure(
    one: Any, name: str, present_pis: set[str]
) -> None:
    assert present(one(name)) == present_pis


def test_everything_unavailable_is_valid_and_a_breach_of_spi1(one: Any) -> None:
    row = one("unavailable_equal_ud")
    assert row.reasons == ["trigger_unexplained"]
    assert row.pis["SPI1"] == 0.0
    assert row.pis["SPI2"] is None  # no unit days available: no value, no breach
    assert row.breaches == ["SPI1"]


def test_units_zero_is_not_also_a_change_of_units(one: Any) -> None:
    assert one("units_zero").reasons == ["invalid_value"]
    assert one("units_zero_long").reasons == ["invalid_value"]


def test_unavailable_above_ud_is_reported_once(one: Any) -> None:
    """The occupied cross-check needs a valid unavailable figure, so only one message."""
    assert len(one("unavailable_above_ud").messages) == 1


# --- local_pi_unbalanced --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "outcomes_unbalanced",
            "Referrals accepted, declined, withdrawn and pending add up to 15, but referrals received is 14.",
        ),
        ("ethnicity_unbalanced", "Referrals by ethnicity add up to 12, but referrals received is 14."),
    ],
    ids=["referral outcomes", "referrals by ethnicity"],
)
def test_referral_breakdowns_must_add_up(one: Any, name: str, message: str) -> None:
    row = one(name)
    assert row.reasons == ["local_pi_unbalanced"]
    assert row.messages == [message]


def test_both_sums_are_reported_under_one_code(one: Any) -> None:
    row = one("both_unbalanced")
    assert row.reasons == ["local_pi_unbalanced"]
    assert len(row.messages) == 2


@pytest.mark.parametrize(
    ("name", "reasons"),
    [
        ("unbalanced_one_blank", ["incomplete"]),
        ("unbalanced_one_negative", ["invalid_value"]),
        ("unbalanced_one_not_whole", ["invalid_value"]),
    ],
)
def test_balance_is_checked_only_when_all_eleven_are_present_and_valid(
    one: Any, name: str, reasons: list[str]
) -> None:
    assert one(name).reasons == reasons


def test_local_pis_do_not_blank_any_pi(one: Any) -> None:
    assert one("both_unbalanced").pis == one("clean_short_stay").pis
