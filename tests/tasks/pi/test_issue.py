"""Issued PI workbooks (pi-workbook.md, "What an issued workbook must also do")."""

from __future__ import annotations

import ast
import io
import operator
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.pi_workbook import (
    COMMUNITY_ALARM,
    CONTRACT_CELLS,
    CONTRACT_SHEET,
    FLOATING_SUPPORT,
    GUIDANCE_SHEET,
    QUARTER_CELLS,
    QUARTERS,
    Cell,
    CellType,
    FilledBy,
    quarter_name,
)
from data_contracts.tables import ContractRecord
from foundation.errors import BadInput
from foundation.programme import Triggers, YearSettings, parse_programme
from tasks.calendar.dates import days_in_quarter, quarter_period
from tasks.pi.issue import PI_LABELS, build_pi_workbook, issue_pi_workbooks, pi_formulas, save_workbook
from tasks.pi.rules import compute_pis
from tests.factories.pi_pages import contract
from tests.factories.programmes import TRIGGERS as TRIGGERS_TOML

# Distinct triggers, so that a test can tell which one a rule uses.
TRIGGERS = Triggers(KPI1=90.0, KPI2=70.0, SPI1=91.5, SPI2=92.5, SPI3=93.5, SPI4=15.0)
SETTINGS = YearSettings(code="TST-2526-X1Y", triggers=TRIGGERS)
ALL_NAMED_CELLS: list[tuple[str, str, Cell]] = [
    (CONTRACT_SHEET, cell.name, cell) for cell in CONTRACT_CELLS
] + [(quarter, quarter_name(quarter, cell.name), cell) for quarter in QUARTERS for cell in QUARTER_CELLS]


def make_contract(**changes: Any) -> ContractRecord:
    """The hand-built contract of the PI tests, with 20 units and 90 front line hours a week."""
    return contract(**({"contracted_units": 20, "frontline_hours_per_week": 90.0} | changes))


HOSTEL = make_contract()
FLOATING = make_contract(service_id="SV00124", service_type=FLOATING_SUPPORT, contracted_units=60)
ALARM = make_contract(
    service_id="SV00125", service_type=COMMUNITY_ALARM, contracted_units=400, frontline_hours_per_week=0.0
)


def issued(tmp_path: Path, contract: ContractRecord = HOSTEL) -> Path:
    return save_workbook(build_pi_workbook(contract, SETTINGS), tmp_path / "issued.xlsx")


def reopened(tmp_path: Path, contract: ContractRecord = HOSTEL) -> Workbook:
    return openpyxl.load_workbook(issued(tmp_path, contract))


def named_cell(workbook: Workbook, name: str) -> tuple[Worksheet, str]:
    ((sheet, coordinate),) = workbook.defined_names[name].destinations
    return workbook[sheet], coordinate.replace("$", "")


def row_labelled(sheet: Worksheet, label: str) -> int:
    rows = [row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == label]
    assert len(rows) == 1, f"{label!r} on {sheet.title}: rows {rows}"
    return rows[0]


def test_sheets_in_order(tmp_path: Path) -> None:
    assert reopened(tmp_path).sheetnames == [CONTRACT_SHEET, *QUARTERS, GUIDANCE_SHEET]


def test_every_value_cell_has_a_workbook_scoped_name_right_of_its_label(tmp_path: Path) -> None:
    path = issued(tmp_path)
    workbook = openpyxl.load_workbook(path)
    for sheet_title, name, cell in ALL_NAMED_CELLS:
        assert name in workbook.defined_names, name
        sheet, coordinate = named_cell(workbook, name)
        assert sheet.title == sheet_title
        value_cell = sheet[coordinate]
        assert value_cell.column == 2
        assert sheet.cell(value_cell.row, 1).value == cell.label
    assert all(not sheet.defined_names for sheet in workbook.worksheets)
    workbook_xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert "localSheetId" not in workbook_xml


def test_contract_page_holds_the_record_and_is_protected(tmp_path: Path) -> None:
    workbook = reopened(tmp_path)
    for cell in CONTRACT_CELLS:
        sheet, coordinate = named_cell(workbook, cell.name)
        expected = SETTINGS.code if cell.name == "year_code" else getattr(HOSTEL, cell.name)
        assert sheet[coordinate].value == expected, cell.name
        assert sheet[coordinate].protection.locked
    assert workbook[CONTRACT_SHEET].protection.sheet


