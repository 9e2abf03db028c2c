"""The quarterly PI workbook, format version 1 (spec: ``pi-workbook.md``).

One place says which cells a workbook has, their defined names, labels and
types, and who fills them. The reader, the issuer, the checks and the demo
data all take their cell lists from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CellType(StrEnum):
    """How a cell's value is read."""

    TEXT = "text"
    WHOLE = "whole"  # a whole number (a count)
    NUMBER = "number"  # any number
    DATE = "date"


class FilledBy(StrEnum):
    """Who fills a cell."""

    ISSUED = "issued"  # pre-populated when the workbook is issued
    PROVIDER = "provider"
    AUTHORITY = "authority"  # office use only


@dataclass(frozen=True)
class Cell:
    """One value cell: its defined name (without quarter prefix), label and type."""

    name: str
    label: str
    type: CellType
    filled_by: FilledBy = FilledBy.ISSUED
    choices: tuple[str, ...] = ()


CONTRACT_SHEET = "Contract"
GUIDANCE_SHEET = "Guidance"
QUARTERS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")

CLIENT_GROUPS: tuple[str, ...] = (
    "Older people",
    "Learning disabilities",
    "Mental health problems",
    "Physical or sensory disability",
    "Homeless families",
    "Single homeless",
    "Rough sleepers",
    "Young people at risk",
    "Care leavers",
    "Teenage parents",
    "Domestic violence",
    "Offenders",
    "Drug problems",
    "Alcohol problems",
    "Generic",
)
ACCOMMODATION_BASED = "Accommodation based"
FLOATING_SUPPORT = "Floating support"
COMMUNITY_ALARM = "Community alarm"
SERVICE_TYPES: tuple[str, ...] = (ACCOMMODATION_BASED, FLOATING_SUPPORT, COMMUNITY_ALARM)
SHORT_TERM = "Short term"
LONG_TERM = "Long term"
PLANNED_DURATIONS: tuple[str, ...] = (SHORT_TERM, LONG_TERM)
YES_NO: tuple[str, ...] = ("Yes", "No")

T, W, N, D = CellType.TEXT, CellType.WHOLE, CellType.NUMBER, CellType.DATE
P, A = FilledBy.PROVIDER, FilledBy.AUTHORITY

CONTRACT_CELLS: tuple[Cell, ...] = (
    Cell("year_code", "Authority code", T),
    Cell("workbook_version", "Workbook version", T),
    Cell("service_id", "Service ID", T),
    Cell("service_name", "Service name", T),
    Cell("provider_id", "Provider ID", T),
    Cell("provider_name", "Provider name", T),
    Cell("client_group", "Primary client group", T, choices=CLIENT_GROUPS),
    Cell("service_type", "Service type", T, choices=SERVICE_TYPES),
    Cell("administering_authority", "Administering authority", T),
    Cell("year", "Year", T),
    Cell("contracted_units", "Unit numbers", W),
    Cell("planned_duration", "Planned duration", T, choices=PLANNED_DURATIONS),
    Cell("out_of_hours_cover", "Out of hours cover", T, choices=YES_NO),
    Cell("contract_manager", "Contract manager", T),
    Cell("contract_manager_contact", "Contract manager contact", T),
    Cell("frontline_staff_fte", "Front line staff (FTE)", N),
    Cell("frontline_hours_per_week", "Front line support hours per week", N),
    Cell("management_staff_fte", "Management staff (FTE)", N),
    Cell("management_hours_per_week", "Management support hours per week", N),
    Cell("other_staff_fte", "Other staff (FTE)", N),
)

LOCAL_PI_CELLS: tuple[str, ...] = (
    "referrals_received",
    "referrals_accepted",
    "referrals_declined",
    "referrals_withdrawn",
    "referrals_pending",
    "referrals_eth_white",
    "referrals_eth_mixed",
    "referrals_eth_asian",
    "referrals_eth_black",
    "referrals_eth_other",
    "referrals_eth_not_known",
)
REFERRAL_OUTCOME_CELLS: tuple[str, ...] = LOCAL_PI_CELLS[1:5]
ETHNICITY_CELLS: tuple[str, ...] = LOCAL_PI_CELLS[5:]

