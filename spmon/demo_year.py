"""The rest of the demo year, after the PI and QAF returns of ``spmon.demo``.

Contract-management meetings and actions, risk month by month, and the
reports. Like ``spmon.demo``, everything runs through the real command line;
what happens is data (:data:`MEETINGS`, :data:`ACTIONS`, :data:`RISK_DAYS`, ...).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from pathlib import Path

YEAR = "2025/26"
Spmon = Callable[..., None]


# Next meetings six weeks or more after each provider's QAF arrives, so every QAF is on time.
MEETINGS = (
    ("PR0001", "2025-03-10", "2025-03-10", "Ann Officer"),
    ("PR0001", "2026-04-20", "", "Ann Officer"),
    ("PR0002", "2025-04-02", "2025-04-02", "Ben Officer"),
    ("PR0002", "2026-03-24", "", "Ben Officer"),
    ("PR0003", "2025-05-14", "2025-05-14", "Ann Officer"),
    ("PR0003", "2026-03-10", "", "Ann Officer"),
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
