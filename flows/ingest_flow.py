"""The ingestion flow: the drop folder to the database, the archive and the outbox.

lock -> list settled files -> for each batch: read, check (one GX run),
record (one transaction), file away -> write notices -> publish a summary
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run

from foundation.db import session_scope
from foundation.errors import BadInput
from foundation.programme import load_programme
from foundation.settings import get_settings
from tasks.intake.batch import BatchPlan, plan_batch
from tasks.intake.drop_folder import DropFile
from tasks.intake.reading import ReadFile, programme_problems
from tasks.intake.reingest import find_stored_file
from tasks.intake.run_lock import ingestion_lock
from tasks.intake.run_report import Problem, RunReport, run_report
from tasks.intake.seen_before import file_sha256, in_drop_order, known_kinds
from tasks.outbox.failure_notices import notify_crash, notify_failure
from tasks.pi.store import contract_index, finish_run, known_sha256, start_run
from tasks.prefect_tasks import (
    as_is,
    check_batch,
    file_batch,
    list_drop_files,
    read_batch,
    record_batch,
    write_notices,
)

T = TypeVar("T")
LONDON = ZoneInfo("Europe/London")


@dataclass
class IngestSummary:
    """What one run did, for the log, the Prefect artifacts and the command line."""

    run_name: str
    files_seen: int = 0
    files_processed: int = 0
    files_quarantined: int = 0
    files_identical: int = 0
    returns_recorded: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    returned: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    follow_up: list[Problem] = field(default_factory=list)  # incomplete questionnaires
    left_in_drop: dict[str, str] = field(default_factory=dict)
    notices: int = 0
    waited_for_lock: float = 0.0
    earlier_attempts: int = 0  # attempts of this run before this one (a retry)
    files_by_earlier_attempts: int = 0

    def add_report(self, report: RunReport) -> None:
        """Take the figures recorded under this run's name, as they stand at its end."""
        self.statuses = dict(sorted(report.statuses.items()))
        self.returns_recorded = report.returns_recorded
        self.returned = report.returned
        self.quarantined = report.quarantined
        self.follow_up = report.follow_up
        self.files_quarantined = len(report.quarantined)
        self.files_processed = report.files_recorded
        self.earlier_attempts = report.attempts - 1
        self.files_by_earlier_attempts = report.files_by_earlier_attempts

    def markdown(self) -> str:
        """The run summary as the Prefect UI shows it."""
        lines = [
            f"# Ingestion {self.run_name}",
            f"- files taken: {self.files_seen}; recorded: {self.files_processed}; "
            f"quarantined: {self.files_quarantined}; identical to earlier files: {self.files_identical}",
            f"- returns recorded: {self.returns_recorded} "
            + ", ".join(f"{status} {count}" for status, count in self.statuses.items()),
            f"- notices written to the outbox: {self.notices}",
        ]
        if self.waited_for_lock:
            lines.append(f"- waited {self.waited_for_lock:.0f} s for another ingestion run to finish")
        if self.earlier_attempts:
            lines.append(
                f"- this is a retry: {self.earlier_attempts} earlier attempt(s) of this run recorded "
                f"{self.files_by_earlier_attempts} of these files, counted above"
            )
        lines += _section("Returned to providers", [p.line() for p in self.returned])
        lines += _section("Quarantined", [p.line() for p in self.quarantined])
        lines += _section("Questionnaires to follow up by telephone", [p.line() for p in self.follow_up])
        lines += _section("Left in the drop folder", list(self.left_in_drop.values()))
        return "\n".join(lines)


def _section(title: str, items: list[str]) -> list[str]:
    return ["", f"## {title}", *[f"- {item}" for item in items]] if items else []


def ingest_run_name() -> str:
    """``ingest-2025-10-14-0130`` (London time; seconds added when off the minute), or ``reingest-<file>``.

    A retry keeps the name of its run, so its summary can say what the earlier attempt recorded.
    """
    if flow_run.get_run_count() > 1 and flow_run.get_name():
        return str(flow_run.get_name())
    file = flow_run.get_parameters().get("file")
    if file:
        return f"reingest-{_short(str(file))}"
    start = flow_run.get_scheduled_start_time().astimezone(LONDON)
    return start.strftime("ingest-%Y-%m-%d-%H%M" + ("%S" if start.second else ""))


def _short(name: str, limit: int = 80) -> str:
    printable = "".join(char if char.isprintable() else "?" for char in name)
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def stored_drop_file(path: Path) -> DropFile:
    """A stored file taken as if it were in the drop folder again (its time is its received time)."""
    stat = path.stat()
    return DropFile(path, stat.st_size, stat.st_mtime_ns)


def chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive batches of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


