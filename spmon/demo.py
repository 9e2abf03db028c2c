"""``make demo``: a demo authority's year so far, through the real command line.

Builds ``var/demo`` afresh with the project's own code (contracts, programme
file, issued workbooks filled in as providers would, with realistic received
times), then runs ``spmon ingest`` and ``spmon register export`` exactly as a
user types them, and says where to look. Which returns are faulty, and how,
is the table :data:`RETURNS`; every other service sends a good return on time.

Then the QAF self-assessments: ``spmon qaf issue``, the providers' workbooks
filled in as :data:`QAF_FILES` says (January to March 2026), ``spmon ingest``
again, the officers' grades (:data:`GRADES`, one differing from the claim, one
D) and the D grade's improvement plan (:data:`PLANS`), and the QAF register.
Then ``spmon.demo_year`` adds meetings, actions, risk month by month and the
published reports.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session, create_engine

from data_contracts.pi_workbook import workbook_file_name
from data_contracts.qaf_tables import d_grade_follow_ups
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
from deployments.server import running_prefect_server
from spmon import demo_year
from spmon.prefect_env import DEFAULTS
from spmon.sample_data import demo_contracts, demo_programme_toml, fill_quarter, good_quarter_values
from tasks.calendar import LONDON, days_in_quarter, is_working_day, quarter_deadline, quarter_period
from tasks.imports import CONTRACT_COLUMNS, EXTENSION_COLUMNS
from tasks.issue_workbooks import save_workbook
from tasks.pi_rules import is_accommodation
from tasks.qaf_imports import GRADE_COLUMNS, PLAN_COLUMNS

YEAR = "2025/26"
DEFAULT_ROOT = Path("var/demo")
SPMON = Path(sys.executable).parent / "spmon"
SEED = 1
BREACH_EXPLANATION = (
    "Two support workers were off sick for most of the quarter, so fewer people were supported."
)

Values = dict[str, object]
Change = Callable[[ContractRecord, Values], Values]


# What providers get wrong: each takes the contract and good values and returns the faulty ones.


def breach(explained: bool) -> Change:
    """Utilisation (SPI2) at 80%, below the trigger of 90, with or without a comment that explains it."""

    def change(contract: ContractRecord, values: Values) -> Values:
        unit_days = contract.contracted_units * days_in_quarter(contract.year, str(values["_quarter"]))
        if is_accommodation(contract):
            available = unit_days - int(str(values["unit_days_unavailable"]))
            values["unit_days_occupied"] = math.floor(available * 0.8)
        else:
            values["service_user_days"] = math.floor(unit_days * 0.8)
        values.pop("comments", None)
        if explained:
            values["comments"] = BREACH_EXPLANATION
        return values

    return change


def unbalanced_referrals(contract: ContractRecord, values: Values) -> Values:
    """Two more referrals accepted than received."""
    values["referrals_accepted"] = int(str(values["referrals_accepted"])) + 2
    return values


def blank_cell(name: str) -> Change:
    """A required cell left blank."""

    def change(contract: ContractRecord, values: Values) -> Values:
        values.pop(name)
        return values

    return change


def text_in(name: str, text: str) -> Change:
    """Words typed into a number cell."""

    def change(contract: ContractRecord, values: Values) -> Values:
        values[name] = text
        return values

    return change


def units_changed(contract: ContractRecord, values: Values) -> Values:
    """Two more units than contracted, figures to match, and no comment."""
    bigger = contract.model_copy(update={"contracted_units": contract.contracted_units + 2})
    values = good_quarter_values(bigger, str(values["_quarter"]), SEED)
    values.pop("comments", None)
    return values


def london(month: int, day: int, hour: int, minute: int, year: int = 2025) -> datetime:
    """A received time, as a provider's e-mail would be saved in the office."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@dataclass(frozen=True)
class Return:
    """One file a provider sends: the quarters it fills, and what is wrong with the last of them."""

    name: str
    service_id: str
    received: datetime
    quarters: tuple[str, ...]
    change: Change | None = None
    shows: str = ""


@dataclass(frozen=True)
class JunkFile:
    """A file that is not a workbook at all."""

    name: str
    received: datetime
    content: bytes
    shows: str


