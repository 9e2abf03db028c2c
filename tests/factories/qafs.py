"""QAFs: contents and workbooks as providers send them, stored QAF returns, agreed grades, improvement plans."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from sqlmodel import Session

from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan, QafReturn
from data_contracts.qaf_workbook import OBJECTIVES, SUMMARY_CELLS, TABLE_HEADER, requirements, requirements_of
from tasks.intake.workbook_reader import read_workbook
from tasks.qaf.read import QafContent, read_qaf_workbook
from tests.factories.programmes import CODE, YEAR
from tests.factories.returns import add_file
from tests.factories.sessions import stored

EVIDENCE = "Policy in place since 2023"
ALL_C = {f"claimed_c1_{n}": "C" for n in range(1, 8)}


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


def qaf_return(
    session: Session,
    provider_id: str,
    service_ids: str,
    received: datetime,
    status: str = "accepted",
    visit: bool = False,
    year: str = YEAR,
    reasons: str = "",
    **claimed: str,
) -> QafReturn:
    """A stored Full QAF (and its file, keyed by its name) claiming C everywhere unless told (``claimed_c1_4="D"``)."""
    name = f"QAF_{provider_id}_{received:%Y%m%d%H%M}.xlsx"
    file = add_file(session, name, received, kind="qaf", key=name)
    assert file.id is not None
    visit_reasons = "a_grade_claimed" if visit else ""
    row = QafReturn.model_validate(
        {
            "file_id": file.id,
            "source_file": name,
            "received_at": received,
            "provider_id": provider_id,
            "year": year,
            "service_ids": service_ids,
            "form": "Full",
            "status": status,
            **ALL_C,
            "reasons": reasons,
            "visit": visit,
            "visit_reasons": visit_reasons,
            **claimed,
        }
    )
    return stored(session, row)


def agreed_grade(
    session: Session,
    provider_id: str,
    service_ids: str,
    objective: str,
    grade: str,
    agreed: date,
    year: str = YEAR,
    method: str = "desk",
) -> None:
    """An officer's agreed grade, at a desk-top review unless told."""
    stored(
        session,
        AgreedGrade(
            provider_id=provider_id,
            year=year,
            service_ids=service_ids,
            objective=objective,
            grade=grade,
            date_agreed=agreed,
            method=method,
        ),
    )


def improvement_plan(
    session: Session,
    provider_id: str,
    service_ids: str,
    received: date,
    revalidated: date | None = None,
    improved: bool | None = None,
) -> None:
    stored(
        session,
        ImprovementPlan(
            provider_id=provider_id,
            year=YEAR,
            service_ids=service_ids,
            plan_received=received,
            revalidated_on=revalidated,
            improved=improved,
        ),
    )
