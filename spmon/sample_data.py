"""Realistic contracts, programme files and PI returns, made with the project's own code.

The demo, the benchmark and the tests use these: the contracts of a plausible
authority, its programme file, and quarterly figures that pass every check of
``pi-rules.md``, written into issued workbooks as a provider would type them.
The same seed always gives the same output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import cast

from openpyxl import Workbook
from openpyxl.utils.cell import coordinate_to_tuple

from data_contracts.pi_workbook import (
    ACCOMMODATION_BASED,
    COMMUNITY_ALARM,
    FLOATING_SUPPORT,
    LONG_TERM,
    SHORT_TERM,
    quarter_name,
)
from data_contracts.tables import ContractRecord
from foundation.programme import PI_NAMES, Programme, YearSettings, parse_programme
from tasks.calendar.dates import days_in_quarter, quarter_period
from tasks.pi.issue import CellValue, build_pi_workbook, save_workbook
from tasks.pi.rules import is_short_term_accommodation, required_cells

AUTHORITY = "Dunmore City Council"
DEMO_TRIGGERS: dict[str, float] = {
    "KPI1": 90.0,
    "KPI2": 70.0,
    "SPI1": 90.0,
    "SPI2": 90.0,
    "SPI3": 90.0,
    "SPI4": 15.0,
}
FULL_TIME_HOURS = 37.5


@dataclass(frozen=True)
class _Profile:
    """A kind of service the authority buys."""

    service_type: str
    planned_duration: str
    client_groups: tuple[str, ...]
    kinds: tuple[str, ...]  # the end of the service name
    units: tuple[int, int]  # contracted units, from and to
    hours_per_unit: tuple[float, float]  # front line hours a week per unit; 0 for none
    out_of_hours_cover: str


# Type, duration, client groups, name endings, units from-to, front line hours a week per unit, out of hours.
_PROFILES = (
    _Profile(
        ACCOMMODATION_BASED,
        SHORT_TERM,
        ("Single homeless", "Young people at risk", "Rough sleepers"),
        ("Hostel", "Foyer"),
        (12, 40),
        (1.5, 3.0),
        "Yes",
    ),
    _Profile(
        FLOATING_SUPPORT,
        SHORT_TERM,
        ("Generic", "Homeless families", "Mental health problems"),
        ("Floating Support",),
        (30, 120),
        (0.8, 1.5),
        "No",
    ),
    _Profile(COMMUNITY_ALARM, LONG_TERM, ("Older people",), ("Community Alarm",), (150, 600), (0, 0), "Yes"),
    _Profile(
        ACCOMMODATION_BASED,
        LONG_TERM,
        ("Learning disabilities", "Physical or sensory disability"),
        ("Supported Housing",),
        (4, 16),
        (2.0, 5.0),
        "Yes",
    ),
    _Profile(
        FLOATING_SUPPORT,
        LONG_TERM,
        ("Older people", "Mental health problems", "Drug problems"),
        ("Tenancy Support",),
        (20, 80),
        (0.5, 1.2),
        "No",
    ),
    _Profile(
        ACCOMMODATION_BASED,
        SHORT_TERM,
        ("Domestic violence", "Teenage parents", "Offenders"),
        ("Refuge", "Project"),
        (6, 20),
        (2.0, 4.0),
        "Yes",
    ),
    # Sheltered housing alarms with a few warden hours.
    _Profile(
        COMMUNITY_ALARM, LONG_TERM, ("Older people",), ("Sheltered Alarm",), (30, 80), (0.1, 0.3), "Yes"
    ),
)
_PLACES = (
    "Riverside",
    "Hillcrest",
    "Abbey",
    "Northgate",
    "Meadow",
    "Castle",
    "Victoria",
    "Oakfield",
    "Harbour",
)
_PROVIDERS = (
    ("PR0001", "Dunmore Housing Association"),
    ("PR0002", "Hope Street Trust"),
    ("PR0003", "Northgate Care"),
    ("PR0004", "Safe Haven Women's Aid"),
    ("PR0005", "Carewatch Alarms Ltd"),
    ("PR0006", "Open Door Support"),
)
_OFFICERS = ("Sam Patel", "Alex Morgan", "Jo Williams", "Chris Okafor", "Priya Shah")
_PROVIDER_STAFF = ("Dee Harris", "Tom Baker", "Aisha Khan", "Mark Evans", "Lucy Chen")
_COMMENTS = (
    "A quiet quarter with no issues to report.",
    "Two new support workers started this quarter.",
    "Repairs to the communal kitchen were finished in the first month.",
)
_REFERRAL_OUTCOME_WEIGHTS = (5, 2, 1, 2)  # accepted, declined, withdrawn, pending
_ETHNICITY_WEIGHTS = (82, 3, 7, 4, 2, 2)  # white, mixed, asian, black, other, not known


def demo_contracts(year: str = "2025/26", count: int = 12, seed: int = 1) -> list[ContractRecord]:
    """``count`` contracts of a plausible authority for ``year``: services ``SV00101``, ``SV00102``, ...

    Their kinds cycle through hostels, floating support, community alarms (no front line
    hours), supported housing, tenancy support, refuges and sheltered alarms.
    """
    rng = _rng(seed)
    return [_demo_contract(year, number, _PROFILES[number % len(_PROFILES)], rng) for number in range(count)]


def _rng(seed: int | str) -> Random:
    """A generator that gives the same numbers for the same seed (demo data: nothing secret)."""
    return Random(seed)  # noqa: S311


def _demo_contract(year: str, number: int, profile: _Profile, rng: Random) -> ContractRecord:
    units = rng.randint(*profile.units)
    hours = _half_hours(units * rng.uniform(*profile.hours_per_unit))
    management_hours = _half_hours(max(7.5, hours * rng.uniform(0.1, 0.2)))
    provider_id, provider_name = rng.choice(_PROVIDERS)
    manager = rng.choice(_OFFICERS)
    return ContractRecord(
        year=year,
        service_id=f"SV{101 + number:05d}",
        service_name=f"{rng.choice(_PLACES)} {rng.choice(profile.kinds)}",
        provider_id=provider_id,
        provider_name=provider_name,
        client_group=rng.choice(profile.client_groups),
        service_type=profile.service_type,
        administering_authority=AUTHORITY,
        contracted_units=units,
        planned_duration=profile.planned_duration,
        out_of_hours_cover=profile.out_of_hours_cover,
        contract_manager=manager,
        contract_manager_contact=f"{manager.lower().replace(' ', '.')}@dunmore.example.gov.uk",
        frontline_staff_fte=round(hours / FULL_TIME_HOURS, 2),
        frontline_hours_per_week=hours,
        management_staff_fte=round(management_hours / FULL_TIME_HOURS, 2),
        management_hours_per_week=management_hours,
        other_staff_fte=round(rng.uniform(0, 1), 1),
    )


def _half_hours(hours: float) -> float:
    return round(hours * 2) / 2


def demo_year_code(year: str) -> str:
    """The demo authority code of a year: ``2025/26`` -> ``DCC-2526-`` and three letters."""
    letters = "".join(_rng(f"code {year}").choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=3))
    return f"DCC-{year[2:4]}{year[5:7]}-{letters}"


def demo_programme_toml(years: Sequence[str]) -> str:
    """The text of a programme file (``interface.md``) with the demo triggers for each year."""
    blocks = [_year_block(year) for year in years]
    blocks.append("[meeting_interval_months]\nRED = 3\nAMBER = 6\nGREEN = 12\n")
    return "\n".join(blocks)


def _year_block(year: str) -> str:
    triggers = "".join(f"{pi} = {DEMO_TRIGGERS[pi]!r}\n" for pi in PI_NAMES)
    return (
        f'[years."{year}"]\n'
        f'code = "{demo_year_code(year)}"\n'
        "deadline_working_days = 15\n"
        "report_delay_days = 7\n"
        "qaf_sample_percent = 10\n"
        "procurement_review = []\n\n"
        f'[years."{year}".triggers]\n{triggers}'
    )


def demo_programme(years: Sequence[str]) -> Programme:
    """The demo programme file, parsed."""
    return parse_programme(demo_programme_toml(years), source="demo programme")


def good_quarter_values(contract: ContractRecord, quarter: str, seed: int) -> dict[str, object]:
    """Provider values for one quarter that pass every check of ``pi-rules.md`` for this service.

    Only the cells the service must fill are given (and sometimes a comment); every PI that
    applies is comfortably above the demo triggers, so no explanation is needed.
    """
    rng = _rng(f"{seed}:{contract.year}:{contract.service_id}:{quarter}")
    days = days_in_quarter(contract.year, quarter)
    values: dict[str, object] = {"units": contract.contracted_units}
    values |= _usage(contract, days, rng)
    movement = _movement(contract, rng)
    values |= movement
    values |= _referrals(movement["new_service_users"], rng)
    values |= _sign_off(contract, quarter, rng)
    wanted = {*required_cells(contract), "comments"}
    return {name: value for name, value in values.items() if name in wanted}


def _usage(contract: ContractRecord, days: int, rng: Random) -> dict[str, float]:
    """Unit days, service user days and hours: SPI1 >= 96%, SPI2 >= 93%, SPI3 >= 94%, within the limits."""
    unit_days = contract.contracted_units * days
    unavailable = rng.randint(0, unit_days // 25)
    available = unit_days - unavailable
    hours_due = contract.frontline_hours_per_week * days / 7
    return {
        "unit_days_unavailable": unavailable,
        "unit_days_occupied": min(available, math.ceil(available * rng.uniform(0.93, 1.0))),
        "service_user_days": math.ceil(unit_days * rng.uniform(0.93, 1.1)),
        "frontline_hours_delivered": math.ceil(hours_due * rng.uniform(0.94, 1.05) * 2) / 2,
    }


def _movement(contract: ContractRecord, rng: Random) -> dict[str, int]:
    """Service users and departures: KPI1 >= 95%, KPI2 >= 80%, SPI4 >= 25%."""
    units = contract.contracted_units
    continuing = rng.randint(math.ceil(units * 0.85), units)
    independent = rng.randint(0, max(1, units // 10))
    departures = rng.randint(math.ceil(units * 0.25), math.ceil(units * 0.6))
    unplanned = rng.randint(0, departures // 5)
    if is_short_term_accommodation(contract):
        new_users = max(0, departures + rng.randint(-2, 2))
    else:
        new_users = rng.randint(0, max(1, units // 8))
    return {
        "new_service_users": new_users,
        "continuing_service_users": continuing,
        "departed_independent": independent,
        "departed_not_independent": rng.randint(0, (continuing + independent) // 20),
        "departed_excluded": rng.randint(0, max(1, units // 20)),
        "planned_departures": departures - unplanned,
        "unplanned_departures": unplanned,
    }


def _referrals(new_users: int, rng: Random) -> dict[str, int]:
    """Referrals that balance: outcomes and ethnicity counts both add up to referrals received."""
    received = new_users + rng.randint(0, 2 * new_users + 3)
    accepted, declined, withdrawn, pending = _split(received, _REFERRAL_OUTCOME_WEIGHTS, rng)
    white, mixed, asian, black, other, not_known = _split(received, _ETHNICITY_WEIGHTS, rng)
    return {
        "referrals_received": received,
        "referrals_accepted": accepted,
        "referrals_declined": declined,
        "referrals_withdrawn": withdrawn,
        "referrals_pending": pending,
        "referrals_eth_white": white,
        "referrals_eth_mixed": mixed,
        "referrals_eth_asian": asian,
        "referrals_eth_black": black,
        "referrals_eth_other": other,
        "referrals_eth_not_known": not_known,
    }


def _split(total: int, weights: Sequence[int], rng: Random) -> list[int]:
    """``total`` shared out at random in proportion to ``weights``; the parts add up to ``total``."""
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _sign_off(contract: ContractRecord, quarter: str, rng: Random) -> dict[str, object]:
    """Who completed the return and when (a few days after the quarter ends), and maybe a comment."""
    period_end = quarter_period(contract.year, quarter)[1]
    values: dict[str, object] = {
        "completed_by": rng.choice(_PROVIDER_STAFF),
        "date_completed": period_end + timedelta(days=rng.randint(1, 12)),
    }
    if rng.random() < 0.25:
        values["comments"] = rng.choice(_COMMENTS)
    return values


def fill_quarter(workbook: Workbook, quarter: str, values: Mapping[str, object]) -> None:
    """Type ``values`` into the quarter page's cells, found by defined name, as a provider would."""
    for name, value in values.items():
        defined_name = workbook.defined_names[quarter_name(quarter, name)]
        sheet_title, coordinate = next(iter(defined_name.destinations))
        row, column = coordinate_to_tuple(coordinate.replace("$", ""))
        workbook[sheet_title].cell(row, column).value = cast(CellValue, value)


def write_return(
    path: Path,
    contract: ContractRecord,
    year_settings: YearSettings,
    quarter_values: Mapping[str, Mapping[str, object]],
    received_at: datetime | None = None,
) -> Path:
    """Save an issued workbook with the given quarters filled in at ``path``.

    ``quarter_values`` maps ``Q1``..``Q4`` to provider values. When ``received_at`` is given
    (naive means UTC) it becomes the file's modification time, which is its received time.
    """
    workbook = build_pi_workbook(contract, year_settings)
    for quarter, values in quarter_values.items():
        fill_quarter(workbook, quarter, values)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save_workbook(workbook, path, modified_at=received_at)
