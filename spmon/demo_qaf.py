"""The demo's QAF self-assessments (``qaf.md``): what each provider claims and gets wrong, grades, plans.

:data:`QAF_FILES` are filled in January to March 2026; :data:`GRADES` (one
differing from the claim, one D) and :data:`PLANS` follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from data_contracts.qaf_workbook import (
    EVIDENCE_HEADER,
    LEVEL_HEADER,
    assessed_objectives,
    claimed_cell_name,
    join_service_ids,
    levels_needed,
    qaf_file_name,
)
from data_contracts.tables import ContractRecord
from spmon.demo_commands import spmon, write_csv
from spmon.demo_returns import YEAR, london
from spmon.sample_data import demo_programme_toml
from tasks.pi.issue import save_workbook
from tasks.qaf.imports import GRADE_COLUMNS, PLAN_COLUMNS

# The QAF self-assessments (qaf.md): what each provider claims, and what it gets wrong.

# The programme file puts one of Dunmore Housing Association's services on procurement review.
PROCUREMENT_REVIEW = ("SV00102",)
EVIDENCE = (
    "Our internal audit in {month} sampled twenty case files and every one met this.",
    "Set out in the policy the board reviewed in {month}; staff sign to say they have read it.",
    "Team meeting minutes and supervision notes from {month} show staff do this routinely.",
)
MONTHS = ("April 2025", "July 2025", "September 2025", "November 2025")
TICKS = ("✓", "yes", "Yes", "✓ done")


@dataclass(frozen=True)
class QafFile:
    """A provider's QAF as sent: the grades it claims (any other objective C) and when it arrives.

    ``ticked`` names the objectives whose evidence is ticks and 'yes' rather than words.
    """

    name: str
    provider_id: str
    received: datetime
    completed_by: str
    claims: Mapping[str, str]
    shows: str
    ticked: tuple[str, ...] = ()


# In the order they arrive. With the meetings of ``spmon.demo_year``, Safe Haven's and Open Door's are
# in time, the others late. Open Door (in the year's random sample) sends ticks: returned, so no visit.
QAF_FILES: tuple[QafFile, ...] = (
    QafFile(
        "QAF 2025-26 PR0004 Safe Haven Women's Aid.xlsx",
        "PR0004",
        london(1, 5, 11, 40, year=2026),
        "Mary Doyle",
        {"C1.4": "B", "C1.6": "B"},
        "B grades with evidence, no concerns: accepted, no visit",
    ),
    QafFile(
        "QAF 2025-26 PR0006 Open Door Support.xlsx",
        "PR0006",
        london(1, 12, 16, 20, year=2026),
        "Gary Lewis",
        {"C1.6": "B"},
        "ticks and 'yes' for evidence on C1.5 and C1.6: returned (evidence missing)",
        ticked=("C1.5", "C1.6"),
    ),
    QafFile(
        "Northgate Care QAF.xlsx",
        "PR0003",
        london(1, 21, 15, 5, year=2026),
        "Raj Mehta",
        {"C1.3": "B"},
        "the Lite form (community alarms only): accepted, no visit",
    ),
    QafFile(
        "Hope Street Trust - QAF self assessment 2026.xlsx",
        "PR0002",
        london(2, 4, 9, 55, year=2026),
        "Helen Ward",
        {"C1.3": "A", "C1.7": "B"},
        "an A grade claimed (and returned PI returns): accepted, needs a visit",
    ),
    QafFile(
        "Dunmore HA QAF final v2.xlsx",
        "PR0001",
        london(3, 2, 12, 30, year=2026),
        "Chris Manager",
        {"C1.2": "B"},
        "returned PI returns and a service on procurement review: accepted, needs a visit",
    ),
)
# The officers' grades: provider, objective, grade, date agreed, method, explanation. Safe Haven's
# agree with its claims (no letter); Hope Street's A becomes B and Dunmore's C1.4 a D (two letters).
GRADES = (
    ("PR0004", "C1.4", "B", "2026-01-26", "desk", ""),
    ("PR0004", "C1.6", "B", "2026-01-26", "desk", ""),
    (
        "PR0002",
        "C1.3",
        "B",
        "2026-02-26",
        "visit",
        "Service users do not yet take part in reviewing the safety arrangements (C1.3.A1).",
    ),
    (
        "PR0001",
        "C1.4",
        "D",
        "2026-03-11",
        "visit",
        "Five of the twelve support staff have no safeguarding training on record (C1.4.C2).",
    ),
)
# Dunmore's improvement plan arrives within its 14 days; re-validation is not yet done.
PLANS = (("PR0001", "2026-03-20", "", ""),)
QAF_AS_AT = date(2026, 3, 31)  # where the D grade stands, in the summary


def programme_toml() -> str:
    """The demo programme file, with :data:`PROCUREMENT_REVIEW` on the year's procurement review list."""
    text = demo_programme_toml([YEAR])
    listed = ", ".join(f'"{service_id}"' for service_id in PROCUREMENT_REVIEW)
    reviewed = text.replace("procurement_review = []", f"procurement_review = [{listed}]")
    if reviewed == text:
        raise RuntimeError("the demo programme file has no empty procurement_review list to fill")
    return reviewed


