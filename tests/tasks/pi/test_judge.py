"""Judging PI returns: every reason code of pi-rules.md, the blanking rules and the messages.

Great Expectations is slow to start, so the scenarios below are judged in one
batch by a module-scoped fixture and each test looks at its own scenario.
"""

from __future__ import annotations

from typing import Any

import pytest

from data_contracts.pi_workbook import COMMUNITY_ALARM, LONG_TERM
from data_contracts.reasons import PI_REASON_CODES
from data_contracts.tables import ContractRecord
from tasks.pi.judge import JudgedReturn, judge_pi_workbooks, missing_years
from tasks.pi.read import PiWorkbookContent
from tasks.pi.register import two_decimals
from tests.pi_cases import (
    CODE,
    CODE_2324,
    contract_page,
    floating,
    floating_cells,
    page,
    programme,
    short_stay,
    short_stay_cells,
    workbook,
)

EXPLAINED = "Two rooms closed for repairs after a flood"

CONTRACTS: list[ContractRecord] = [
    short_stay(),  # SV00123
    floating(),  # SV00200
    floating(year="2023/24"),  # SV00200 in the leap year 2023/24
    short_stay(service_id="SV00300", planned_duration=LONG_TERM),
    short_stay(service_id="SV00400", service_type=COMMUNITY_ALARM, frontline_hours_per_week=0.0),
    short_stay(service_id="SV00500", workbook_version="V2"),
    short_stay(service_id="SV00510", workbook_version="V9"),
    short_stay(service_id="SV00600", contracted_units=1000),
    short_stay(service_id="SV00700", contracted_units=800),
]


def long_stay_cells(**changes: Any) -> dict[str, Any]:
    """A clean return of SV00300 (long-term accommodation: KPI1, not KPI2 or SPI4)."""
    cells = short_stay_cells(planned_departures=None, unplanned_departures=None)
    cells |= {"continuing_service_users": 9, "departed_independent": 1, "departed_not_independent": 0}
    return cells | changes


def alarm_cells(**changes: Any) -> dict[str, Any]:
    """A clean return of SV00400 (community alarm, short term, no front line hours: SPI2 only)."""
    cells = floating_cells(units=10, service_user_days=910, frontline_hours_delivered=None)
    for cell in ("continuing_service_users", "departed_independent", "departed_not_independent"):
        cells[cell] = None
    return cells | changes


def ss(**changes: Any) -> PiWorkbookContent:
    """A workbook holding one Q1 return of SV00123 with ``changes``."""
    return workbook(page(short_stay_cells(**changes)))


def fl(**changes: Any) -> PiWorkbookContent:
    return workbook(page(floating_cells(**changes), service_id="SV00200"))


def with_contract_page(service_id: str = "SV00123", **changes: Any) -> PiWorkbookContent:
    record = next(c for c in CONTRACTS if c.service_id == service_id and c.year == "2025/26")
    return workbook(
        page(short_stay_cells(units=record.contracted_units), service_id=service_id),
        contract_cells=contract_page(record, **changes),
    )


# For SV00600 (1,000 units, UD = 91,000): SPI2 = 100 x 81,896 / 91,000 = 89.9956, shown as 90.00.
THOUSAND_UNITS = short_stay_cells(
    units=1000,
    unit_days_unavailable=0,
    unit_days_occupied=81896,
    planned_departures=150,
    unplanned_departures=10,
)
# For SV00700 (800 units): SPI4 = 100 x 113 / 800 = 14.125 exactly, 14.13 when exported.
EIGHT_HUNDRED_UNITS = short_stay_cells(
    units=800,
    unit_days_unavailable=0,
    unit_days_occupied=72800,
    planned_departures=100,
    unplanned_departures=10,
    departed_excluded=3,
)

