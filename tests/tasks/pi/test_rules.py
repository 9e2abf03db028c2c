"""Applicability, required cells, formulas, triggers, explanations and contract checks (pi-rules.md)."""

from __future__ import annotations

from typing import Any

import pytest

from data_contracts.pi_workbook import ACCOMMODATION_BASED, COMMUNITY_ALARM, FLOATING_SUPPORT, LOCAL_PI_CELLS
from foundation.programme import Triggers
from tasks.calendar.dates import days_in_quarter
from tasks.pi.rules import (
    applicable_pis,
    breaches,
    compute_pis,
    contract_differences,
    is_explanation,
    required_cells,
)
from tests.factories.pi_pages import (
    contract,
    contract_page,
    floating,
    floating_cells,
    short_stay,
    short_stay_cells,
)

TRIGGERS = Triggers(KPI1=90.0, KPI2=70.0, SPI1=90.0, SPI2=90.0, SPI3=90.0, SPI4=15.0)
ACC, FLO, ALA = ACCOMMODATION_BASED, FLOATING_SUPPORT, COMMUNITY_ALARM


def numbers(cells: dict[str, Any]) -> dict[str, float]:
    """The numeric cells of a hand-built return, as the judge passes valid values."""
    return {k: float(v) for k, v in cells.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


# --- which PI applies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("service_type", "duration", "hours", "expected"),
    [
        (ACC, "Short term", 35.0, ("KPI2", "SPI1", "SPI2", "SPI3", "SPI4")),
        (ACC, "Long term", 35.0, ("KPI1", "SPI1", "SPI2", "SPI3")),
        (FLO, "Short term", 35.0, ("KPI1", "SPI2", "SPI3")),
        (FLO, "Long term", 35.0, ("KPI1", "SPI2", "SPI3")),
        (ALA, "Short term", 35.0, ("SPI2", "SPI3")),
        (ALA, "Long term", 35.0, ("KPI1", "SPI2", "SPI3")),
        (ACC, "Short term", 0.0, ("KPI2", "SPI1", "SPI2", "SPI4")),
        (ACC, "Long term", 0.0, ("KPI1", "SPI1", "SPI2")),
        (FLO, "Short term", 0.0, ("KPI1", "SPI2")),
        (FLO, "Long term", 0.0, ("KPI1", "SPI2")),
        (ALA, "Short term", 0.0, ("SPI2",)),
        (ALA, "Long term", 0.0, ("KPI1", "SPI2")),
        (ACC, "Short term", 0.5, ("KPI2", "SPI1", "SPI2", "SPI3", "SPI4")),
        (" accommodation BASED ", " short TERM ", 1.0, ("KPI2", "SPI1", "SPI2", "SPI3", "SPI4")),
    ],
)
def test_applicable_pis(service_type: str, duration: str, hours: float, expected: tuple[str, ...]) -> None:
    record = contract(service_type=service_type, planned_duration=duration, frontline_hours_per_week=hours)
    assert applicable_pis(record) == expected


# --- which cells a return must fill ---------------------------------------------------------

EVERY = {"units", "new_service_users", "completed_by", "date_completed", *LOCAL_PI_CELLS}
ACCOMMODATION = {"unit_days_unavailable", "unit_days_occupied"}
USER_DAYS = {"service_user_days"}
HOURS = {"frontline_hours_delivered"}
KPI1 = {"continuing_service_users", "departed_independent", "departed_not_independent", "departed_excluded"}
KPI2 = {"planned_departures", "unplanned_departures", "departed_excluded"}


