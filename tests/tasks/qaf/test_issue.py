from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data_contracts.qaf_workbook import OBJECTIVES, requirements
from foundation.errors import BadInput
from tasks.qaf.issue import build_qaf_workbook, form_for, issue_qaf_workbooks
from tasks.qaf.judge import judge_qaf_workbooks
from tests.factories.contracts import contract_record, contracts
from tests.factories.programmes import CODE, YEAR, qaf_programme
from tests.factories.qafs import EVIDENCE, read_content

MIXED = [
    contract_record("SV00002", "PR0001", "Community alarm"),
    contract_record("SV00001", "PR0001", "Floating support"),
]
ALARMS = [
    contract_record("SV00003", "PR0002", "Community alarm"),
    contract_record("SV00004", "PR0002", "Community alarm"),
]


def _bytes(provider_id: str, services: list, **_: object) -> bytes:
    workbook = build_qaf_workbook(provider_id, "Test Provider", services, YEAR, qaf_programme().year(YEAR))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_form_is_lite_only_where_every_service_is_a_community_alarm():
    assert form_for(ALARMS) == "Lite"
    assert form_for(MIXED) == "Full"
    assert form_for([]) == "Full"


def test_reading_an_issued_full_workbook_gives_what_was_issued():
    content = read_content(_bytes("PR0001", MIXED))
    assert content.year_code == CODE
    assert content.year == YEAR
    assert content.provider_id == "PR0001"
    assert content.text("qaf_provider_name") == "Test Provider"
    assert content.service_ids == ["SV00001", "SV00002"]
    assert content.form == "Full"
    assert set(content.claimed.values()) == {""}
    assert content.text("qaf_completed_by") is None
    assert all(value is None for value in content.evidence.values())
    assert set(content.evidence_addresses) == {r.id for r in requirements()}


def test_lite_workbook_has_no_c1_1_or_c1_2_sheets():
    data = _bytes("PR0002", ALARMS)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Summary", "C1.3", "C1.4", "C1.5", "C1.6", "C1.7"]
    content = read_content(data)
    assert content.form == "Lite"
    assert not any(r.startswith(("C1.1", "C1.2")) for r in content.evidence_addresses)
    summary = workbook["Summary"]
    assert summary["B10"].protection.locked and summary["B11"].protection.locked
    assert not summary["B12"].protection.locked


def test_summary_has_defined_names_grade_drop_downs_and_locked_issued_cells():
    workbook = load_workbook(io.BytesIO(_bytes("PR0001", MIXED)))
    names = {name: defined.attr_text.replace("'", "") for name, defined in workbook.defined_names.items()}
    assert names["qaf_year_code"] == "Summary!$B$4"
    assert names["qaf_claimed_c1_1"] == "Summary!$B$10"
    assert names["qaf_date_completed"] == "Summary!$B$18"
    summary = workbook["Summary"]
    assert summary.protection.sheet
    assert summary["B4"].protection.locked
    assert not summary["B17"].protection.locked
    lists = [v for v in summary.data_validations.dataValidation if v.type == "list"]
    assert lists and all(v.formula1 == '"A,B,C,D"' for v in lists)
    covered = {str(cell) for v in lists for cell in str(v.sqref).split()}
    assert covered == {f"B{row}" for row in range(10, 17)}
    sheet = workbook["C1.3"]
    assert [sheet.cell(2, c).value for c in range(1, 5)] == [
        "Requirement",
        "Level",
        "Requirement text",
        "Evidence",
    ]
    assert sheet["A3"].value == "C1.3.C1" and sheet["B3"].value == "C"
    assert not sheet["D3"].protection.locked and sheet["C3"].protection.locked


def test_filled_in_issued_workbook_is_accepted():
    workbook = load_workbook(io.BytesIO(_bytes("PR0001", MIXED)))
    summary = workbook["Summary"]
    for row in range(10, 17):
        summary.cell(row, 2, "B")
    summary["B17"] = "Ann Officer"
    summary["B18"] = datetime(2026, 2, 1)
    for objective in OBJECTIVES:
        sheet = workbook[objective.code]
        for row in range(3, 10):
            if sheet.cell(row, 2).value in ("C", "B"):
                sheet.cell(row, 4, EVIDENCE)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = read_content(buffer.getvalue())
    (judged,) = judge_qaf_workbooks([content], contracts(*MIXED), qaf_programme())
    assert judged.reasons == []
    assert judged.claimed == {o.code: "B" for o in OBJECTIVES}


def test_issue_writes_one_workbook_per_provider(tmp_path: Path):
    records = [*MIXED, *ALARMS, contract_record("SV00009", "PR0003", year="2024/25")]
    paths = issue_qaf_workbooks(records, qaf_programme(), YEAR, tmp_path)
    assert [path.name for path in paths] == [
        "QAF 2025-26 PR0001 Test Provider.xlsx",
        "QAF 2025-26 PR0002 Test Provider.xlsx",
    ]
    assert all(path.is_file() for path in paths)
    only = issue_qaf_workbooks(records, qaf_programme(), YEAR, tmp_path / "one", providers=["PR0002"])
    assert [read_content(path.read_bytes()).form for path in only] == ["Lite"]


def test_issue_refuses_unknown_providers_and_years(tmp_path: Path):
    with pytest.raises(BadInput, match="PR0003"):
        issue_qaf_workbooks(
            [*MIXED, contract_record("SV00009", "PR0003", year="2024/25")],
            qaf_programme(),
            YEAR,
            tmp_path,
            ["PR0003"],
        )
    with pytest.raises(BadInput, match="2024/25"):
        issue_qaf_workbooks(MIXED, qaf_programme(), "2024/25", tmp_path)