QUARTER_CELLS: tuple[Cell, ...] = (
    Cell("year_code", "Authority code", T),
    Cell("service_id", "Service ID", T),
    Cell("year", "Year", T),
    Cell("period_start", "Period start", D),
    Cell("period_end", "Period end", D),
    Cell("days_in_period", "Days in period", W),
    # Issued with the contracted units; the provider may change it.
    Cell("units", "Unit numbers this quarter", W, P),
    Cell("unit_days_unavailable", "Unit days vacant and not available for letting", W, P),
    Cell("unit_days_occupied", "Unit days occupied", W, P),
    Cell("service_user_days", "Service user days supported", W, P),
    Cell("frontline_hours_delivered", "Front line support hours delivered", N, P),
    Cell("new_service_users", "New service users in period", W, P),
    Cell("continuing_service_users", "Service users continuing at period end", W, P),
    Cell("departed_independent", "Departed to independent living", W, P),
    Cell("departed_not_independent", "Departed to other accommodation", W, P),
    Cell("departed_excluded", "Departures excluded (died, transferred within provider)", W, P),
    Cell("planned_departures", "Planned departures", W, P),
    Cell("unplanned_departures", "Unplanned departures", W, P),
    Cell("referrals_received", "Referrals received", W, P),
    Cell("referrals_accepted", "Referrals accepted", W, P),
    Cell("referrals_declined", "Referrals declined", W, P),
    Cell("referrals_withdrawn", "Referrals withdrawn", W, P),
    Cell("referrals_pending", "Referrals pending (waiting list) at period end", W, P),
    Cell("referrals_eth_white", "Referrals by ethnicity: White", W, P),
    Cell("referrals_eth_mixed", "Referrals by ethnicity: Mixed", W, P),
    Cell("referrals_eth_asian", "Referrals by ethnicity: Asian or Asian British", W, P),
    Cell("referrals_eth_black", "Referrals by ethnicity: Black or Black British", W, P),
    Cell("referrals_eth_other", "Referrals by ethnicity: Other ethnic group", W, P),
    Cell("referrals_eth_not_known", "Referrals by ethnicity: Not known", W, P),
    Cell("comments", "Comments", T, P),
    Cell("completed_by", "Completed by", T, P),
    Cell("date_completed", "Date completed", D, P),
    Cell("office_checked_by", "Office use: checked by", T, A),
    Cell("office_date_checked", "Office use: date checked", D, A),
    Cell("office_comments", "Office use: comments", T, A),
)

QUARTER_CELL_BY_NAME: dict[str, Cell] = {cell.name: cell for cell in QUARTER_CELLS}
CONTRACT_CELL_BY_NAME: dict[str, Cell] = {cell.name: cell for cell in CONTRACT_CELLS}

# The cells a provider fills in a return, `units` included (it may change it).
PROVIDER_CELLS: tuple[Cell, ...] = tuple(c for c in QUARTER_CELLS if c.filled_by is P)
# A page is a return only when one of these has a value: `units` is issued
# pre-filled, so it never makes a page a return on its own.
RETURN_MARKER_CELLS: tuple[str, ...] = tuple(c.name for c in PROVIDER_CELLS if c.name != "units")
# The provider's figures: every provider cell that holds a number.
NUMERIC_PROVIDER_CELLS: tuple[str, ...] = tuple(
    c.name for c in PROVIDER_CELLS if c.type in (CellType.WHOLE, CellType.NUMBER)
)


def quarter_name(quarter: str, cell: str) -> str:
    """The defined name of a quarter cell: ``quarter_name("Q2", "units") == "q2_units"``."""
    return f"{quarter.lower()}_{cell}"


def workbook_file_name(service_id: str, year: str, version: str) -> str:
    """The issued file name: ``PI_SV00123_2025-26_V1.xlsx``."""
    return f"PI_{service_id}_{year.replace('/', '-')}_{version}.xlsx"