@pytest.mark.parametrize(
    ("service_type", "duration", "hours", "expected"),
    [
        (ACC, "Short term", 35.0, EVERY | ACCOMMODATION | HOURS | KPI2),
        (ACC, "Long term", 35.0, EVERY | ACCOMMODATION | HOURS | KPI1),
        (FLO, "Short term", 35.0, EVERY | USER_DAYS | HOURS | KPI1),
        (FLO, "Long term", 35.0, EVERY | USER_DAYS | HOURS | KPI1),
        (ALA, "Short term", 35.0, EVERY | USER_DAYS | HOURS),
        (ALA, "Long term", 35.0, EVERY | USER_DAYS | HOURS | KPI1),
        (ACC, "Short term", 0.0, EVERY | ACCOMMODATION | KPI2),
        (ALA, "Short term", 0.0, EVERY | USER_DAYS),
        (FLO, "Long term", 0.0, EVERY | USER_DAYS | KPI1),
    ],
)
def test_required_cells(service_type: str, duration: str, hours: float, expected: set[str]) -> None:
    record = contract(service_type=service_type, planned_duration=duration, frontline_hours_per_week=hours)
    cells = required_cells(record)
    assert set(cells) == expected
    assert len(cells) == len(set(cells))
    assert "comments" not in cells


# --- formulas -------------------------------------------------------------------------------


def test_short_stay_formulas_by_hand() -> None:
    pis = compute_pis(numbers(short_stay_cells()), short_stay(), 91)
    assert pis == {
        "KPI1": None,
        "KPI2": pytest.approx(75.0),
        "SPI1": pytest.approx(100 * 900 / 910),
        "SPI2": pytest.approx(95.0),
        "SPI3": pytest.approx(100.0),
        "SPI4": pytest.approx(50.0),
    }


def test_short_stay_formulas_in_a_92_day_quarter() -> None:
    """UD = 10 x 92 = 920; H x D / 7 = 35 x 92 / 7 = 460."""
    pis = compute_pis(numbers(short_stay_cells()), short_stay(), 92)
    assert pis["SPI1"] == pytest.approx(100 * 910 / 920)
    assert pis["SPI2"] == pytest.approx(100 * 855 / 910)
    assert pis["SPI3"] == pytest.approx(100 * 455 / 460)
    assert pis["SPI4"] == pytest.approx(50.0)  # throughput does not depend on D


def test_floating_support_formulas_by_hand() -> None:
    pis = compute_pis(numbers(floating_cells()), floating(), 91)
    assert pis == {
        "KPI1": pytest.approx(95.0),
        "KPI2": None,
        "SPI1": None,
        "SPI2": pytest.approx(90.0),
        "SPI3": pytest.approx(100.0),
        "SPI4": None,
    }


def test_community_alarm_utilisation_uses_service_user_days() -> None:
    record = contract(service_type=COMMUNITY_ALARM, planned_duration="Long term", contracted_units=50)
    values = {"units": 50.0, "service_user_days": 4095.0, "frontline_hours_delivered": 455.0}
    values |= {"continuing_service_users": 45.0, "departed_independent": 3.0, "departed_not_independent": 2.0}
    pis = compute_pis(values, record, 91)
    assert pis["SPI2"] == pytest.approx(100 * 4095 / 4550)
    assert pis["KPI1"] == pytest.approx(100 * 48 / 50)
    assert pis["SPI1"] is None


def test_unit_days_use_the_returned_units_not_the_contracted_ones() -> None:
    values = numbers(short_stay_cells(units=12))  # UD = 12 x 91 = 1,092
    pis = compute_pis(values, short_stay(contracted_units=10), 91)
    assert pis["SPI1"] == pytest.approx(100 * 1082 / 1092)
    assert pis["SPI2"] == pytest.approx(100 * 855 / 1082)
    assert pis["SPI4"] == pytest.approx(100 * 5 / 12)


