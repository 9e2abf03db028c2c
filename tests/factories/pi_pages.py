"""Hand-built contract records, a programme and PI quarter pages, for the tests of PI rules and judging.

The figures are chosen so that each PI can be worked out by hand:

* ``short_stay()`` is a short-term accommodation based service of 10 units and
  35 front line hours a week. Its clean Q1 2025/26 return (D = 91, UD = 910)
  gives SPI1 = 100 x 900 / 910, SPI2 = 100 x 855 / 900 = 95, SPI3 = 100 x 455 /
  455 = 100, KPI2 = 100 x 3 / 4 = 75 and SPI4 = 100 x 5 / 10 = 50.
* ``floating()`` is a long-term floating support service of 20 units and 70
  hours a week. Its clean Q1 return (UD = 1,820) gives SPI2 = 100 x 1,638 /
  1,820 = 90, SPI3 = 100 x 910 / 910 = 100 and KPI1 = 100 x 19 / 20 = 95.
"""

from __future__ import annotations

from typing import Any

from data_contracts.pi_workbook import (
    ACCOMMODATION_BASED,
    FLOATING_SUPPORT,
    LONG_TERM,
    PROVIDER_CELLS,
    QUARTER_CELLS,
    SHORT_TERM,
)
from data_contracts.tables import ContractRecord
from foundation.programme import Programme, parse_programme
from tasks.pi.read import PiWorkbookContent, QuarterPage
from tests.factories.programmes import TRIGGERS

CODE = "TST-2526-ABC"
CODE_2324 = "TST-2324-XYZ"
YEAR = "2025/26"

PROGRAMME_TOML = f"""
[years."2025/26"]
code = "{CODE}"
deadline_working_days = 15

[years."2025/26".triggers]
{TRIGGERS}
[years."2023/24"]
code = "{CODE_2324}"

[years."2023/24".triggers]
{TRIGGERS}"""


def programme() -> Programme:
    """The test programme: 2025/26 and 2023/24, triggers KPI1 90, KPI2 70, SPI 90, SPI4 15."""
    return parse_programme(PROGRAMME_TOML)


def contract(**changes: Any) -> ContractRecord:
    """A contract record; by default SV00123, short-term accommodation, 10 units, 35 hours a week."""
    fields: dict[str, Any] = {
        "year": YEAR,
        "service_id": "SV00123",
        "service_name": "Harbour House",
        "provider_id": "PR0042",
        "provider_name": "Harbour Housing Trust",
        "client_group": "Single homeless",
        "service_type": ACCOMMODATION_BASED,
        "administering_authority": "Testshire County Council",
        "contracted_units": 10,
        "planned_duration": SHORT_TERM,
        "out_of_hours_cover": "Yes",
        "contract_manager": "Sam Jones",
        "contract_manager_contact": "sam.jones@example.org",
        "frontline_staff_fte": 2.0,
        "frontline_hours_per_week": 35.0,
        "management_staff_fte": 0.5,
        "management_hours_per_week": 10.0,
        "other_staff_fte": 0.0,
        "workbook_version": "V1",
    }
    fields.update(changes)
    return ContractRecord(**fields)


def short_stay(**changes: Any) -> ContractRecord:
    """Short-term accommodation based, 10 units, 35 front line hours a week."""
    return contract(**changes)


def floating(**changes: Any) -> ContractRecord:
    """Long-term floating support, 20 units, 70 front line hours a week."""
    fields: dict[str, Any] = {
        "service_id": "SV00200",
        "service_name": "Outreach Team",
        "service_type": FLOATING_SUPPORT,
        "planned_duration": LONG_TERM,
        "contracted_units": 20,
        "frontline_hours_per_week": 70.0,
    }
    fields.update(changes)
    return contract(**fields)


