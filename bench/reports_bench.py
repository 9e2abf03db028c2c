"""What the scheduled reports cost for a large authority: ``publish_quarterly`` and ``publish_monthly``.

``python -m bench.reports_bench --services 250 2500 [--profile] [--repeat 1]``

For each N it builds (once, cached under ``bench/out/reports-<N>.sqlite``) an
authority with the project's own code: N services from
``spmon.sample_data.demo_contracts`` for 2024/25 and 2025/26, five services a
provider (N/5 providers, each with its own name), a year of returns (Q3 and
Q4 2024/25, Q1 and Q2 2025/26) stored by ``tests.factories.returns.pi_return``
(PIs and breaches computed as the ingestion does) with some late, some
returned, some missing and some breaching with an explanation, one meeting
and one action a provider. Then it times, in this process:

- ``reports.run.publish_quarterly`` for Q2 2025/26 (as at 2025-10-28) into a
  fresh folder: the PI management report, late and non-returns, the national
  extract and one pack a provider;
- ``reports.run.publish_monthly`` for October 2025;

and the peak memory (this process and its children, ``ru_maxrss``). Results
are printed and written to ``bench/out/reports-results.json``; ``--profile``
also writes ``bench/out/reports-profile-<N>-<kind>.txt`` (cProfile, by
cumulative time; with ``SPMON_REPORT_WORKERS=1`` to see the work in one process).
Wall time depends on what else the machine runs; ``cpu_seconds`` (this process
and its workers) is the work itself.

``measure(services, kinds=("quarterly", "monthly"), profile=False)`` returns
one N's figures as a dict (its docstring names the keys): the function
``make bench`` calls, at 250 and 2,500 services.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
import data_contracts.risk_tables  # noqa: F401
from bench.cached import (
    OUT,
    SERVICES_A_PROVIDER,
    cached_database,
    grouped_contracts,
)
from reports.run import publish_monthly, publish_quarterly
from spmon.sample_data import good_quarter_values
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.returns import extension, pi_return
from tests.factories.sessions import utc

YEARS = ("2024/25", "2025/26")
QUARTERS = (("2024/25", "Q3"), ("2024/25", "Q4"), ("2025/26", "Q1"), ("2025/26", "Q2"))
# A return's received time for each quarter: on time (the deadlines are 15 working days after the end).
RECEIVED = {
    ("2024/25", "Q3"): (2025, 1, 10),
    ("2024/25", "Q4"): (2025, 4, 10),
    ("2025/26", "Q1"): (2025, 7, 10),
    ("2025/26", "Q2"): (2025, 10, 10),
}
LATE = {key: (y, m, d + 15) for key, (y, m, d) in RECEIVED.items()}
AS_AT = date(2025, 10, 28)


def build_database(path: Path, services: int) -> None:
    """The authority of N services, in a SQLite file."""
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        records = grouped_contracts(YEARS, services, seed=7)
        for record in records:
            session.add(record)
        session.flush()
        by_year = {(r.year, r.service_id): r for r in records}
        for index in range(services):
            for key in QUARTERS:
                year, quarter = key
                record = by_year[(year, f"SV{101 + index:05d}")]
                kind = (index * 7 + QUARTERS.index(key)) % 20
                if kind == 0:
                    continue  # a non-return
                values = {  # the sign-off (names, a date) is not stored among the figures
                    name: value
                    for name, value in good_quarter_values(record, quarter, seed=index).items()
                    if not isinstance(value, date)
                }
                comments = str(values.pop("comments", "") or "")
                status, reasons, when = "accepted", "", RECEIVED[key]
                if kind == 1:
                    when = LATE[key]
                elif kind == 2:
                    status, reasons = "returned", "incomplete"
                elif kind in (3, 4) and "frontline_hours_delivered" in values:
                    hours = float(str(values["frontline_hours_delivered"]))
                    values["frontline_hours_delivered"] = hours * 0.6  # SPI3 below its trigger
                    comments = "Two support workers were off sick for most of the quarter."
                elif kind == 5:
                    extension(session, record.service_id, quarter, date(*RECEIVED[key]).replace(day=28), year)
                pi_return(
                    session, record, quarter, utc(*when), values, status, comments=comments, reasons=reasons
                )
        for provider in range(0, services, SERVICES_A_PROVIDER):
            provider_id = f"PR{provider // SERVICES_A_PROVIDER + 1:05d}"
            meeting(session, provider_id, date(2025, 6, 2), date(2025, 6, 2))
            meeting(session, provider_id, date(2025, 12, 1))
            action(session, provider_id, f"SV{101 + provider:05d}", "Fill the vacant post", date(2025, 9, 30))
        session.commit()
    engine.dispose()


def database(services: int) -> Path:
    """The cached database of N services (built when missing)."""
    return cached_database("reports", services, build_database)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_one(services: int, kind: str, profile: bool) -> dict[str, Any]:
    """Time one publication of N services (``quarterly`` or ``monthly``) into a fresh folder."""
    engine = create_engine(f"sqlite:///{database(services)}")
    folder = OUT / f"reports-{services}-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    profiler = cProfile.Profile() if profile else None
    with Session(engine) as session:
        started, cpu = time.perf_counter(), _cpu_seconds()
        if profiler:
            profiler.enable()
        if kind == "quarterly":
            entries = publish_quarterly(session, programme(), folder, "2025/26", "Q2", AS_AT)
        else:
            entries = publish_monthly(session, programme(), folder, date(2025, 10, 1))
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    engine.dispose()
    files = [f for e in entries for f in e["files"]]
    size = sum((folder / f["path"]).stat().st_size for f in files)
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
        (OUT / f"reports-profile-{services}-{kind}.txt").write_text(text.getvalue(), encoding="utf-8")
    return {
        "services": services,
        "kind": kind,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # this process and its workers: the work, whatever else runs
        "files": len(files),
        "megabytes": round(size / 1e6, 1),
    }


def measure(
    services: int, kinds: tuple[str, ...] = ("quarterly", "monthly"), profile: bool = False
) -> dict[str, Any]:
    """The figures of one publication of each kind at N services, as a dict (``make bench`` calls this).

    ``{"services": N, "quarterly": {...}, "monthly": {...}, "peak_mb": ...}``,
    each kind's dict as ``run_one`` gives it (``seconds``, ``cpu_seconds``,
    ``files``, ``megabytes``) and ``peak_mb`` the peak memory so far of this
    process and its workers. The keys are stable.
    """
    database(services)
    found: dict[str, Any] = {"services": services}
    for kind in kinds:
        found[kind] = run_one(services, kind, profile)
    found["peak_mb"] = round(_peak_mb())
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and save the results."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, nargs="+", default=[250, 2500])
    parser.add_argument(
        "--kinds", nargs="+", default=["quarterly", "monthly"], choices=["quarterly", "monthly"]
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    results = []
    for services in args.services:
        for _ in range(args.repeat):
            found = measure(services, tuple(args.kinds), args.profile)
            for kind in args.kinds:
                result = {**found[kind], "peak_mb": found["peak_mb"]}
                results.append(result)
                print(
                    f"{kind:9} {services:5} services: {result['seconds']:7.2f} s "
                    f"(cpu {result['cpu_seconds']:.1f} s), {result['files']} files, "
                    f"{result['megabytes']} MB, peak {result['peak_mb']} MB",
                    flush=True,
                )
    (OUT / "reports-results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
