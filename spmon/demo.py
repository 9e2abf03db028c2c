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
import os
import shutil
import socket
from collections import Counter
from pathlib import Path

from sqlmodel import Session, create_engine

from data_contracts.qaf_tables import d_grade_follow_ups
from deployments.server import running_prefect_server
from spmon import demo_feedback, demo_year
from spmon.demo_commands import SPMON, demo_env, spmon, write_csv  # noqa: F401 - the demo's commands

# The demo's parts, re-exported: the tests build their own corpus from the demo's faults and files.
from spmon.demo_qaf import QAF_AS_AT, TICKS, named_cell, programme_toml, run_qaf, write_evidence  # noqa: F401
from spmon.demo_returns import (  # noqa: F401
    EXTENSIONS,
    RANDOM_BYTES,
    RETURNS,
    SEED,
    YEAR,
    Change,
    blank_cell,
    breach,
    good_returns,
    london,
    quarter_values,
    text_in,
    unbalanced_referrals,
    units_changed,
    write_drop_file,
)
from spmon.sample_data import demo_contracts
from tasks.common.contract_records import CONTRACT_COLUMNS, EXTENSION_COLUMNS

DEFAULT_ROOT = Path("var/demo")


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
    demo_feedback.run_feedback(root, spmon)
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
    for line in [*demo_feedback.where_to_look(root), *demo_year.where_to_look(root)]:  # feedback, QAF...
        print(line)
    print("  the flow run:     `make server`, then open http://127.0.0.1:4200 (Runs, then 'ingest')")
    print(f"\nTo use the command line on the demo's data: export SPMON_DATA_DIR={root}")
    print(f"  (or run it from {root}, whose spmon.toml says the same), then e.g.")
    print("  .venv/bin/spmon register export register.csv --year 2025/26")


def d_grade_lines(root: Path) -> list[str]:
    """Each agreed D grade and where its improvement plan stands, as the database holds them."""
    engine = create_engine(f"sqlite:///{root / 'foundation.db'}")
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