@pytest.mark.parametrize("quarter", QUARTERS)
def test_quarter_page_is_issued_filled(tmp_path: Path, quarter: str) -> None:
    workbook = reopened(tmp_path)
    start, end = quarter_period("2025/26", quarter)
    expected = {
        "year_code": SETTINGS.code,
        "service_id": "SV00123",
        "year": "2025/26",
        "period_start": datetime(start.year, start.month, start.day),
        "period_end": datetime(end.year, end.month, end.day),
        "days_in_period": days_in_quarter("2025/26", quarter),
        "units": 20,
    }
    for name, value in expected.items():
        sheet, coordinate = named_cell(workbook, quarter_name(quarter, name))
        assert sheet[coordinate].value == value, name
    for name in ("period_start", "period_end"):
        sheet, coordinate = named_cell(workbook, quarter_name(quarter, name))
        assert sheet[coordinate].number_format == "dd/mm/yyyy"
    blank = [c.name for c in QUARTER_CELLS if c.name not in expected]
    assert all(named_cell_value(workbook, quarter_name(quarter, name)) is None for name in blank)


def named_cell_value(workbook: Workbook, name: str) -> Any:
    sheet, coordinate = named_cell(workbook, name)
    return sheet[coordinate].value


def test_days_in_period_come_from_the_calendar(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(issued(tmp_path, make_contract(year="2027/28")))
    assert named_cell_value(workbook, "q4_days_in_period") == 91  # January to March 2028, a leap year
    assert named_cell_value(workbook, "q4_period_end") == datetime(2028, 3, 31)


def test_only_provider_cells_are_unlocked(tmp_path: Path) -> None:
    workbook = reopened(tmp_path)
    for quarter in QUARTERS:
        sheet = workbook[quarter]
        assert sheet.protection.sheet
        for cell in QUARTER_CELLS:
            _, coordinate = named_cell(workbook, quarter_name(quarter, cell.name))
            assert sheet[coordinate].protection.locked is (cell.filled_by is not FilledBy.PROVIDER), (
                coordinate
            )
            if cell.filled_by is FilledBy.PROVIDER:
                assert sheet[coordinate].fill.fgColor.rgb == "00FFFFFF"
        for label in PI_LABELS.values():
            assert sheet.cell(row_labelled(sheet, label), 2).protection.locked
    assert workbook[GUIDANCE_SHEET].protection.sheet


def validation_of(sheet: Worksheet, coordinate: str) -> Any:
    found = [dv for dv in sheet.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) <= 1, coordinate
    return found[0] if found else None


def test_data_validation_by_cell_type(tmp_path: Path) -> None:
    workbook = reopened(tmp_path)
    for _, name, cell in ALL_NAMED_CELLS:
        sheet, coordinate = named_cell(workbook, name)
        rule = validation_of(sheet, coordinate)
        if cell.choices:
            assert rule.type == "list"
        elif cell.type is CellType.WHOLE:
            above_zero = cell.name in ("units", "contracted_units")
            assert (rule.type, rule.formula1) == ("whole", "0")
            assert rule.operator == ("greaterThan" if above_zero else "greaterThanOrEqual"), name
        elif cell.type is CellType.NUMBER:
            assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
        elif cell.type is CellType.DATE:
            assert (rule.type, rule.operator) == ("date", "greaterThanOrEqual")
        else:
            assert rule is None, name
        if rule is not None:
            assert rule.showErrorMessage and rule.error


def test_date_cells_accept_no_date_before_the_quarter(tmp_path: Path) -> None:
    workbook = reopened(tmp_path)
    sheet, coordinate = named_cell(workbook, "q3_date_completed")
    serial = int(validation_of(sheet, coordinate).formula1)
    assert date(1899, 12, 30).toordinal() + serial == date(2025, 10, 1).toordinal()


def test_drop_down_lists_hold_the_choices(tmp_path: Path) -> None:
    workbook = reopened(tmp_path)
    for cell in (c for c in CONTRACT_CELLS if c.choices):
        sheet, coordinate = named_cell(workbook, cell.name)
        reference = validation_of(sheet, coordinate).formula1
        match = re.fullmatch(r"'(\w+)'!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", reference)
        assert match, reference
        list_sheet, first_column, first_row, _, last_row = match.groups()
        column = workbook[list_sheet][first_column]
        choices = tuple(c.value for c in column[int(first_row) - 1 : int(last_row)])
        assert choices == cell.choices


@pytest.mark.parametrize(
    ("contract", "shown"),
    [(HOSTEL, ["SPI1", "SPI2", "SPI3"]), (FLOATING, ["SPI2", "SPI3"]), (ALARM, ["SPI2"])],
    ids=["accommodation", "floating support", "alarm without front line hours"],
)
def test_pi_formulas_turn_red_below_the_trigger(
    tmp_path: Path, contract: ContractRecord, shown: list[str]
) -> None:
    workbook = reopened(tmp_path, contract)
    for quarter in QUARTERS:
        sheet = workbook[quarter]
        labels = {sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)}
        assert [pi for pi, label in PI_LABELS.items() if label in labels] == shown
        red_rules = {str(cf.sqref): cf.rules for cf in sheet.conditional_formatting}
        for pi in shown:
            target = sheet.cell(row_labelled(sheet, PI_LABELS[pi]), 2)
            assert target.value == pi_formulas(quarter, contract)[pi]
            (rule,) = red_rules[target.coordinate]
            assert rule.formula == [
                f"AND(ISNUMBER({target.coordinate}),{target.coordinate}<{TRIGGERS.of(pi)!r})"
            ]
            assert rule.dxf.font.color.rgb == "FFFF0000"


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_FORMULA = re.compile(
    r'=IF\(COUNT\((?P<inputs>[^)]*)\)<(?P<n>\d+),"",IF\((?P<den>.+)=0,"",100\*(?P<num>.+)/(?P=den)\)\)'
)


