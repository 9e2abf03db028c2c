"""What an ingestion run costs, measured on the bench's files (``bench/ingest_files.py``).

For N services (2N files) and one database (SQLite, or a fresh PostgreSQL
database), every ``spmon`` running as a subprocess against the bench's
Prefect server (``bench/spmon_runs.py``):

- ``spmon ingest`` over the first file alone and over all of them, each into a
  fresh data folder and database; the cost a file is the slope
  ``(t_all - t_one) / (N - 1)`` (wall and CPU), and the run's fixed cost what
  is left of ``t_all`` at zero files (the two sizes are as far apart as they
  can be: at 500 files, halves differ by less than a loaded machine's noise);
- that cost a file against the bare calamine read of the same files, measured
  in the same bench run (``bench/read_floor.py``): target at most 2x;
- a run over the processed, now empty, drop folder (median of three);
- 2,000 files already ingested dropped again (copies of the files under new
  names: same content, so they are only filed);
- the peak memory of the ingestion of all N files.

The drop folder holds stakeholder questionnaires among the PI workbooks
(``bench/questionnaire_files.py``), so every figure is with them: each
workspace imports the stakeholders and issues their questionnaires (the same
references) before its run, and the run over all the files must record the
outcomes the recipes say (``bench/ingest_outcomes.py``), or the bench stops.
"""

from __future__ import annotations

import shutil
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.ingest_files import BenchFiles, bench_contracts
from bench.ingest_outcomes import check_outcomes
from bench.questionnaire_files import ISSUED, asked_services
from bench.spmon_runs import MB, Run, Server, Workspace

SEEN_AGAIN = 2000
EMPTY_REPEATS = 3


def prepared(
    root: Path, files: BenchFiles, env: dict[str, str], database_url: str, paths: Sequence[Path]
) -> Workspace:
    """A fresh data folder and database with the contracts imported and ``paths`` in its drop folder."""
    workspace = Workspace.create(root, files.programme, env, database_url)
    for path in paths:
        shutil.copy2(path, workspace.drop)  # the modification time is the received time
    workspace.run("init")
    workspace.run("contracts", "import", files.contracts_csv)
    issue_questionnaires(workspace, files)
    return workspace


def issue_questionnaires(workspace: Workspace, files: BenchFiles) -> None:
    """The stakeholders imported and their questionnaires issued, as officers do before replies come back."""
    workspace.run("feedback", "stakeholders", "import", files.stakeholders_csv)
    contracts = bench_contracts(files.services)
    services = [arg for n in asked_services(files.services) for arg in ("--service", contracts[n].service_id)]
    issued = ("--out", workspace.root / "issued", "--issued", ISSUED.isoformat())
    workspace.run("feedback", "questionnaires", "issue", *services, *issued)


def ingest(workspace: Workspace, server: Server) -> Run:
    """One ``spmon ingest`` of the workspace's drop folder, on an idle server; every file must leave it."""
    server.wait_idle()
    run = workspace.run("ingest", workspace.drop)
    if any(workspace.drop.iterdir()):
        raise SystemExit(f"files were left in {workspace.drop}; see {workspace.log}")
    return run


def drop_again(workspace: Workspace, paths: Sequence[Path], count: int) -> None:
    """``count`` files whose content was ingested already, named anew, into the drop folder."""
    for number in range(count):
        path = paths[number % len(paths)]
        shutil.copy2(path, workspace.drop / f"again {number:05d} {path.name}")


def measure_ingestion(
    files: BenchFiles, server: Server, env: dict[str, str], scratch: Path, database: Any = ""
) -> dict[str, Any]:
    """The ingestion figures of one size on one database (``database``: gives a fresh URL; SQLite if "")."""
    paths = files.paths
    runs: dict[str, Run] = {}
    workspaces: dict[str, Workspace] = {}
    for label, size in (("one", 1), ("all", len(paths))):
        url = database(f"{label}_{files.services}") if database else ""
        workspaces[label] = prepared(scratch / label, files, env, url, paths[:size])
        runs[label] = ingest(workspaces[label], server)
        print(
            f"    ingest of {size} files: {runs[label].seconds:.1f} s, {runs[label].cpu_seconds:.1f} CPU-s",
            flush=True,
        )
    per_file = (runs["all"].seconds - runs["one"].seconds) / (len(paths) - 1)
    per_file_cpu = (runs["all"].cpu_seconds - runs["one"].cpu_seconds) / (len(paths) - 1)
    everything = workspaces["all"]
    outcomes = check_outcomes(everything, files)
    print(f"    recorded as the recipe says: {outcomes}", flush=True)
    empty = [ingest(everything, server) for _ in range(EMPTY_REPEATS)]
    drop_again(everything, paths, SEEN_AGAIN)
    seen = ingest(everything, server)
    return {
        "files": len(paths),
        "ingest_all_s": runs["all"].seconds,
        "ingest_all_cpu_s": runs["all"].cpu_seconds,
        "ingest_ms_per_file": per_file * 1000,
        "ingest_cpu_ms_per_file": per_file_cpu * 1000,
        "fixed_cost_s": runs["all"].seconds - per_file * len(paths),
        "fixed_cost_cpu_s": runs["all"].cpu_seconds - per_file_cpu * len(paths),
        "empty_run_s": statistics.median(run.seconds for run in empty),
        "empty_run_cpu_s": statistics.median(run.cpu_seconds for run in empty),
        "seen_again_s": seen.seconds,
        "seen_again_cpu_s": seen.cpu_seconds,
        "peak_mb": max(run.max_rss_bytes for run in runs.values()) / MB,
        "outcomes": outcomes,
    }
