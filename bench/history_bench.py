"""What the derived risk history costs: the Contracts Update of a past month for a large authority.

``python -m bench.history_bench [--services 2000] [--month 2025-11] [--profile]``

Builds once (cached under ``bench/out/history-<N>.sqlite``), with the
project's own code, an authority of N services (``spmon.sample_data.demo_contracts``
for 2024/25 and 2025/26, five services a provider) and a year of everything
the clauses read: PI returns for Q3 2024/25 to Q3 2025/26 stored by
``tests.reports.factory.pi_return`` (PIs and breaches computed as the
ingestion does; some late, some returned and resubmitted, some returned and
left, some missing, some breaching, some under an extension), a QAF a
provider (some late, some returned, some never), meetings (held, planned,
re-planned before and after the QAF due date), D grades with plans, and
actions (overdue, closed, on time). The risk flow never ran on it.

Then it times, in this process, on a database where nothing was recorded:

- ``reports.gather.gather_contracts_update`` for the month (as at its last
  day): one load, the services judged, the history of every service derived
  from 1 April 2024 and the month's changes;
- the same split into its parts (load, judging, derivation);
- ``tasks.contract_management.export.export_risk`` as at the month's end, for comparison.

``measure(services=2000, month="2025-11", profile=False)`` returns the
figures as a dict (its docstring names the keys): the function ``make bench``
calls, at 250 and 2,500 services.

Target: the Contracts Update of a past month for 2,000 services in under 10 s.
Wall time depends on what else the machine runs (the load average is
printed); the CPU seconds are the work itself.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

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
from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan
from data_contracts.risk_tables import Meeting
from data_contracts.tables import ContractRecord
from reports.gather import gather_contracts_update
from reports.periods import last_of_month
from spmon.sample_data import good_quarter_values
from tasks.calendar.dates import year_of
from tasks.contract_management.export import export_risk
from tasks.contract_management.facts import FactSource
from tasks.contract_management.history import derive_history
from tests.factories.meetings import action
from tests.factories.programmes import programme
from tests.factories.qafs import qaf_return
from tests.factories.returns import extension, pi_return
from tests.factories.sessions import utc

YEARS = ("2024/25", "2025/26")
QUARTERS = (("2024/25", "Q3"), ("2024/25", "Q4"), ("2025/26", "Q1"), ("2025/26", "Q2"), ("2025/26", "Q3"))
RECEIVED = {  # on time: the deadlines are 15 working days after the quarter's end
    ("2024/25", "Q3"): (2025, 1, 10),
    ("2024/25", "Q4"): (2025, 4, 10),
    ("2025/26", "Q1"): (2025, 7, 10),
    ("2025/26", "Q2"): (2025, 10, 10),
    ("2025/26", "Q3"): (2026, 1, 12),
}
T = TypeVar("T")


def _returns(session: Session, record: ContractRecord, index: int) -> None:
    for position, key in enumerate(QUARTERS):
        year, quarter = key
        if year != record.year:
            continue
        kind = (index * 7 + position) % 23
        if kind == 0:
            continue  # a non-return
        values = {
            name: value
            for name, value in good_quarter_values(record, quarter, seed=index).items()
            if not isinstance(value, date)
        }
        comments = str(values.pop("comments", "") or "")
        y, m, d = RECEIVED[key]
        when = utc(y, m, d)
        if kind in (1, 2):
            when += timedelta(days=10 * kind)  # late: 10 or 20 days after the on-time day
        if kind in (3, 4):  # returned; kind 3 resubmitted 40 days later
            pi_return(
                session,
                record,
                quarter,
                when,
                values,
                "superseded" if kind == 3 else "returned",
                reasons="incomplete",
            )
            if kind == 4:
                continue
            when += timedelta(days=40)
        if kind in (5, 6, 7) and "frontline_hours_delivered" in values:
            values["frontline_hours_delivered"] = float(str(values["frontline_hours_delivered"])) * 0.6
            comments = "Two support workers were off sick for most of the quarter."
        if kind == 8:
            extension(session, record.service_id, quarter, date(y, m, 28), year)
            when = utc(y, m, 27)
        pi_return(session, record, quarter, when, values, "accepted", comments=comments)


def _provider(session: Session, number: int, provider_id: str, services: list[str]) -> None:
    kind = number % 6
    first = date(2025, 9 + number % 3, 10)  # QAF due six weeks before
    session.add(
        Meeting(provider_id=provider_id, planned_date=date(2025, 3, 3), completed_date=date(2025, 3, 3))
    )
    if kind in (1, 2):  # re-planned before (1) or after (2) its QAF was due
        session.add(
            Meeting(
                provider_id=provider_id,
                planned_date=first.replace(month=12),
                replanned_from=first,
                replanned_on=date(2025, 7, 1) if kind == 1 else first.replace(day=1),
            )
        )
    else:
        done = first if kind in (0, 3) else None
        session.add(Meeting(provider_id=provider_id, planned_date=first, completed_date=done))
        session.add(Meeting(provider_id=provider_id, planned_date=date(2026, 3, 2)))
    covered = ";".join(services)
    if kind != 5:  # kind 5 never sends its QAF
        received = utc(2025, 7, 20) if kind in (0, 1, 3) else utc(2025, 10, 25)
        status = "returned" if kind == 4 else "accepted"
        qaf_return(session, provider_id, covered, received, status, claimed_c1_4="D" if kind == 3 else "C")
    if kind == 3:
        session.add(
            AgreedGrade(
                provider_id=provider_id,
                year="2025/26",
                service_ids=covered,
                objective="C1.4",
                grade="D",
                date_agreed=date(2025, 8, 20),
                method="desk",
            )
        )
        if number % 12 == 3:
            session.add(
                ImprovementPlan(
                    provider_id=provider_id,
                    year="2025/26",
                    service_ids=covered,
                    plan_received=date(2025, 9, 1),
                )
            )
    target = date(2025, 6 + number % 6, 15)
    action(session, provider_id, services[0], "Fill the vacant post", target)
    action(
        session,
        provider_id,
        "",
        "Review the risk assessments",
        target.replace(day=1),
        closed=date(2025, 10, 1) if number % 2 else None,
    )


def build_database(path: Path, services: int) -> None:
    """The authority of N services, in a SQLite file."""
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        records = grouped_contracts(YEARS, services, seed=11)
        session.add_all(records)
        session.flush()
        for position, record in enumerate(records):
            _returns(session, record, position % services)
        for number in range(services // SERVICES_A_PROVIDER):
            provider_id = f"PR{number + 1:05d}"
            mine = [
                f"SV{101 + n:05d}"
                for n in range(number * SERVICES_A_PROVIDER, (number + 1) * SERVICES_A_PROVIDER)
            ]
            _provider(session, number, provider_id, mine)
        session.commit()
    engine.dispose()


def database(services: int) -> Path:
    """The cached database of N services (built when missing)."""
    return cached_database("history", services, build_database)


def measure(services: int = 2000, month: str = "2025-11", profile: bool = False) -> dict[str, Any]:
    """The figures of one run at N services, as a dict (``make bench`` calls this; the keys are stable).

    ``seconds``/``cpu_seconds``: the Contracts Update of the month, from the data,
    wall and CPU; ``load_seconds``, ``judging_seconds``, ``history_seconds``: its
    parts timed again alone; ``export_seconds``: the risk export as at the
    month's end; ``services``, ``at_risk``, ``changes``, ``changes_in_month``:
    what was computed; ``load_average``: the machine's load when it ended.
    """
    first = date.fromisoformat(f"{month}-01")
    as_at = last_of_month(first)
    engine = create_engine(f"sqlite:///{database(services)}")
    with Session(engine) as session:
        profiler = cProfile.Profile() if profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        update = gather_contracts_update(session, programme(), first, as_at)
        if profiler:
            profiler.disable()
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
        source, load = _timed(lambda: FactSource.load(session, programme(), year_of(as_at)))
        risks, judging = _timed(lambda: source.evaluate_all(as_at))
        history, deriving = _timed(lambda: derive_history(source, as_at))
        _, export = _timed(
            lambda: export_risk(session, programme(), as_at, OUT / f"history-risk-{services}.csv")
        )
    engine.dispose()
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        (OUT / f"history-profile-{services}.txt").write_text(text.getvalue())
    return {
        "services": len(risks),
        "month": month,
        "as_at": as_at.isoformat(),
        "seconds": round(total, 2),
        "cpu_seconds": round(total_cpu, 2),
        "load_seconds": round(load, 2),
        "judging_seconds": round(judging, 2),
        "history_seconds": round(deriving, 2),
        "export_seconds": round(export, 2),
        "at_risk": len({c.service_id for c in update.clauses if c.level != "Low"}),
        "changes": len(history.changes),
        "changes_in_month": len(update.changes),
        "load_average": round(os.getloadavg()[0], 1),
    }


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def main() -> None:
    """Time the Contracts Update of a past month, and its parts; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=2000)
    parser.add_argument("--month", default="2025-11")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    found = measure(args.services, args.month, args.profile)
    print(
        f"services {found['services']}, with a Medium or High clause {found['at_risk']}, "
        f"changes up to {found['as_at']} {found['changes']}, in {args.month} {found['changes_in_month']}"
    )
    print(
        f"Contracts Update {args.month} as at {found['as_at']}: {found['seconds']:.2f} s wall, "
        f"{found['cpu_seconds']:.2f} s CPU (target under 10 s; load average {found['load_average']} "
        f"on {os.cpu_count()} cores)"
    )
    print(
        f"  load {found['load_seconds']:.2f} s, judging as at the date {found['judging_seconds']:.2f} s, "
        f"history derived {found['history_seconds']:.2f} s"
    )
    print(f"risk export as at {found['as_at']}: {found['export_seconds']:.2f} s")


if __name__ == "__main__":
    main()
