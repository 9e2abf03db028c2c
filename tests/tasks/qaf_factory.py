"""Building QAF contents, workbooks, contracts and programmes for the QAF tests."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from data_contracts.qaf_workbook import OBJECTIVES, SUMMARY_CELLS, TABLE_HEADER, requirements, requirements_of
from data_contracts.tables import ContractRecord
from foundation.programme import Programme, parse_programme
from tasks.intake.workbook_reader import read_workbook
from tasks.qaf.read import QafContent, read_qaf_workbook

YEAR = "2025/26"
CODE = "DCC-2526-K7Q"
EVIDENCE = "Policy in place since 2023"
PROGRAMME_TOML = f"""
[years."{YEAR}"]
code = "{CODE}"
qaf_sample_percent = 10
procurement_review = ["SV00031"]

[years."{YEAR}".triggers]
KPI1 = 90.0
KPI2 = 70.0
SPI1 = 90.0
SPI2 = 90.0
SPI3 = 90.0
SPI4 = 15.0
"""


def programme(toml: str = PROGRAMME_TOML) -> Programme:
    """The test programme: one year, 2025/26."""
    return parse_programme(toml)


def contract(
    service_id: str,
    provider_id: str = "PR0001",
    service_type: str = "Floating support",
    year: str = YEAR,
    provider_name: str = "Test Provider",
) -> ContractRecord:
    """A contract record with plausible values."""
    return ContractRecord(
        year=year,
        service_id=service_id,
        service_name=f"Service {service_id}",
        provider_id=provider_id,
        provider_name=provider_name,
        client_group="Older people",
        service_type=service_type,
        administering_authority="Test Council",
        contracted_units=10,
        planned_duration="Long term",
        out_of_hours_cover="No",
        contract_manager="A Manager",
        contract_manager_contact="manager@example.org",
        frontline_staff_fte=1.0,
        frontline_hours_per_week=10.0,
        management_staff_fte=0.2,
        management_hours_per_week=5.0,
        other_staff_fte=0.0,
    )


def contracts(*records: ContractRecord) -> dict[tuple[str, str], ContractRecord]:
    """Contract records by (year, service ID)."""
    return {(r.year, r.service_id): r for r in records}


def summary(**overrides: Any) -> dict[str, Any]:
    """Summary values of a complete Full QAF claiming C everywhere (``claimed_c1_3="B"`` to change one)."""
    values: dict[str, Any] = {
        "qaf_year_code": CODE,
        "qaf_year": YEAR,
        "qaf_provider_id": "PR0001",
        "qaf_provider_name": "Test Provider",
        "qaf_service_ids": "SV00001",
        "qaf_form": "Full",
        **{o.claimed_cell: "C" for o in OBJECTIVES},
        "qaf_completed_by": "Ann Officer",
        "qaf_date_completed": date(2026, 2, 1),
    }
    for name, value in overrides.items():
        values[name if name.startswith("qaf_") else f"qaf_{name}"] = value
    return values


def content(evidence: Mapping[str, str | None] | None = None, **overrides: Any) -> QafContent:
    """A QafContent with evidence for every requirement (``evidence`` overrides some)."""
    all_evidence: dict[str, str | None] = {r.id: EVIDENCE for r in requirements()}
    all_evidence.update(evidence or {})
    return QafContent(summary=summary(**overrides), evidence=all_evidence)


def qaf_workbook(
    values: Mapping[str, Any] | None = None,
    evidence: Mapping[str, Any] | None = None,
    *,
    names: bool = True,
    header_row: int = 2,
    sheet_name: Callable[[str], str | None] = lambda code: code,
    shape: Callable[[Workbook], None] | None = None,
) -> bytes:
    """A QAF workbook laid out as the samples are; ``sheet_name`` renames (or with None drops) sheets."""
    evidence_by_id = {r.id: EVIDENCE for r in requirements()} if evidence is None else dict(evidence)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Summary"
    sheet["A1"] = "Quality Assessment Framework: annual self-assessment"
    for row, cell in enumerate(SUMMARY_CELLS, start=4):
        sheet.cell(row, 1, cell.label)
        sheet.cell(row, 2, (summary() if values is None else values).get(cell.name))
        if names:
            workbook.defined_names[cell.name] = DefinedName(cell.name, attr_text=f"Summary!$B${row}")
    for objective in OBJECTIVES:
        title = sheet_name(objective.code)
        if title is None:
            continue
        page = workbook.create_sheet(title)
        page.cell(1, 1, objective.title)
        for column, heading in enumerate(TABLE_HEADER, start=1):
            page.cell(header_row, column, heading)
        for row, requirement in enumerate(requirements_of(objective.code), start=header_row + 1):
            page.cell(row, 1, requirement.id)
            page.cell(row, 2, requirement.level)
            page.cell(row, 3, requirement.text)
            target = page.cell(row, 4, evidence_by_id.get(requirement.id))
            if isinstance(target.value, str) and target.value.startswith("="):
                target.data_type = "s"  # formula-like text stored as text, as a provider's paste leaves it
    if shape is not None:
        shape(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_content(data: bytes) -> QafContent:
    """Read workbook bytes as the intake does."""
    return read_qaf_workbook(read_workbook(data, 50 * 1024 * 1024))