def arithmetic(expression: str, names: dict[str, float]) -> float:
    """Evaluate + - * / over numbers and names."""

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.BinOp):
            return _OPERATORS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.Name):
            return names[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        raise AssertionError(f"unexpected {ast.dump(node)}")

    return value(ast.parse(expression, mode="eval").body)


@pytest.mark.parametrize("contract", [HOSTEL, FLOATING, ALARM], ids=["accommodation", "floating", "alarm"])
def test_pi_formulas_compute_the_pis_of_pi_rules(contract: ContractRecord) -> None:
    provider = {
        "units": 18,
        "unit_days_unavailable": 40,
        "unit_days_occupied": 1500,
        "service_user_days": 5000,
        "frontline_hours_delivered": 1100.5,
    }
    expected = compute_pis(provider, contract, days_in_quarter(contract.year, "Q2"))
    names = {quarter_name("Q2", name): float(value) for name, value in provider.items()}
    names |= {"q2_days_in_period": 92.0, "frontline_hours_per_week": contract.frontline_hours_per_week}
    for pi, formula in pi_formulas("Q2", contract).items():
        match = _FORMULA.fullmatch(formula)
        assert match, formula
        assert int(match["n"]) == len(match["inputs"].split(","))
        result = arithmetic(f"100*{match['num']}/{match['den']}", names)
        assert result == pytest.approx(expected[pi]), pi


def test_a_formula_is_blank_until_its_inputs_are_numbers() -> None:
    formula = pi_formulas("Q1", HOSTEL)["SPI1"]
    assert formula.startswith('=IF(COUNT(q1_units,q1_days_in_period,q1_unit_days_unavailable)<3,"",')


def test_issue_writes_one_named_file_per_contract(tmp_path: Path) -> None:
    programme = parse_programme(
        f'[years."2025/26"]\ncode = "TST-2526-X1Y"\n[years."2025/26".triggers]\n{TRIGGERS_TOML}'
    )
    out_dir = tmp_path / "out" / "issued"
    contracts = [HOSTEL, make_contract(service_id="SV00999", workbook_version="V2")]
    paths = issue_pi_workbooks(contracts, programme, out_dir)
    assert [p.name for p in paths] == ["PI_SV00123_2025-26_V1.xlsx", "PI_SV00999_2025-26_V2.xlsx"]
    assert sorted(p.name for p in out_dir.iterdir()) == [p.name for p in paths]  # no temporary file left
    assert all(re.fullmatch(r"PI_SV\d{5}_\d{4}-\d{2}_V\d+\.xlsx", p.name) for p in paths)
    assert named_cell_value(openpyxl.load_workbook(paths[1]), "workbook_version") == "V2"
    with pytest.raises(BadInput, match="2026/27"):
        issue_pi_workbooks([make_contract(year="2026/27")], programme, out_dir)


def calamine_value(rows: list[list[Any]], label: str) -> Any:
    (value,) = [row[1] for row in rows if row and row[0] == label]
    return value


def test_calamine_reads_the_issued_values(tmp_path: Path) -> None:
    reader = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(issued(tmp_path).read_bytes()))
    contract_rows = reader.get_sheet_by_name(CONTRACT_SHEET).to_python(skip_empty_area=False)
    for cell in CONTRACT_CELLS:
        expected = SETTINGS.code if cell.name == "year_code" else getattr(HOSTEL, cell.name)
        assert calamine_value(contract_rows, cell.label) == expected, cell.name
    q3 = reader.get_sheet_by_name("Q3").to_python(skip_empty_area=False)
    start = calamine_value(q3, "Period start")
    assert type(start) is date and start == date(2025, 10, 1)
    assert calamine_value(q3, "Period end") == date(2025, 12, 31)
    assert calamine_value(q3, "Days in period") == 92
    assert calamine_value(q3, "Unit numbers this quarter") == 20
    assert calamine_value(q3, "Year") == "2025/26"
    assert calamine_value(q3, "Referrals received") == ""  # blank, ready for the provider
