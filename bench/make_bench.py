"""``make bench``: every figure of issue 13 in one run, at 250 and 2,500 services, as one table.

``python -m bench.make_bench [--sizes 250 2500] [--ingest-sizes N ...] [--no-reports]``
(``make bench``; ``make bench BENCH_SIZES=250`` for a quick run;
``BENCH_INGEST_SIZES=250`` to leave out the ingestion of the larger sizes, whose
files take long to make the first time) measures, for each size:

- ingestion (``bench/ingest_bench.py``) on files made with the project's own
  code (``bench/ingest_files.py``: PI workbooks 85% clean, 10% returned, 5%
  resubmitted, and among them stakeholder questionnaires,
  ``bench/questionnaire_files.py``; the run over every file must record what
  the recipes say), against one Prefect server started here: the cost a file against the bare
  calamine read of the same files measured in this run, the fixed cost of a
  run, an empty run, 2,000 already-ingested files, peak memory; on SQLite, and
  on PostgreSQL too when ``SPMON_TEST_POSTGRES_URL`` (or the tests' default
  server) answers;
- the quarterly and monthly reports (``bench.reports_bench``) and the Contracts
  Update of a past month derived from the data (``bench.history_bench``).

The table is printed as Markdown (the README's) and the figures are written
to ``bench/out/bench-results.json``. Wall times depend on what else the
machine runs; the CPU seconds are the work itself. Exit status 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.cached import OUT
from bench.ingest_bench import measure_ingestion
from bench.ingest_files import bench_files
from bench.read_floor import read_floor
from bench.spmon_runs import (
    QUIET,
    Workspace,
    base_env,
    fresh_postgres_database,
    postgres_reachable,
    prefect_server,
)
from bench.summary_table import markdown_table

POSTGRES_URL = os.environ.get("SPMON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def ingestion_figures(sizes: list[int], scratch: Path) -> dict[int, dict[str, Any]]:
    """Read floor and ingestion figures for each size, SQLite and (when reachable) PostgreSQL."""
    found: dict[int, dict[str, Any]] = {}
    with_postgres = postgres_reachable(POSTGRES_URL)
    with prefect_server(OUT / "prefect-home", scratch / "prefect-server.log") as server:
        env = base_env() | {"PREFECT_API_URL": server.api_url, "PREFECT_HOME": str(OUT / "prefect-home")}
        first = bench_files(sizes[0])
        warm_up = Workspace.create(scratch / "warm-up", first.programme, env)
        warm_up.run("init")
        shutil.copy2(first.paths[0], warm_up.drop)  # over an empty folder, spmon ingest starts no flow run
        warm_up.run("ingest", warm_up.drop)  # the first run on a new server registers the flow: not timed
        for size in sizes:
            files = bench_files(size)
            print(f"{size} services, {len(files.paths)} files:", flush=True)
            figures = found[size] = {"read": read_floor(files.folder)}
            print(f"  read floor {figures['read']}", flush=True)
            print("  SQLite", flush=True)
            figures["sqlite"] = measure_ingestion(files, server, env, scratch / f"sqlite-{size}")
            if with_postgres:
                print("  PostgreSQL", flush=True)
                database = partial(_postgres_database, POSTGRES_URL)
                figures["postgres"] = measure_ingestion(files, server, env, scratch / f"pg-{size}", database)
    return found


def _postgres_database(server_url: str, label: str) -> str:
    return fresh_postgres_database(server_url, f"spmon_bench_{label}")


def report_figures(size: int) -> dict[str, Any]:
    """The quarterly and monthly reports and the Contracts Update of a past month, at one size."""
    from bench import history_bench, reports_bench  # noqa: PLC0415 - only when reports are wanted

    print(f"{size} services: reports and history", flush=True)
    reports = reports_bench.measure(size)
    return {
        "quarterly": reports["quarterly"],
        "monthly": reports["monthly"],
        "reports_peak_mb": reports["peak_mb"],
        "history": history_bench.measure(size),
    }


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the table and save the figures; 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[250, 2500], help="services (default 250 2500)"
    )
    parser.add_argument(
        "--ingest-sizes", type=int, nargs="*", help="sizes whose ingestion is measured (default: --sizes)"
    )
    parser.add_argument("--no-reports", action="store_true", help="ingestion figures only")
    parser.add_argument("--results", type=Path, default=OUT / "bench-results.json", help="where to save")
    parser.add_argument("--table-from", type=Path, nargs="+", help="print the table of saved results only")
    args = parser.parse_args(argv)
    if args.table_from:
        return print_table(merged(args.table_from))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # the server is stopped on the way out
    # Not in forked children: a report worker's pool ends its workers with SIGTERM (it printed "stopped").
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    ingest_sizes = args.sizes if args.ingest_sizes is None else args.ingest_sizes
    os.environ.update(QUIET)
    figures: dict[int, dict[str, Any]] = {}
    if ingest_sizes:
        scratch = OUT / "bench-run"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        figures = ingestion_figures(ingest_sizes, scratch)
        save(figures, args.results)
    if not args.no_reports:
        for size in args.sizes:
            figures[size] = figures.get(size, {}) | report_figures(size)
            save(figures, args.results)
    print(f"written to {args.results}")
    return print_table(figures)


def print_table(figures: dict[int, dict[str, Any]]) -> int:
    """Print the table; 0 when every target is met, else 1."""
    table, all_met = markdown_table(figures)
    print()
    print(table)
    return 0 if all_met else 1


def merged(paths: list[Path]) -> dict[int, dict[str, Any]]:
    """The figures of several saved results, size by size (a later file's figure wins)."""
    figures: dict[int, dict[str, Any]] = {}
    for path in paths:
        for size, found in json.loads(path.read_text(encoding="utf-8"))["figures"].items():
            figures[int(size)] = figures.get(int(size), {}) | found
    return figures


def save(figures: dict[int, dict[str, Any]], path: Path) -> None:
    """The figures so far, with when and on what they were measured."""
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "figures": figures,
    }
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