LOCAL_PIS: dict[str, Any] = {
    "referrals_received": 14,
    "referrals_accepted": 8,
    "referrals_declined": 3,
    "referrals_withdrawn": 2,
    "referrals_pending": 1,
    "referrals_eth_white": 10,
    "referrals_eth_mixed": 1,
    "referrals_eth_asian": 1,
    "referrals_eth_black": 1,
    "referrals_eth_other": 0,
    "referrals_eth_not_known": 1,
}


def short_stay_cells(**changes: Any) -> dict[str, Any]:
    """A clean Q1 return of ``short_stay()``: every required cell, no breach."""
    figures = {
        "units": 10,
        "unit_days_unavailable": 10,
        "unit_days_occupied": 855,
        "frontline_hours_delivered": 455,
        "new_service_users": 3,
        "departed_excluded": 1,
        "planned_departures": 3,
        "unplanned_departures": 1,
    }
    return _signed_off(figures, "14/07/2025", changes)


def floating_cells(**changes: Any) -> dict[str, Any]:
    """A clean Q1 return of ``floating()``: every required cell, no breach."""
    figures = {
        "units": 20,
        "service_user_days": 1638,
        "frontline_hours_delivered": 910,
        "new_service_users": 2,
        "continuing_service_users": 18,
        "departed_independent": 1,
        "departed_not_independent": 1,
        "departed_excluded": 0,
    }
    return _signed_off(figures, "2025-07-14", changes)


def _signed_off(figures: dict[str, Any], completed: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A page's figures with the local PIs, no comment and the sign-off, ``changes`` typed over them."""
    sign_off = {"comments": None, "completed_by": "Alex Smith", "date_completed": completed}
    return {**figures, **LOCAL_PIS, **sign_off, **changes}


# Where each cell sits on an issued quarter page (column B, from row 3): units at B9.
ROWS: dict[str, int] = {cell.name: row for row, cell in enumerate(QUARTER_CELLS, start=3)}


def addresses_of(quarter: str) -> dict[str, str]:
    """Every provider cell's address on a quarter page: ``{"units": "Q1!B9", ...}``."""
    return {cell.name: f"{quarter}!B{ROWS[cell.name]}" for cell in PROVIDER_CELLS}


def page(
    cells: dict[str, Any],
    quarter: str = "Q1",
    service_id: str = "SV00123",
    year: str = YEAR,
    year_code: str | None = CODE,
    addresses: dict[str, str] | None = None,
) -> QuarterPage:
    """A quarter page as the reader returns it (every provider cell at its issued address)."""
    return QuarterPage(
        quarter=quarter,
        year_code=year_code,
        service_id=service_id,
        year=year,
        cells=dict(cells),
        addresses=addresses_of(quarter) if addresses is None else dict(addresses),
    )


def contract_page(record: ContractRecord, code: str | None = CODE, **changes: Any) -> dict[str, Any]:
    """A contract page that matches ``record``, with ``changes`` typed over it."""
    cells: dict[str, Any] = {
        "year_code": code,
        "workbook_version": record.workbook_version,
        "service_id": record.service_id,
        "service_name": record.service_name,
        "provider_id": record.provider_id,
        "provider_name": record.provider_name,
        "client_group": record.client_group,
        "service_type": record.service_type,
        "administering_authority": record.administering_authority,
        "year": record.year,
        "contracted_units": record.contracted_units,
        "planned_duration": record.planned_duration,
        "out_of_hours_cover": record.out_of_hours_cover,
        "contract_manager": record.contract_manager,
        "contract_manager_contact": record.contract_manager_contact,
        "frontline_staff_fte": record.frontline_staff_fte,
        "frontline_hours_per_week": record.frontline_hours_per_week,
        "management_staff_fte": record.management_staff_fte,
        "management_hours_per_week": record.management_hours_per_week,
        "other_staff_fte": record.other_staff_fte,
    }
    cells.update(changes)
    return cells


def workbook(*pages: QuarterPage, contract_cells: dict[str, Any] | None = None) -> PiWorkbookContent:
    """A PI workbook's content."""
    return PiWorkbookContent(contract_page=contract_cells, quarter_pages=list(pages))
