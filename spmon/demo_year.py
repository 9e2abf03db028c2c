"""The rest of the demo year, after the PI returns.

QAF self-assessments, officers' grades, contract-management meetings and
actions, risk month by month, and the reports.

Like ``spmon.demo``, everything runs through the real command line; what each
provider does is data (:data:`QAF_RETURNS`, :data:`GRADES`, ...).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from data_contracts.qaf_workbook import OBJECTIVES, levels_needed, qaf_file_name, requirements_of
from tasks.issue_workbooks import save_workbook

YEAR = "2025/26"
EVIDENCE = "Policy reviewed in 2025; audit of {id} files in June found every record complete and signed."
Spmon = Callable[..., None]


@dataclass(frozen=True)
class QafReturn:
    """A provider's QAF: the grades it claims, whether its evidence is real, when it arrives."""

    provider_id: str
    claims: dict[str, str]  # objective -> grade; the rest are C
    received: datetime
    shows: str
    ticks_only: bool = False  # '✓' and 'yes' instead of evidence


def _london(month: int, day: int, hour: int = 10, year: int = 2025) -> datetime:
    from tasks.calendar import LONDON

    return datetime(year, month, day, hour, 0, tzinfo=LONDON)


QAF_RETURNS = (
    QafReturn(
        "PR0001",
        {"C1.3": "B", "C1.6": "B"},
        _london(10, 14),
        "accepted; its returned PI returns need a visit",
    ),
    QafReturn("PR0002", {"C1.3": "A"}, _london(10, 16), "an A grade claimed: accepted, needs a visit"),
    QafReturn("PR0003", {}, _london(10, 28), "Lite form, alarms only: accepted, no visit needed"),
    QafReturn(
        "PR0004", {"C1.2": "B"}, _london(10, 22), "ticks instead of evidence: returned", ticks_only=True
    ),
)
# The officers' grades: one differs from the claim (a grade letter), one is a D (an improvement plan).
GRADES = (
    ("PR0003", "SV00110", "C1.6", "B", "2025-11-04", "desk", "Complaints handling is better than claimed."),
    (
        "PR0001",
        "SV00101;SV00102;SV00103",
        "C1.4",
        "D",
        "2025-11-05",
        "visit",
        "No safeguarding training records.",
    ),
)
PLANS = (("PR0001", "SV00101;SV00102;SV00103", "2025-11-14", "", ""),)
MEETINGS = (
    ("PR0001", "2025-03-10", "2025-03-10", "Ann Officer"),
    ("PR0001", "2026-01-20", "", "Ann Officer"),
    ("PR0002", "2025-04-02", "2025-04-02", "Ben Officer"),
    ("PR0002", "2026-01-27", "", "Ben Officer"),
    ("PR0003", "2025-05-14", "2025-05-14", "Ann Officer"),
    ("PR0003", "2026-02-10", "", "Ann Officer"),
    ("PR0004", "2025-06-11", "2025-06-11", "Cat Officer"),
    ("PR0004", "2026-02-17", "", "Cat Officer"),
    ("PR0006", "2025-06-25", "2025-06-25", "Cat Officer"),
    ("PR0006", "2026-02-24", "", "Cat Officer"),
)
# Safe Haven's action runs 60 days past its target (High: SV00112 goes RED), then is closed.
ACTIONS = (
    (
        "PR0004",
        "SV00112",
        "Record every outreach visit in the case system",
        "Team leader",
        "2025-06-30",
        "2025-09-10",
    ),
    ("PR0002", "SV00104", "Repair the fire door on the second floor", "Site manager", "2025-10-31", ""),
)
RISK_DAYS = ("2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31")
MONTHLY = ("2025-09", "2025-10")
QUARTERLY = (("2025/26", "Q1"), ("2025/26", "Q2"))