@flow(name="ingest", flow_run_name=ingest_run_name, on_failure=[notify_failure], on_crashed=[notify_crash])
def ingest_flow(drop_dir: str | None = None, file: str | None = None) -> IngestSummary:
    """Take the settled files of the drop folder through every check into the database.

    With ``file``, re-ingest instead the one archived or quarantined file of that
    name: its earlier outcome is forgotten and it is judged again as of its
    received time.
    """
    settings = get_settings()
    logger = get_run_logger()
    programme = load_programme(settings.programme)
    folders = {"archive": settings.archive, "quarantine": settings.quarantine}
    drop = Path(drop_dir).absolute() if drop_dir else settings.drop
    if not file and not drop.is_dir():
        raise BadInput(f"drop folder not found: {drop}")
    url = settings.database
    summary = IngestSummary(run_name=str(flow_run.get_name() or ingest_run_name()))
    with ingestion_lock(url, on_wait=logger.info) as waited:
        summary.waited_for_lock = waited()
        if summary.waited_for_lock:
            logger.info("got the ingestion lock after waiting %.1f s", summary.waited_for_lock)
        if file:
            files = [stored_drop_file(find_stored_file(file, [settings.archive, settings.quarantine]))]
        else:
            files = list_drop_files(drop, settings.settle_seconds)
        with session_scope(url) as session:
            run_id = start_run(session, summary.run_name)
            contracts = contract_index(session)
        for batch in chunks(files, settings.batch_size):
            known = {} if file else _known_files(url, batch)
            unread = [drop for drop in batch if drop not in known]
            read: list[ReadFile] = []
            if unread:  # a batch of files seen before is only filed: no reader, no task run
                importing = _import_checks_meanwhile(len(unread))
                read = read_batch(as_is(unread), settings.max_file_bytes, settings.max_unzipped_bytes)
                importing.join()
            read_files = in_drop_order(batch, known, read)
            seen: set[str] = set()
            if not file:
                with session_scope(url) as session:
                    seen = known_sha256(session, [read.sha256 for read in read_files])
            left = programme_problems(read_files, programme)
            if unread:
                plan = check_batch(as_is(read_files), as_is(seen), as_is(contracts), programme, folders, left)
            else:  # every file recorded before: nothing to check, so no task run to show for it
                plan = plan_batch(read_files, seen, contracts, programme, folders, left)
            if plan.to_record():
                record_batch(url, run_id, as_is(plan), programme, reingest=bool(file))
            file_batch(as_is(plan))
            _count(summary, plan)
        summary.notices = len(write_notices(url, programme, settings.outbox))
        with session_scope(url) as session:
            summary.add_report(run_report(session, summary.run_name, run_id))
            finish_run(session, run_id, _run_counts(summary))
    _publish(summary)
    problems = {n: why for n, why in summary.left_in_drop.items() if "programme file" in why}
    if problems:
        raise BadInput("; ".join(problems.values()))
    return summary


# What checking a batch imports takes seconds (Great Expectations above all). While the reader
# process reads, this process only waits on a pipe: the imports run then, on the other core.
# A few files are read in a blink, and may hold nothing to validate (one unreadable file): then
# the check imports GX itself, only if a return is to be checked.
_CHECK_MODULES = ("pandas", "data_contracts.pi_return_suite")
_IMPORT_AHEAD_FROM = 50  # files to read, about 0.15 s of reading


def _import_checks_meanwhile(files: int) -> threading.Thread:
    """Import what the check step needs in a thread (joined once the batch is read), for a large batch."""

    def import_all() -> None:
        if files < _IMPORT_AHEAD_FROM:
            return
        for name in _CHECK_MODULES:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - the check imports it again and reports what is wrong
                    return

    thread = threading.Thread(target=import_all, name="spmon-import-checks", daemon=True)
    thread.start()
    return thread


def _known_files(url: str, batch: list[DropFile]) -> dict[DropFile, ReadFile]:
    """The batch's files whose content is already recorded, taken as read without parsing them."""
    hashes = {drop: file_sha256(drop) for drop in batch}
    with session_scope(url) as session:
        kinds = known_kinds(session, hashes.values())
    return {drop: ReadFile(drop, sha256, kinds[sha256]) for drop, sha256 in hashes.items() if sha256 in kinds}


def _count(summary: IngestSummary, plan: BatchPlan) -> None:
    summary.files_seen += len(plan.to_file()) + len(plan.left)
    summary.files_identical += len(plan.identical)
    summary.left_in_drop.update(plan.left)


def _run_counts(summary: IngestSummary) -> dict[str, int]:
    return {
        "files_seen": summary.files_seen,
        "files_processed": summary.files_processed,
        "files_quarantined": summary.files_quarantined,
        "files_identical": summary.files_identical,
        "returns_recorded": summary.returns_recorded,
    }


def _publish(summary: IngestSummary) -> None:
    get_run_logger().info(summary.markdown())
    create_markdown_artifact(
        markdown=summary.markdown(), key="ingest-summary", description="Ingestion run summary"
    )
    rows = [problem.row() for problem in [*summary.returned, *summary.quarantined]]
    if rows:
        create_table_artifact(
            table=rows, key="ingest-problems", description="Returns sent back and files quarantined"
        )