SCENARIOS: dict[str, PiWorkbookContent] = {
    "clean_short_stay": ss(),
    "clean_floating": fl(),
    "clean_long_stay": workbook(page(long_stay_cells(), service_id="SV00300")),
    "clean_alarm": workbook(page(alarm_cells(), service_id="SV00400")),
    "clean_with_contract_page": with_contract_page(),
    # unknown_service
    "unknown": workbook(page(short_stay_cells(), service_id="SV09999")),
    "unknown_wrong_code": workbook(page(short_stay_cells(), service_id="SV09999", year_code="WRONG")),
    "unknown_everything_wrong": workbook(
        page(
            short_stay_cells(units=0, completed_by=None, unit_days_occupied=99999, referrals_received=99),
            service_id="SV09999",
        ),
        contract_cells=contract_page(short_stay(), workbook_version="V0", service_name="Changed"),
    ),
    "unknown_in_that_year": workbook(page(short_stay_cells(), year="2023/24", year_code=CODE_2324)),
    # year_code_mismatch
    "code_wrong": workbook(page(short_stay_cells(), year_code="TST-2425-ABC")),
    "code_blank": workbook(page(short_stay_cells(), year_code=None)),
    "code_spaces": workbook(page(short_stay_cells(), year_code=f"  {CODE} ")),
    "code_case": workbook(page(short_stay_cells(), year_code=CODE.lower())),
    "code_wrong_contract_page": with_contract_page(year_code="TST-2425-ABC"),
    "code_blank_contract_page": with_contract_page(year_code=None),
    # outdated_version
    "outdated": with_contract_page("SV00500", workbook_version="V1"),
    "outdated_blank_version": with_contract_page("SV00500", workbook_version=None),
    "version_same": with_contract_page("SV00500", workbook_version=" v2 "),
    "version_newer": with_contract_page("SV00500", workbook_version="V3"),
    "version_ten_after_nine": with_contract_page("SV00510", workbook_version="V10"),
    "outdated_no_contract_page": workbook(page(short_stay_cells(), service_id="SV00500")),
    # contract_altered
    "altered_units": with_contract_page(contracted_units=12),
    "altered_hours_and_type": with_contract_page(
        frontline_hours_per_week=40, service_type="Floating support"
    ),
    "altered_case_only": with_contract_page(service_name=" HARBOUR HOUSE ", contracted_units="10.0"),
    "altered_not_compared": with_contract_page(provider_name="New name Ltd", contract_manager="Someone"),
    # incomplete
    "blank_completed_by": ss(completed_by=None),
    "spaces_date_completed": ss(date_completed="   "),
    "blank_hours": ss(frontline_hours_delivered=None),
    "blank_two": ss(unit_days_occupied=None, referrals_pending=None),
    "floating_blank_user_days": fl(service_user_days=None),
    "not_required_blank": fl(unit_days_unavailable=None, planned_departures=None),
    "alarm_no_hours_needed": workbook(page(alarm_cells(), service_id="SV00400")),
    # invalid_value
    "text_units": ss(units="ten"),
    "negative": ss(planned_departures=-1),
    "not_whole": ss(unit_days_occupied=855.5),
    "not_whole_text": ss(new_service_users="2.5"),
    "hours_fraction": ss(frontline_hours_delivered=450.5),
    "numbers_as_text": ss(
        units=" 10 ", unit_days_occupied="855.0", referrals_received="14", date_completed="2025-07-14"
    ),
    "units_zero": ss(units=0),
    "units_zero_long": workbook(page(long_stay_cells(units=0), service_id="SV00300")),
    "unavailable_above_ud": ss(unit_days_unavailable=911),
    "unavailable_equal_ud": ss(unit_days_unavailable=910, unit_days_occupied=0),
    "occupied_above_available": ss(unit_days_occupied=901),
    "occupied_equal_available": ss(unit_days_occupied=900),
    "user_days_above_2ud": fl(service_user_days=3641),
    "user_days_equal_2ud": fl(service_user_days=3640),
    "hours_above_limit": ss(frontline_hours_delivered=1366),
    "hours_equal_limit": ss(frontline_hours_delivered=1365),
    "hours_no_limit_without_spi3": workbook(
        page(alarm_cells(frontline_hours_delivered=99999), service_id="SV00400")
    ),
    "completed_before_start": ss(date_completed="31/03/2025"),
    "completed_on_start": ss(date_completed="1/4/2025"),
    "completed_serial": ss(date_completed=45852),
    "date_unreadable": ss(date_completed="31/02/2025"),
    "not_required_unreadable": ss(service_user_days="lots"),
    # local_pi_unbalanced
    "outcomes_unbalanced": ss(referrals_accepted=9),
    "ethnicity_unbalanced": ss(referrals_eth_white=8),
    "both_unbalanced": ss(referrals_received=15),
    "unbalanced_one_blank": ss(referrals_eth_not_known=None),
    "unbalanced_one_negative": ss(referrals_eth_other=-1),
    "unbalanced_one_not_whole": ss(referrals_eth_other=0.5),
    # units_changed_unexplained
    "units_changed": ss(units=12, unit_days_occupied=1000),
    "units_changed_explained": ss(units=12, unit_days_occupied=1000, comments=EXPLAINED),
    "units_changed_na": ss(units=12, unit_days_occupied=1000, comments="n/a"),
    "units_changed_digits": ss(units=12, unit_days_occupied=1000, comments="12 from 1/4"),
    # trigger_unexplained
    "breach": ss(unit_days_occupied=700),
    "breach_explained": ss(unit_days_occupied=700, comments=EXPLAINED),
    "breach_see_above": ss(unit_days_occupied=700, comments="see above"),
    "breach_other_alphabet": ss(unit_days_occupied=700, comments="Ремонт двух комнат"),
    "breach_unrounded": workbook(page(THOUSAND_UNITS, service_id="SV00600")),
    "at_trigger": ss(unit_days_occupied=810),
    "kpi1_no_users": fl(continuing_service_users=0, departed_independent=0, departed_not_independent=0),
    "kpi2_no_departures": ss(planned_departures=0, unplanned_departures=0, departed_excluded=2),
    "spi4_rounding": workbook(page(EIGHT_HUNDRED_UNITS, service_id="SV00700")),
    # days from the calendar
    "leap_q4": workbook(
        page(
            floating_cells(date_completed="14/04/2024"),
            quarter="Q4",
            service_id="SV00200",
            year="2023/24",
            year_code=CODE_2324,
        )
    ),
    "plain_q4": workbook(
        page(floating_cells(date_completed="14/04/2026"), quarter="Q4", service_id="SV00200")
    ),
    # several at once
    "several": workbook(
        page(
            short_stay_cells(
                units=12,
                completed_by=None,
                unit_days_occupied=-1,
                referrals_received=15,
                planned_departures=0,
                unplanned_departures=4,
            ),
            year_code="WRONG",
        ),
        contract_cells=contract_page(short_stay(), workbook_version="V0", service_name="Other"),
    ),
    "two_quarters": workbook(
        page(short_stay_cells()),
        page(short_stay_cells(completed_by=None), quarter="Q2"),
        page({"units": 10}, quarter="Q3"),
    ),
    "no_quarter": workbook(
        page({"units": 10}),
        page({"units": 10, "completed_by": "  "}, quarter="Q2"),
        contract_cells=contract_page(short_stay()),
    ),
    "no_quarter_no_contract_page": workbook(page({}, quarter="Q4")),
}