def _write_csv(path: Path, header: str, rows: tuple[tuple[str, ...], ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header.split(","))
        writer.writerows(rows)
    return path


def fill_qaf(issued: Path, out: Path, qaf: QafReturn) -> None:
    """Type the claimed grades and the evidence into the provider's issued QAF workbook."""
    workbook = load_workbook(issued)
    summary = workbook["Summary"]
    form = _named_value(workbook, "qaf_form")
    for objective in OBJECTIVES:
        if objective.code not in workbook.sheetnames:
            continue  # the Lite form leaves C1.1 and C1.2 out
        grade = qaf.claims.get(objective.code, "C")
        _set_named(workbook, objective.claimed_cell, grade)
        _write_evidence(workbook[objective.code], objective.code, grade, qaf.ticks_only)
    _set_named(workbook, "qaf_completed_by", "Chris Manager")
    _set_named(workbook, "qaf_date_completed", qaf.received.date())
    assert summary is not None and form in ("Full", "Lite")  # noqa: S101 - an issued workbook
    save_workbook(workbook, out, modified_at=qaf.received)


def _write_evidence(sheet: object, objective: str, grade: str, ticks_only: bool) -> None:
    needed = set(levels_needed(grade))
    rows = {sheet.cell(row, 1).value: row for row in range(3, 20)}  # type: ignore[attr-defined]
    for requirement in requirements_of(objective):
        if requirement.level in needed:
            text = "✓" if ticks_only else EVIDENCE.format(id=requirement.id)
            sheet.cell(rows[requirement.id], 4, text)  # type: ignore[attr-defined]


def _destination(workbook: object, name: str) -> tuple[str, str]:
    defined = workbook.defined_names[name]  # type: ignore[attr-defined]
    sheet, cell = next(iter(defined.destinations))
    return sheet, cell.replace("$", "")


def _named_value(workbook: object, name: str) -> object:
    sheet, cell = _destination(workbook, name)
    return workbook[sheet][cell].value  # type: ignore[index]


def _set_named(workbook: object, name: str, value: object) -> None:
    sheet, cell = _destination(workbook, name)
    workbook[sheet][cell] = value  # type: ignore[index]


def run_qaf(root: Path, spmon: Spmon, provider_names: dict[str, str]) -> None:
    """Issue the QAF workbooks, let four providers return theirs, ingest them, record the grades."""
    issued = root / "issued-qaf"
    spmon(root, "qaf", "issue", "--year", YEAR, "--out", issued)
    print("\nProviders send their QAF self-assessments:")
    for qaf in QAF_RETURNS:
        name = qaf_file_name(qaf.provider_id, YEAR, provider_names[qaf.provider_id])
        fill_qaf(issued / name, root / "drop" / name, qaf)
        print(f"  {name}: {qaf.shows}")
    spmon(root, "ingest", root / "drop")
    header = "provider_id,year,service_ids,objective,grade,date_agreed,method,explanation"
    grades = tuple((p, YEAR, s, o, g, d, m, e) for p, s, o, g, d, m, e in GRADES)
    spmon(root, "qaf", "grades", "import", _write_csv(root / "grades.csv", header, grades))
    header = "provider_id,year,service_ids,plan_received,revalidated_on,improved"
    plans = tuple((p, YEAR, s, r, v, i) for p, s, r, v, i in PLANS)
    spmon(root, "qaf", "plans", "import", _write_csv(root / "plans.csv", header, plans))
    spmon(root, "qaf-register", "export", root / "qaf_register.csv")


def run_contract_management(root: Path, spmon: Spmon) -> None:
    """Meetings and actions, then the risk flow at each month's end (SV00112 goes RED, and back)."""
    meetings = _write_csv(root / "meetings.csv", "provider_id,planned_date,completed_date,officer", MEETINGS)
    actions = _write_csv(
        root / "actions.csv", "provider_id,service_id,description,owner,target_date,closed_on", ACTIONS
    )
    spmon(root, "meetings", "import", meetings)
    spmon(root, "actions", "import", actions)
    for day in RISK_DAYS:
        spmon(root, "risk", "evaluate", "--as-at", day)
    spmon(root, "risk", "export", root / "risk.csv", "--as-at", RISK_DAYS[-1])


def run_reports(root: Path, spmon: Spmon) -> None:
    """Publish the monthly and quarterly reports of the demo year."""
    for month in MONTHLY:
        spmon(root, "reports", "monthly", "--month", month)
    for year, quarter in QUARTERLY:
        spmon(root, "reports", "quarterly", "--year", year, "--quarter", quarter)


def where_to_look(root: Path) -> list[str]:
    """The lines of the summary about QAF, risk and reports."""
    with (root / "qaf_register.csv").open(newline="", encoding="utf-8") as handle:
        qaf_rows = list(csv.DictReader(handle))
    statuses = Counter(row["status"] for row in qaf_rows)
    visits = sum(row["visit"] == "true" for row in qaf_rows)
    letters = sorted((root / "outbox" / "qaf").rglob("grades_*.txt"))
    return [
        f"  the QAF register: {root / 'qaf_register.csv'} "
        f"({', '.join(f'{s} {n}' for s, n in sorted(statuses.items()))}; {visits} need a validation visit)",
        f"  grade letters:    {len(letters)} in {root / 'outbox' / 'qaf'}",
        f"  clause risks:     {root / 'risk.csv'} (as at {RISK_DAYS[-1]}); SV00112 went RED on 2025-08-31 "
        "and back on 2025-09-30 (see the Contracts Update for 2025-09)",
        f"  reports:          {root / 'reports' / 'index.html'}",
    ]
