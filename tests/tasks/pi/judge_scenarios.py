"""The PI returns judged by the tests of ``tasks.pi.judge``: the contracts, and one scenario a case.

Great Expectations is slow to start, so every scenario is judged in one
batch (the ``judged`` fixture of this package's ``conftest``) and each test
looks at its own scenario.
"""

from __future__ import annotations

from typing import Any

from data_contracts.pi_workbook import COMMUNITY_ALARM, LONG_TERM
from data_contracts.tables import ContractRecord
from tasks.pi.judge import JudgedReturn, judge_pi_workbooks
from tasks.pi.read import PiWorkbookContent
from tests.factories.pi_pages import (
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
CONTRACTS_BY_KEY = {(c.year, c.service_id): c for c in CONTRACTS}


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
    record = CONTRACTS_BY_KEY[("2025/26", service_id)]
    return workbook(
        page(short_stay_cells(units=record.contracted_units), service_id=service_id),
        contract_cells=contract_page(record, **changes),
    )


def _every_unit_available(units: int, occupied: int, planned: int, **changes: Any) -> dict[str, Any]:
    """A large short-stay page: no unit day unavailable, 10 unplanned departures."""
    figures = {"unit_days_occupied": occupied, "planned_departures": planned, "unplanned_departures": 10}
    return short_stay_cells(units=units, unit_days_unavailable=0, **figures, **changes)


# For SV00600 (1,000 units, UD = 91,000): SPI2 = 100 x 81,896 / 91,000 = 89.9956, shown as 90.00.
THOUSAND_UNITS = _every_unit_available(1000, occupied=81896, planned=150)
# For SV00700 (800 units): SPI4 = 100 x 113 / 800 = 14.125 exactly, 14.13 when exported.
EIGHT_HUNDRED_UNITS = _every_unit_available(800, occupied=72800, planned=100, departed_excluded=3)

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


def judge_books(*books: PiWorkbookContent) -> list[list[JudgedReturn]]:
    """The workbooks judged against ``CONTRACTS`` and the test programme."""
    return judge_pi_workbooks(list(books), CONTRACTS_BY_KEY, programme())


def present(row: JudgedReturn) -> set[str]:
    return {pi for pi, value in row.pis.items() if value is not None}