@pytest.fixture(scope="module")
def judged() -> dict[str, list[JudgedReturn]]:
    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    results = judge_pi_workbooks(list(SCENARIOS.values()), contracts, programme())
    assert len(results) == len(SCENARIOS)
    return dict(zip(SCENARIOS, results, strict=True))


@pytest.fixture
def one(judged: dict[str, list[JudgedReturn]]) -> Any:
    def get(name: str) -> JudgedReturn:
        [row] = judged[name]
        return row

    return get


def present(row: JudgedReturn) -> set[str]:
    return {pi for pi, value in row.pis.items() if value is not None}


# --- clean returns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "pis"),
    [
        (
            "clean_short_stay",
            {"KPI2": 75.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0, "SPI4": 50.0},
        ),
        ("clean_floating", {"KPI1": 95.0, "SPI2": 90.0, "SPI3": 100.0}),
        ("clean_long_stay", {"KPI1": 100.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0}),
        ("clean_alarm", {"SPI2": 100.0}),
        (
            "clean_with_contract_page",
            {"KPI2": 75.0, "SPI1": 100 * 900 / 910, "SPI2": 95.0, "SPI3": 100.0, "SPI4": 50.0},
        ),
    ],
)
def test_clean_returns_pass_with_their_pis(one: Any, name: str, pis: dict[str, float]) -> None:
    row = one(name)
    assert (row.reasons, row.messages, row.breaches) == ([], [], [])
    assert {pi: value for pi, value in row.pis.items() if value is not None} == pytest.approx(pis)


def test_identity_and_provider_come_from_page_and_record(one: Any) -> None:
    row = one("clean_short_stay")
    assert (row.quarter, row.service_id, row.year, row.provider_id) == ("Q1", "SV00123", "2025/26", "PR0042")