@pytest.mark.parametrize(
    ("year", "quarter", "days"),
    [
        ("2023/24", "Q4", 91),
        ("2025/26", "Q4", 90),
        ("2027/28", "Q4", 91),
        ("2025/26", "Q1", 91),
        ("2025/26", "Q2", 92),
    ],
)
def test_days_come_from_the_calendar_with_leap_year_q4(year: str, quarter: str, days: int) -> None:
    assert days_in_quarter(year, quarter) == days
    pis = compute_pis(numbers(floating_cells(frontline_hours_delivered=900)), floating(), days)
    assert pis["SPI2"] == pytest.approx(100 * 1638 / (20 * days))
    assert pis["SPI3"] == pytest.approx(100 * 900 / (70 * days / 7))


def test_leap_year_q4_figures_by_hand() -> None:
    values = numbers(floating_cells(frontline_hours_delivered=900))
    leap = compute_pis(values, floating(), days_in_quarter("2023/24", "Q4"))
    plain = compute_pis(values, floating(), days_in_quarter("2025/26", "Q4"))
    assert (leap["SPI2"], plain["SPI2"]) == (pytest.approx(90.0), pytest.approx(91.0))
    assert (leap["SPI3"], plain["SPI3"]) == (pytest.approx(100 * 900 / 910), pytest.approx(100.0))


def test_kpi1_with_no_service_users_has_no_value_and_is_no_breach() -> None:
    values = numbers(
        floating_cells(continuing_service_users=0, departed_independent=0, departed_not_independent=0)
    )
    pis = compute_pis(values, floating(), 91)
    assert pis["KPI1"] is None
    assert "KPI1" not in breaches(pis, TRIGGERS)


def test_kpi2_with_no_departures_has_no_value_and_is_no_breach() -> None:
    values = numbers(short_stay_cells(planned_departures=0, unplanned_departures=0, departed_excluded=2))
    pis = compute_pis(values, short_stay(), 91)
    assert pis["KPI2"] is None
    assert pis["SPI4"] == pytest.approx(20.0)
    assert "KPI2" not in breaches(pis, TRIGGERS)


def test_everything_unavailable_leaves_utilisation_without_a_value() -> None:
    pis = compute_pis(
        numbers(short_stay_cells(unit_days_unavailable=910, unit_days_occupied=0)), short_stay(), 91
    )
    assert pis["SPI1"] == 0.0
    assert pis["SPI2"] is None


@pytest.mark.parametrize(
    ("missing", "without_value"),
    [
        ("units", {"SPI1", "SPI2", "SPI4"}),
        ("unit_days_unavailable", {"SPI1", "SPI2"}),
        ("unit_days_occupied", {"SPI2"}),
        ("frontline_hours_delivered", {"SPI3"}),
        ("planned_departures", {"KPI2", "SPI4"}),
        ("departed_excluded", {"SPI4"}),
        ("new_service_users", set()),
    ],
)
def test_a_blank_input_blanks_only_the_pis_that_use_it(missing: str, without_value: set[str]) -> None:
    values = numbers(short_stay_cells())
    del values[missing]
    pis = compute_pis(values, short_stay(), 91)
    applicable = set(applicable_pis(short_stay()))
    assert {pi for pi in applicable if pis[pi] is None} == without_value


# --- triggers and breaches ------------------------------------------------------------------


def test_breach_is_strictly_below_the_trigger() -> None:
    assert breaches({"SPI1": 90.0, "SPI2": 89.99999, "SPI4": 15.0, "KPI2": 70.00001}, TRIGGERS) == ["SPI2"]


def test_comparison_uses_the_unrounded_value() -> None:
    """89.996 shows as 90.00 but is below 90."""
    assert breaches({"SPI2": 89.996}, TRIGGERS) == ["SPI2"]
    assert breaches({"SPI2": 100 * 81896 / 91000}, TRIGGERS) == ["SPI2"]


def test_no_value_is_no_breach_and_breaches_are_in_pi_order() -> None:
    pis = {"SPI4": 1.0, "KPI1": None, "SPI2": 10.0, "KPI2": 0.0, "SPI1": None, "SPI3": 89.0}
    assert breaches(pis, TRIGGERS) == ["KPI2", "SPI2", "SPI3", "SPI4"]


