"""Databases for the report tests from real returns: the project-made corpus and the demo, ingested in-process.

The ingestion is the flow's own plain functions (read, judge, record), without
Prefect; the imports are the command line's own functions. Each builder gives a
SQLite URL whose database holds the corpus.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import SQLModel

import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
import data_contracts.risk_tables  # noqa: F401
import data_contracts.tables  # noqa: F401
from foundation.db import engine_for, session_scope
from foundation.programme import Programme, load_programme
from tasks.common.contract_records import import_contracts, import_extensions
from tasks.intake.batch import plan_batch, record
from tasks.intake.drop_folder import settled_files
from tasks.intake.reading import programme_problems, read_drop_files
from tasks.pi.store import contract_index, known_sha256, start_run
from tasks.qaf.imports import import_agreed_grades
from tests.e2e.cli import copy_corpus_drop

MB = 1024 * 1024


def empty_database(folder: Path) -> str:
    """A SQLite file database with every table (the risk tables have no migration yet)."""
    url = f"sqlite:///{folder / 'foundation.db'}"
    SQLModel.metadata.create_all(engine_for(url))
    return url


def ingest_folder(url: str, drop: Path, programme: Programme, work: Path) -> None:
    """One ingestion run over a drop folder, as the flow does it (without moving files)."""
    files = settled_files(drop, 0)
    folders = {"archive": work / "archive", "quarantine": work / "quarantine"}
    with session_scope(url) as session:
        run_id = start_run(session, "ingest-test")
        contracts = contract_index(session)
    read = read_drop_files(files, 20 * MB, 200 * MB)
    with session_scope(url) as session:
        seen = known_sha256(session, [r.sha256 for r in read])
    plan = plan_batch(read, seen, contracts, programme, folders, programme_problems(read, programme))
    record(url, run_id, plan, programme)


def corpus_database(samples: Path, work: Path) -> tuple[str, Programme]:
    """A corpus folder (the project-made one, or the shared samples' layout) ingested as check-samples does it."""
    work.mkdir(parents=True, exist_ok=True)
    url = empty_database(work)
    programme = load_programme(samples / "programme.toml")
    with session_scope(url) as session:
        import_contracts(session, samples / "contracts.csv")
    with session_scope(url) as session:
        import_extensions(session, samples / "extensions.csv")
    with session_scope(url) as session:
        import_agreed_grades(session, samples / "qaf_grades_prev.csv")
    drop = work / "drop"
    copy_corpus_drop(samples, drop)
    ingest_folder(url, drop, programme, work)
    return url, programme


def demo_database(work: Path) -> tuple[str, Programme, Sequence[str]]:
    """The demo authority (``make demo``) built and ingested in-process; its service IDs."""
    from spmon import demo
    from spmon.sample_data import demo_contracts, demo_programme
    from tasks.pi.issue import issue_pi_workbooks

    work.mkdir(parents=True, exist_ok=True)
    url = empty_database(work)
    programme = demo_programme([demo.YEAR])
    contracts = demo_contracts(demo.YEAR, seed=demo.SEED)
    with session_scope(url) as session:
        session.add_all([c.model_copy() for c in contracts])
    extensions = demo.write_csv(
        work / "extensions.csv", ("service_id", "year", "quarter", "until"), demo.EXTENSIONS
    )
    with session_scope(url) as session:
        import_extensions(session, extensions)
    issued, drop = work / "issued", work / "drop"
    shutil.rmtree(drop, ignore_errors=True)
    drop.mkdir(parents=True)
    issue_pi_workbooks(contracts, programme, issued)
    by_id = {c.service_id: c for c in contracts}
    for item in [*demo.RETURNS, *demo.good_returns(contracts, demo.RETURNS)]:
        demo.write_drop_file(item, by_id, issued, drop)
    ingest_folder(url, drop, programme, work)
    return url, programme, sorted(by_id)