def test_values_are_kept_typed_for_duplicates(one: Any) -> None:
    row = one("numbers_as_text")
    assert row.reasons == []
    assert row.values["units"] == 10.0
    assert row.values["unit_days_occupied"] == 855.0
    assert row.values["date_completed"] == "2025-07-14"
    assert row.values == one("clean_short_stay").values


def test_unreadable_values_are_kept_as_typed(one: Any) -> None:
    assert one("text_units").values["units"] == {"unreadable": "ten"}


# --- unknown_service ------------------------------------------------------------------------


def test_unknown_service(one: Any) -> None:
    row = one("unknown")
    assert row.reasons == ["unknown_service"]
    assert row.messages == ["Service ID 'SV09999' is not in the contract records for 2025/26."]
    assert row.service_id == "SV09999"
    assert all(value is None for value in row.pis.values())
    assert row.breaches == []


def test_unknown_service_may_add_only_year_code_mismatch(one: Any) -> None:
    assert one("unknown_wrong_code").reasons == ["unknown_service", "year_code_mismatch"]
    row = one("unknown_everything_wrong")
    assert row.reasons == ["unknown_service"]
    assert all(value is None for value in row.pis.values())


def test_service_known_only_in_another_year_is_unknown(one: Any) -> None:
    assert one("unknown_in_that_year").reasons == ["unknown_service"]


# --- year_code_mismatch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("code_wrong", "Q1 page: 'TST-2425-ABC'"),
        ("code_blank", "Q1 page: blank"),
        ("code_case", f"Q1 page: '{CODE.lower()}'"),
        ("code_wrong_contract_page", "Contract page: 'TST-2425-ABC'"),
        ("code_blank_contract_page", "Contract page: blank"),
    ],
)
def test_year_code_mismatch(one: Any, name: str, where: str) -> None:
    row = one(name)
    assert row.reasons == ["year_code_mismatch"]
    assert where in row.messages[0]
    assert "2025/26" in row.messages[0]


def test_year_code_mismatch_still_computes_the_pis(one: Any) -> None:
    assert one("code_wrong").pis == one("clean_short_stay").pis


def test_year_code_is_compared_after_trimming(one: Any) -> None:
    assert one("code_spaces").reasons == []


# --- outdated_version -----------------------------------------------------------------------


def test_outdated_version(one: Any) -> None:
    row = one("outdated")
    assert row.reasons == ["outdated_version"]
    assert "'V1'" in row.messages[0] and "V2" in row.messages[0]


def test_blank_version_is_outdated(one: Any) -> None:
    assert one("outdated_blank_version").reasons == ["outdated_version"]


@pytest.mark.parametrize("name", ["version_same", "version_newer", "version_ten_after_nine"])
def test_same_or_newer_version_is_not_outdated(one: Any, name: str) -> None:
    assert one(name).reasons == []


def test_version_is_not_judged_without_a_contract_page(one: Any) -> None:
    assert one("outdated_no_contract_page").reasons == []


# --- contract_altered -----------------------------------------------------------------------


def test_contract_altered_names_the_cell_and_both_figures(one: Any) -> None:
    row = one("altered_units")
    assert row.reasons == ["contract_altered"]
    assert row.messages == [
        "The contract page was changed: contracted_units is '12' but the contract record says '10'."
    ]


def test_contract_altered_names_every_difference(one: Any) -> None:
    row = one("altered_hours_and_type")
    assert row.reasons == ["contract_altered"]
    assert "service_type" in row.messages[0] and "frontline_hours_per_week" in row.messages[0]


@pytest.mark.parametrize("name", ["altered_case_only", "altered_not_compared"])
def test_contract_page_differences_that_do_not_count(one: Any, name: str) -> None:
    assert one(name).reasons == []


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


def test_referral_outcomes_must_add_up(one: Any) -> None:
    row = one("outcomes_unbalanced")
    assert row.reasons == ["local_pi_unbalanced"]
    assert row.messages == [
        "Referrals accepted, declined, withdrawn and pending add up to 15, but referrals received is 14."
    ]


def test_referrals_by_ethnicity_must_add_up(one: Any) -> None:
    row = one("ethnicity_unbalanced")
    assert row.reasons == ["local_pi_unbalanced"]
    assert row.messages == ["Referrals by ethnicity add up to 12, but referrals received is 14."]


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
    assert row.reasons == [
        "year_code_mismatch",
        "outdated_version",
        "contract_altered",
        "incomplete",
        "invalid_value",
        "local_pi_unbalanced",
        "units_changed_unexplained",
        "trigger_unexplained",
    ]
    assert row.reasons == [code for code in PI_REASON_CODES if code in row.reasons]


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