# --- explanations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "Two units closed for repairs",
        "Void rooms awaiting decoration",
        "Staff sickness in August",
        "units 12 closed",
        "3 4 5",
        "Причина указана ниже",  # Cyrillic
        "Δύο δωμάτια κλειστά",  # Greek
        "房间 正在 维修",  # Chinese, three words separated by spaces
        "  lots   of   spaces  ",
        "one,two,three",
    ],
)
def test_explanations(comment: str) -> None:
    assert is_explanation(comment)


@pytest.mark.parametrize(
    "comment",
    [
        None,
        "",
        "   ",
        "n/a",
        "N/A",
        "see above",
        "-",
        "- - -",
        "...",
        "ok",
        "no comment",
        "___ ___ ___",
        "?? !! ??",
    ],
)
def test_not_explanations(comment: str | None) -> None:
    assert not is_explanation(comment)


def test_dont_know_is_three_words_by_the_spec_definition() -> None:
    """SPEC QUESTION: a word is a run of letters, so "don't" is two words ("don", "t")."""
    assert is_explanation("don't know")


def test_words_in_scripts_with_combining_vowel_signs_are_counted_whole() -> None:
    assert not is_explanation("समस्या नहीं")


# --- the contract page ---------------------------------------------------------


def test_a_matching_contract_page_has_no_differences() -> None:
    assert contract_differences(contract_page(short_stay()), short_stay()) == []


@pytest.mark.parametrize(
    ("cell", "typed"),
    [
        ("service_id", " sv00123 "),
        ("service_name", "HARBOUR HOUSE"),
        ("provider_id", "pr0042 "),
        ("client_group", " single homeless"),
        ("service_type", "ACCOMMODATION BASED"),
        ("planned_duration", "short term"),
        ("year", " 2025/26 "),
        ("contracted_units", "10"),
        ("contracted_units", " 10 "),
        ("contracted_units", 10.0),
        ("contracted_units", "10.0"),
        ("frontline_hours_per_week", "35.00"),
        ("frontline_hours_per_week", 35),
        # Not compared: any change is allowed.
        ("provider_name", "Someone Else"),
        ("administering_authority", "Elsewhere"),
        ("out_of_hours_cover", "No"),
        ("contract_manager", "Nobody"),
        ("frontline_staff_fte", 9.0),
        ("management_hours_per_week", 99.0),
        ("workbook_version", "V7"),
        ("year_code", "OTHER"),
    ],
)
def test_differences_ignore_case_spaces_and_number_format(cell: str, typed: Any) -> None:
    assert contract_differences(contract_page(short_stay(), **{cell: typed}), short_stay()) == []


@pytest.mark.parametrize(
    ("cell", "typed"),
    [
        ("service_id", "SV00124"),
        ("service_name", "Harbour Hostel"),
        ("provider_id", "PR0043"),
        ("client_group", "Older people"),
        ("service_type", FLOATING_SUPPORT),
        ("year", "2024/25"),
        ("contracted_units", 12),
        ("contracted_units", "ten"),
        ("contracted_units", None),
        ("planned_duration", "Long term"),
        ("frontline_hours_per_week", 37.5),
        ("service_name", None),
    ],
)
def test_each_compared_cell_that_differs_is_named(cell: str, typed: Any) -> None:
    differences = contract_differences(contract_page(short_stay(), **{cell: typed}), short_stay())
    assert len(differences) == 1
    assert differences[0].startswith(f"{cell} is ")


def test_several_differences_are_all_named() -> None:
    page = contract_page(short_stay(), contracted_units=12, service_type=FLOATING_SUPPORT)
    differences = contract_differences(page, short_stay())
    assert differences == [
        "service_type is 'Floating support' but the contract record says 'Accommodation based'",
        "contracted_units is '12' but the contract record says '10'",
    ]