Q1, Q2 = ("Q1",), ("Q2",)
RANDOM_BYTES = Random(SEED).randbytes(4096)  # noqa: S311 - a scanner's output, not a secret
# The faulty returns, the resubmission, the late one and the duplicate; in the order they arrive.
RETURNS: tuple[Return | JunkFile, ...] = (
    Return(
        "PI_SV00101_2025-26_V1.xlsx",
        "SV00101",
        london(7, 9, 10, 12),
        Q1,
        breach(explained=False),
        "a breach with no explanation: returned",
    ),
    Return(
        "SV00102 Q1 return.xlsx",
        "SV00102",
        london(7, 10, 14, 31),
        Q1,
        breach(explained=True),
        "a breach explained in the comments: accepted",
    ),
    Return(
        "Copy of PI_SV00107_2025-26_V1.xlsx",
        "SV00107",
        london(7, 11, 9, 5),
        Q1,
        unbalanced_referrals,
        "referrals that do not add up: returned",
    ),
    Return(
        "PI_SV00104_2025-26_V1 Q1.xlsx",
        "SV00104",
        london(7, 14, 16, 48),
        Q1,
        blank_cell("completed_by"),
        "'completed by' left blank: returned",
    ),
    Return(
        "Meadow Tenancy Support Q1.xlsx",
        "SV00105",
        london(7, 15, 11, 20),
        Q1,
        text_in("new_service_users", "about twelve"),
        "text in a number cell: returned",
    ),
    Return(
        "PI_SV00103_2025-26_V1.xlsx",
        "SV00103",
        london(7, 16, 15, 2),
        Q1,
        units_changed,
        "unit numbers changed with no explanation: returned",
    ),
    Return("PI_SV00108_2025-26_V1.xlsx", "SV00108", london(8, 4, 9, 40), Q1, None, "late: accepted, late"),
    Return(
        "PI_SV00110_2025-26_V1.xlsx",
        "SV00110",
        london(10, 7, 10, 3),
        Q2,
        breach(explained=False),
        "a breach with no explanation: returned, then superseded",
    ),
    Return(
        "PI_SV00106_2025-26_V1.xlsx",
        "SV00106",
        london(10, 8, 13, 27),
        ("Q1", "Q2"),
        None,
        "the whole workbook again: Q1 unchanged (duplicate), Q2 accepted",
    ),
    JunkFile("scan0042.xlsx", london(10, 9, 8, 55), RANDOM_BYTES, "random bytes: quarantined"),
    JunkFile("SV00104 Q2 return.xlsx", london(10, 13, 17, 10), b"", "an empty file: quarantined"),
    Return(
        "PI_SV00110_2025-26_V1 resubmitted.xlsx",
        "SV00110",
        london(10, 24, 12, 15),
        Q2,
        breach(explained=True),
        "the breach now explained: accepted (the first one is superseded)",
    ),
    Return(
        "Hillcrest Floating Support Q2.xlsx",
        "SV00109",
        london(11, 3, 15, 45),
        Q2,
        None,
        "after the deadline but within its agreed extension: accepted, not late",
    ),
)
EXTENSIONS = (("SV00109", YEAR, "Q2", "2025-11-07"),)


def good_returns(contracts: Sequence[ContractRecord], taken: Sequence[Return | JunkFile]) -> list[Return]:
    """A good return on time for each service and quarter the table does not cover."""
    covered = {(r.service_id, r.quarters[-1]) for r in taken if isinstance(r, Return)}
    covered.add(("SV00104", "Q2"))  # its Q2 file is the empty one
    rng = Random(SEED)  # noqa: S311 - demo data
    returns = []
    for quarter in ("Q1", "Q2"):
        day, deadline = quarter_period(YEAR, quarter)[1], quarter_deadline(YEAR, quarter, 15)
        working_days = []
        while (day := day + timedelta(days=1)) < deadline:
            working_days += [day] if is_working_day(day) else []
        for contract in contracts:
            if (contract.service_id, quarter) in covered:
                continue
            day = rng.choice(working_days)
            at = london(day.month, day.day, rng.randint(9, 16), rng.randint(0, 59))
            name = workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
            returns.append(
                Return(name.replace(".xlsx", f" {quarter}.xlsx"), contract.service_id, at, (quarter,))
            )
    return returns


def quarter_values(contract: ContractRecord, quarter: str, change: Change | None) -> Values:
    """What the provider types into one quarter page."""
    values = good_quarter_values(contract, quarter, SEED)
    if change is not None:
        values = change(contract, {**values, "_quarter": quarter})
        values.pop("_quarter", None)
    return values


def write_drop_file(
    item: Return | JunkFile, contracts: dict[str, ContractRecord], issued: Path, drop: Path
) -> None:
    """Fill in the issued workbook (or write the junk) and give it its received time."""
    path = drop / item.name
    if isinstance(item, JunkFile):
        path.write_bytes(item.content)
        stamp = item.received.timestamp()
        os.utime(path, (stamp, stamp))
        return
    contract = contracts[item.service_id]
    workbook = load_workbook(
        issued / workbook_file_name(contract.service_id, YEAR, contract.workbook_version)
    )
    for quarter in item.quarters:
        fill_quarter(
            workbook,
            quarter,
            quarter_values(contract, quarter, item.change if quarter == item.quarters[-1] else None),
        )
    save_workbook(workbook, path, modified_at=item.received)


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


def spmon(root: Path, *args: str | Path) -> None:
    """Run ``spmon ARGS`` as a user would, showing its output as it comes."""
    print(f"\n$ spmon {' '.join(str(a) for a in args)}", flush=True)
    subprocess.run([str(SPMON), *map(str, args)], cwd=root, env=demo_env(root), check=True)  # noqa: S603