# --- workbooks with several or no quarters --------------------------------------------------


def test_each_completed_quarter_is_judged_on_its_own(judged: dict[str, list[JudgedReturn]]) -> None:
    rows = judged["two_quarters"]
    assert [(r.quarter, r.reasons) for r in rows] == [("Q1", []), ("Q2", ["incomplete"])]


def test_no_quarter_completed_is_one_file_level_row(judged: dict[str, list[JudgedReturn]]) -> None:
    [row] = judged["no_quarter"]
    assert (row.quarter, row.service_id, row.year, row.provider_id) == ("", "SV00123", "2025/26", "PR0042")
    assert row.reasons == ["no_quarter_completed"]
    assert row.messages


def test_no_quarter_completed_without_a_contract_page(judged: dict[str, list[JudgedReturn]]) -> None:
    [row] = judged["no_quarter_no_contract_page"]
    assert (row.quarter, row.service_id, row.year, row.reasons) == ("", "", "", ["no_quarter_completed"])


def test_every_code_but_unreadable_is_exercised(judged: dict[str, list[JudgedReturn]]) -> None:
    seen = {code for rows in judged.values() for row in rows for code in row.reasons}
    assert seen == set(PI_REASON_CODES) - {"unreadable"}


def test_missing_years_lists_well_formed_years_the_programme_lacks() -> None:
    content = workbook(
        page(short_stay_cells(), year="2024/25"),
        page(short_stay_cells(), quarter="Q2", year="2025/26"),
        page(short_stay_cells(), quarter="Q3", year="not a year"),
        page({"units": 1}, quarter="Q4", year="2030/31"),  # not a return
    )
    assert missing_years(content, programme()) == {"2024/25"}


def test_batches_without_a_known_service_need_no_checks() -> None:
    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    assert judge_pi_workbooks([], contracts, programme()) == []
    unknown = workbook(page(short_stay_cells(), service_id="SV09999"))
    [[row], [file_row]] = judge_pi_workbooks([unknown, workbook()], contracts, programme())
    assert row.reasons == ["unknown_service"]
    assert file_row.reasons == ["no_quarter_completed"]


def test_a_huge_number_is_invalid_not_a_crash() -> None:
    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    [[row]] = judge_pi_workbooks([ss(new_service_users="1" * 400)], contracts, programme())
    assert row.reasons == ["invalid_value"]


# --- hostile provider text -----------------------------------------------------------------


def test_hostile_ids_are_unknown_and_cut_to_their_column() -> None:

    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    books = [
        workbook(page(short_stay_cells(), service_id="SV" + "9" * 298)),
        workbook(page(short_stay_cells(), service_id="SV00123\x00")),
        workbook(page(short_stay_cells(), service_id="../../../escaped")),
    ]
    long_id, nul_id, traversal = (rows[0] for rows in judge_pi_workbooks(books, contracts, programme()))
    for row in (long_id, nul_id, traversal):
        assert row.reasons == ["unknown_service"]
    assert len(long_id.service_id) == 64 and long_id.service_id.endswith("...")
    assert nul_id.service_id == "SV00123\ufffd" and "\x00" not in nul_id.messages[0]
    assert traversal.service_id == "../../../escaped"  # shown as read; never used as a path as it is


def test_a_version_of_5000_digits_is_outdated_not_a_crash() -> None:
    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    book = workbook(
        page(short_stay_cells(), service_id="SV00500"),
        contract_cells=contract_page(CONTRACTS[5], workbook_version="V" + "1" * 5000),
    )
    [[row]] = judge_pi_workbooks([book], contracts, programme())
    assert "outdated_version" in row.reasons
    assert len(row.messages[row.reasons.index("outdated_version")]) < 300


def test_a_comment_longer_than_a_cell_is_invalid() -> None:
    contracts = {(c.year, c.service_id): c for c in CONTRACTS}
    book = workbook(page(short_stay_cells(comments="word " * 10_000)))
    [[row]] = judge_pi_workbooks([book], contracts, programme())
    assert row.reasons == ["invalid_value"]
    assert "Comments" in row.messages[0] and "more than the 32767 allowed" in row.messages[0]
    assert len(row.comments) <= 32_767
