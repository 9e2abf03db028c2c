"""Demo contracts, programme file and good returns (spmon/sample_data.py)."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from data_contracts.pi_workbook import (
    CLIENT_GROUPS,
    COMMUNITY_ALARM,
    ETHNICITY_CELLS,
    LOCAL_PI_CELLS,
    PLANNED_DURATIONS,
    PROVIDER_CELLS,
    QUARTERS,
    REFERRAL_OUTCOME_CELLS,
    SERVICE_TYPES,
    YES_NO,
    CellType,
    quarter_name,
)
from data_contracts.tables import ContractRecord
from foundation.programme import PI_NAMES, parse_programme
from spmon.sample_data import (
    DEMO_TRIGGERS,
    demo_contracts,
    demo_programme,
    demo_programme_toml,
    fill_quarter,
    good_quarter_values,
    write_return,
)
from tasks.calendar.dates import days_in_quarter, quarter_period
from tasks.intake.workbook_reader import read_workbook
from tasks.pi.issue import build_pi_workbook
from tasks.pi.read import read_pi_workbook
from tasks.pi.rules import breaches, compute_pis
from tasks.pi.values import normalise_page

YEAR = "2025/26"
CONTRACTS = demo_contracts(YEAR, count=14)
SETTINGS = demo_programme([YEAR]).year(YEAR)
# Well clear of the demo triggers (KPI1 90, KPI2 70, SPI1-3 90, SPI4 15).
MARGINS = {"KPI1": 92.0, "KPI2": 75.0, "SPI1": 92.0, "SPI2": 92.0, "SPI3": 92.0, "SPI4": 20.0}
CELL_TYPES = {cell.name: cell.type for cell in PROVIDER_CELLS}


def test_demo_contracts_are_a_plausible_mix() -> None:
    contracts = demo_contracts()
    assert len(contracts) == 12
    assert len({c.service_id for c in contracts}) == 12
    assert {c.service_type for c in contracts} == set(SERVICE_TYPES)
    assert {c.planned_duration for c in contracts} == set(PLANNED_DURATIONS)
    alarms = [c for c in contracts if c.service_type == COMMUNITY_ALARM]
    assert any(c.frontline_hours_per_week == 0 for c in alarms)
    assert any(c.frontline_hours_per_week > 0 for c in contracts)
    for contract in contracts:
        assert contract.year == "2025/26"
        assert re.fullmatch(r"SV\d{5}", contract.service_id)
        assert re.fullmatch(r"PR\d{4}", contract.provider_id)
        assert contract.client_group in CLIENT_GROUPS
        assert contract.out_of_hours_cover in YES_NO
        assert contract.contracted_units > 0
        assert contract.frontline_hours_per_week >= 0 and contract.management_hours_per_week >= 0
        assert contract.workbook_version == "V1"


def test_demo_contracts_are_deterministic() -> None:
    def dumped(seed: int) -> list[dict[str, object]]:
        return [c.model_dump() for c in demo_contracts("2026/27", count=5, seed=seed)]

    assert dumped(7) == dumped(7)
    assert dumped(7) != dumped(8)
    assert all(c["year"] == "2026/27" for c in dumped(7))


def test_demo_programme_file_parses() -> None:
    text = demo_programme_toml(["2025/26", "2026/27"])
    programme = parse_programme(text)
    assert set(programme.years) == {"2025/26", "2026/27"}
    codes = [programme.year(year).code for year in ("2025/26", "2026/27")]
    assert codes[0] != codes[1] and codes[0].startswith("DCC-2526-")
    for year in programme.years.values():
        assert {pi: year.triggers.of(pi) for pi in PI_NAMES} == DEMO_TRIGGERS
        assert year.deadline_working_days == 15
    assert programme.meeting_interval_months.model_dump() == {"RED": 3, "AMBER": 6, "GREEN": 12}
    assert demo_programme_toml(["2025/26"]) == demo_programme_toml(["2025/26"])


# --- good returns, judged with the formulas of pi-rules.md written out again here ---


def applicable(contract: ContractRecord) -> set[str]:
    accommodation = contract.service_type == "Accommodation based"
    long_term = contract.planned_duration == "Long term"
    short_term_accommodation = accommodation and not long_term
    pis = {"SPI2"}
    pis |= {"KPI1"} if long_term or contract.service_type == "Floating support" else set()
    pis |= {"KPI2", "SPI4"} if short_term_accommodation else set()
    pis |= {"SPI1"} if accommodation else set()
    pis |= {"SPI3"} if contract.frontline_hours_per_week > 0 else set()
    return pis


def required(contract: ContractRecord) -> set[str]:
    pis = applicable(contract)
    cells = {"units", "new_service_users", "completed_by", "date_completed", *LOCAL_PI_CELLS}
    if contract.service_type == "Accommodation based":
        cells |= {"unit_days_unavailable", "unit_days_occupied"}
    else:
        cells |= {"service_user_days"}
    if "SPI3" in pis:
        cells |= {"frontline_hours_delivered"}
    if "KPI1" in pis:
        cells |= {"continuing_service_users", "departed_independent", "departed_not_independent"}
        cells |= {"departed_excluded"}
    if "KPI2" in pis:
        cells |= {"planned_departures", "unplanned_departures", "departed_excluded"}
    return cells


def pis_of(values: dict[str, object], contract: ContractRecord, days: int) -> dict[str, float]:
    v = {name: float(value) for name, value in values.items() if isinstance(value, int | float)}
    unit_days = v["units"] * days
    formulas = {
        "SPI1": lambda: 100 * (unit_days - v["unit_days_unavailable"]) / unit_days,
        "SPI2": lambda: (
            100 * v["unit_days_occupied"] / (unit_days - v["unit_days_unavailable"])
            if contract.service_type == "Accommodation based"
            else 100 * v["service_user_days"] / unit_days
        ),
        "SPI3": lambda: 100 * v["frontline_hours_delivered"] / (contract.frontline_hours_per_week * days / 7),
        "KPI1": lambda: (
            100
            * (v["continuing_service_users"] + v["departed_independent"])
            / (v["continuing_service_users"] + v["departed_independent"] + v["departed_not_independent"])
        ),
        "KPI2": lambda: 100 * v["planned_departures"] / (v["planned_departures"] + v["unplanned_departures"]),
        "SPI4": lambda: (
            100 * (v["planned_departures"] + v["unplanned_departures"] + v["departed_excluded"]) / v["units"]
        ),
    }
    return {pi: formulas[pi]() for pi in applicable(contract)}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("quarter", QUARTERS)
@pytest.mark.parametrize("contract", CONTRACTS, ids=[f"{c.service_id} {c.service_type}" for c in CONTRACTS])
def test_good_quarter_values_pass_every_check(contract: ContractRecord, quarter: str, seed: int) -> None:
    values = good_quarter_values(contract, quarter, seed)
    days = days_in_quarter(YEAR, quarter)
    assert required(contract) <= set(values) <= required(contract) | {"comments"}
    assert values["units"] == contract.contracted_units
    for name, value in values.items():
        if CELL_TYPES[name] is CellType.WHOLE:
            assert isinstance(value, int) and value >= 0, name
        elif CELL_TYPES[name] is CellType.NUMBER:
            assert isinstance(value, int | float) and value >= 0, name
    assert isinstance(values["completed_by"], str) and values["completed_by"]
    assert isinstance(values["date_completed"], date)
    assert values["date_completed"] > quarter_period(YEAR, quarter)[1]

    n = {name: value for name, value in values.items() if isinstance(value, int | float)}
    assert n["referrals_received"] == sum(n[cell] for cell in REFERRAL_OUTCOME_CELLS)
    assert n["referrals_received"] == sum(n[cell] for cell in ETHNICITY_CELLS)

    unit_days = contract.contracted_units * days
    if "unit_days_unavailable" in n:
        assert n["unit_days_unavailable"] <= unit_days
        assert n["unit_days_occupied"] <= unit_days - n["unit_days_unavailable"]
    if "service_user_days" in n:
        assert n["service_user_days"] <= 2 * unit_days
    if "frontline_hours_delivered" in n:
        assert n["frontline_hours_delivered"] <= 3 * contract.frontline_hours_per_week * days / 7

    pis = pis_of(values, contract, days)
    assert {pi: value for pi, value in pis.items() if value < MARGINS[pi]} == {}
    project_pis = compute_pis(values, contract, days)
    assert {pi: value for pi, value in project_pis.items() if value is not None} == pytest.approx(pis)
    assert breaches(project_pis, SETTINGS.triggers) == []


def test_good_quarter_values_are_deterministic() -> None:
    contract = CONTRACTS[0]
    assert good_quarter_values(contract, "Q2", 5) == good_quarter_values(contract, "Q2", 5)
    assert good_quarter_values(contract, "Q2", 5) != good_quarter_values(contract, "Q2", 6)


# --- writing returns ---


def named_value(workbook: openpyxl.Workbook, name: str) -> object:
    ((sheet, coordinate),) = workbook.defined_names[name].destinations
    return workbook[sheet][coordinate.replace("$", "")].value


def test_fill_quarter_types_into_the_named_cells() -> None:
    contract = CONTRACTS[1]
    workbook = build_pi_workbook(contract, SETTINGS)
    values = good_quarter_values(contract, "Q3", 1)
    fill_quarter(workbook, "Q3", values)
    for name, value in values.items():
        assert named_value(workbook, quarter_name("Q3", name)) == value, name
    assert named_value(workbook, "q2_completed_by") is None


def test_write_return_saves_the_quarters_with_the_received_time(tmp_path: Path) -> None:
    contract = CONTRACTS[0]
    quarters = {quarter: good_quarter_values(contract, quarter, 1) for quarter in ("Q1", "Q2")}
    received = datetime(2025, 10, 14, 9, 30, tzinfo=UTC)
    path = write_return(tmp_path / "drop" / "return.xlsx", contract, SETTINGS, quarters, received_at=received)
    assert sorted(p.name for p in path.parent.iterdir()) == ["return.xlsx"]
    assert os.stat(path).st_mtime == received.timestamp()
    workbook = openpyxl.load_workbook(path)
    for quarter, values in quarters.items():
        for name, value in values.items():
            typed = named_value(workbook, quarter_name(quarter, name))
            assert (typed.date() if isinstance(typed, datetime) else typed) == value, name
    assert named_value(workbook, "q3_completed_by") is None
    assert named_value(workbook, "q3_units") == contract.contracted_units

    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    q2 = rows.get_sheet_by_name("Q2").to_python(skip_empty_area=False)
    (completed,) = [row[1] for row in q2 if row[0] == "Date completed"]
    assert type(completed) is date and completed == quarters["Q2"]["date_completed"]


def test_write_return_takes_a_naive_received_time_as_utc(tmp_path: Path) -> None:
    naive = datetime(2026, 1, 20, 17, 0)
    path = write_return(tmp_path / "r.xlsx", CONTRACTS[2], SETTINGS, {}, received_at=naive)
    assert os.stat(path).st_mtime == naive.replace(tzinfo=UTC).timestamp()


def test_the_project_reader_finds_every_value(tmp_path: Path) -> None:
    contract = CONTRACTS[3]
    quarters = {quarter: good_quarter_values(contract, quarter, 4) for quarter in ("Q1", "Q3")}
    path = write_return(tmp_path / "r.xlsx", contract, SETTINGS, quarters)
    content = read_pi_workbook(read_workbook(path.read_bytes(), 50 * 1024 * 1024))
    assert [page.quarter for page in content.returns] == ["Q1", "Q3"]
    for page in content.returns:
        assert (page.year_code, page.service_id, page.year) == (SETTINGS.code, contract.service_id, YEAR)
        normalised = normalise_page(page.cells)
        assert normalised.unreadable == {}
        assert normalised.values == quarters[page.quarter]
    assert content.contract_page is not None
    assert content.contract_page["service_id"] == contract.service_id