def demo_env(root: Path) -> dict[str, str]:
    """The environment of this process without any SPMON_* setting, pointed at the demo folder."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("SPMON_")}
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    env.update(
        SPMON_DATA_DIR=str(root), SPMON_SETTLE_SECONDS="0", SPMON_PROGRAMME_FILE=str(root / "programme.toml")
    )
    return env


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A CSV with a header row."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def main(root: Path = DEFAULT_ROOT) -> Path:
    """Build the demo in ``root`` (wiped first) and run it against one Prefect server; the register CSV."""
    root = root.absolute()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    write_settings_file(root)
    if os.environ.get("PREFECT_API_URL"):
        return run_demo(root)
    home = root / "prefect-home"
    env = {**demo_env(root), "PREFECT_HOME": str(home)}
    home.mkdir()
    print("Starting one Prefect server for the whole demo...", flush=True)
    with running_prefect_server(_free_port(), env, log=home / "server.log") as server:
        os.environ["PREFECT_API_URL"] = server.api_url
        os.environ["PREFECT_HOME"] = str(home)
        try:
            return run_demo(root)
        finally:
            del os.environ["PREFECT_API_URL"]


def write_settings_file(root: Path) -> Path:
    """``spmon.toml`` in the demo folder: the command line run there uses the demo's data."""
    path = root / "spmon.toml"
    path.write_text(f'data_dir = "{root.as_posix()}"\nsettle_seconds = 0\n', encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_demo(root: Path) -> Path:
    """The demo's year, command by command; the path of the register CSV."""
    drop, issued = root / "drop", root / "issued"
    drop.mkdir(parents=True)
    contracts = demo_contracts(YEAR, seed=SEED)
    (root / "programme.toml").write_text(programme_toml(), encoding="utf-8")
    contracts_csv = write_csv(
        root / "contracts.csv",
        CONTRACT_COLUMNS,
        [[getattr(c, n) for n in CONTRACT_COLUMNS] for c in contracts],
    )
    extensions_csv = write_csv(root / "extensions.csv", EXTENSION_COLUMNS, EXTENSIONS)

    spmon(root, "init")
    spmon(root, "contracts", "import", contracts_csv)
    spmon(root, "extensions", "import", extensions_csv)
    spmon(root, "templates", "issue", "--year", YEAR, "--out", issued)

    by_id = {c.service_id: c for c in contracts}
    items = [*RETURNS, *good_returns(contracts, RETURNS)]
    print(f"\nProviders send {len(items)} files into {drop}; the ones to watch:")
    for item in RETURNS:
        print(f"  {item.name}: {item.shows}")
        write_drop_file(item, by_id, issued, drop)
    for item in items[len(RETURNS) :]:
        write_drop_file(item, by_id, issued, drop)

    spmon(root, "ingest", drop)
    register = root / "register.csv"
    spmon(root, "register", "export", register)
    run_qaf(root, contracts)
    demo_year.run_contract_management(root, spmon)
    demo_year.run_reports(root, spmon)
    print_summary(root, register)
    return register


def print_summary(root: Path, register: Path) -> None:
    """Where to look."""
    with register.open(newline="", encoding="utf-8") as handle:
        statuses = Counter(row["status"] for row in csv.DictReader(handle))
    outbox = root / "outbox"
    pi_notices = list((outbox / "pi").rglob("*.txt"))
    qaf_notices = list((outbox / "qaf").rglob("QAF_*.txt"))
    print("\nWhere to look")
    print(f"  the register:     {register} ({', '.join(f'{s} {n}' for s, n in sorted(statuses.items()))})")
    print(f"  PI notices:       {len(pi_notices)} in {outbox / 'pi'}")
    print(f"  archived files:   {root / 'archive'}")
    print(f"  quarantined:      {root / 'quarantine'}")
    print(f"  QAF notices:      {len(qaf_notices)} in {outbox / 'qaf'} (returned QAFs: QAF_*.txt)")
    print(f"  reminders:        {len(list((outbox / 'reminders').rglob('*.txt')))} in {outbox / 'reminders'}")
    for line in d_grade_lines(root):
        print(line)
    for line in demo_year.where_to_look(root):  # the QAF register, grade letters, risks and reports
        print(line)
    print("  the flow run:     `make server`, then open http://127.0.0.1:4200 (Runs, then 'ingest')")
    print(f"\nTo use the command line on the demo's data: export SPMON_DATA_DIR={root}")
    print(f"  (or run it from {root}, whose spmon.toml says the same), then e.g.")
    print("  .venv/bin/spmon register export register.csv --year 2025/26")


def d_grade_lines(root: Path) -> list[str]:
    """Each agreed D grade and where its improvement plan stands, as the database holds them."""
    engine = create_engine(f"sqlite:///{root / 'spmon.db'}")
    with Session(engine) as session:
        follow_ups = d_grade_follow_ups(session, YEAR)
    engine.dispose()
    lines = []
    for d in follow_ups:
        plan = f"plan received {d.plan_received}" if d.plan_received else f"plan due {d.plan_due}"
        again = f", re-validation due {d.revalidation_due}" if d.revalidation_due else ""
        lines.append(
            f"  D grades:         {d.provider_id} {d.objective} agreed D on {d.date_agreed}; {plan}{again} "
            f"({d.state(QAF_AS_AT).replace('_', ' ')} on {QAF_AS_AT})"
        )
    return lines


if __name__ == "__main__":
    main()