def named_cell(workbook: Workbook, name: str) -> Cell:
    """The cell a workbook-scoped defined name points at."""
    sheet, coordinate = next(iter(workbook.defined_names[name].destinations))
    cell = workbook[sheet][coordinate.replace("$", "")]
    assert isinstance(cell, Cell)  # noqa: S101 - a single cell, as issued
    return cell


def write_evidence(sheet: Worksheet, levels: Sequence[str], ticked: bool) -> None:
    """Describe the evidence of each requirement at ``levels``, found below the table's headings."""
    rows = list(sheet.iter_rows())
    header = next(index for index, row in enumerate(rows) if EVIDENCE_HEADER in [c.value for c in row])
    headings = [cell.value for cell in rows[header]]
    level, evidence = headings.index(LEVEL_HEADER), headings.index(EVIDENCE_HEADER)
    for number, row in enumerate(rows[header + 1 :]):
        if row[level].value in levels:
            text = EVIDENCE[number % len(EVIDENCE)].format(month=MONTHS[number % len(MONTHS)])
            row[evidence].value = TICKS[number % len(TICKS)] if ticked else text


def write_qaf_file(qaf: QafFile, provider_name: str, issued: Path, drop: Path) -> None:
    """Fill in the provider's issued QAF (grades, evidence, who and when) and give it its received time."""
    workbook = load_workbook(issued / qaf_file_name(qaf.provider_id, YEAR, provider_name))
    for objective in assessed_objectives(str(named_cell(workbook, "qaf_form").value)):
        grade = qaf.claims.get(objective, "C")
        named_cell(workbook, claimed_cell_name(objective)).value = grade
        write_evidence(workbook[objective], levels_needed(grade), objective in qaf.ticked)
    named_cell(workbook, "qaf_completed_by").value = qaf.completed_by
    named_cell(workbook, "qaf_date_completed").value = qaf.received.date() - timedelta(days=3)
    save_workbook(workbook, drop / qaf.name, modified_at=qaf.received)


def grade_rows(services: Mapping[str, str]) -> list[tuple[str, ...]]:
    """The officers' grades CSV rows, each with its provider's services."""
    return [(p, YEAR, services[p], o, g, d, m, e) for p, o, g, d, m, e in GRADES]


def describe_grade(provider_id: str, objective: str, grade: str, agreed: str, method: str) -> str:
    """One officer's grade against the claim, for the demo's output."""
    claimed = next(q.claims for q in QAF_FILES if q.provider_id == provider_id).get(objective, "C")
    how = "after a visit" if method == "visit" else "at a desk-top review"
    letter = ": a grade letter" if grade != claimed else ""
    return f"  {provider_id} {objective}: claimed {claimed}, agreed {grade} {how} on {agreed}{letter}"


def run_qaf(root: Path, contracts: Sequence[ContractRecord]) -> Path:
    """Issue the QAFs, providers send theirs, ingest; record grades and the plan; the QAF register."""
    issued, drop = root / "issued-qaf", root / "drop"
    names = {c.provider_id: c.provider_name for c in contracts}
    services = {p: join_service_ids([c.service_id for c in contracts if c.provider_id == p]) for p in names}
    spmon(root, "qaf", "issue", "--year", YEAR, "--out", issued)
    print(f"\nProviders send {len(QAF_FILES)} QAF self-assessments into {drop}, January to March 2026:")
    for qaf in QAF_FILES:
        print(f"  {qaf.name}: {qaf.shows}")
        write_qaf_file(qaf, names[qaf.provider_id], issued, drop)
    spmon(root, "ingest", drop)

    print("\nThe officers agree grades:")
    for provider_id, objective, grade, agreed, method, _ in GRADES:
        print(describe_grade(provider_id, objective, grade, agreed, method))
    grades = write_csv(root / "qaf_grades.csv", GRADE_COLUMNS, grade_rows(services))
    spmon(root, "qaf", "grades", "import", grades)
    plan_rows = [(p, YEAR, services[p], received, again, improved) for p, received, again, improved in PLANS]
    spmon(root, "qaf", "plans", "import", write_csv(root / "qaf_plans.csv", PLAN_COLUMNS, plan_rows))
    qaf_register = root / "qaf_register.csv"
    spmon(root, "qaf-register", "export", qaf_register)
    return qaf_register
