"""One batch of the ingestion: judge, record in one transaction, then file away.

Order matters for a run that is stopped half way: the database is written
first (one transaction per batch), the files are moved after. A file found
again in the drop folder whose content is already recorded is only moved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from data_contracts.tables import ContractRecord, PiReturn
from spmon.db import session_scope
from spmon.programme import Programme
from tasks.deadlines import load_deadlines
from tasks.drop_folder import move_unchanged, still_same, stored_path
from tasks.intake import QAF, UNREADABLE, ReadFile
from tasks.notices import write_pending_notices
from tasks.pi_judge import ContractKey, JudgedReturn, judge_pi_workbooks
from tasks.pi_read import PiWorkbookContent
from tasks.pi_store import FileResult, known_sha256, record_pi_batch


@dataclass
class BatchPlan:
    """What a batch does with each of its files."""

    results: list[FileResult] = field(default_factory=list)  # recorded, then archived or quarantined
    identical: list[FileResult] = field(default_factory=list)  # content seen before: archived only
    left: dict[str, str] = field(default_factory=dict)  # left in the drop folder: name -> why


def plan_batch(
    read_files: list[ReadFile],
    seen_sha256: set[str],
    contracts: dict[ContractKey, ContractRecord],
    programme: Programme,
    folders: dict[str, Path],
    left: dict[str, str],
) -> BatchPlan:
    """Judge the batch's PI files and decide where every file goes."""
    plan = BatchPlan(left=dict(left))
    seen = set(seen_sha256)
    to_judge: list[tuple[FileResult, PiWorkbookContent]] = []
    for read in read_files:
        name = read.drop.name
        if name in plan.left:
            continue
        if read.kind == QAF:
            plan.left[name] = "QAF workbook: QAF intake is not built yet"
            continue
        folder = folders["quarantine"] if read.kind == UNREADABLE else folders["archive"]
        result = FileResult(
            read.drop, read.sha256, read.kind, stored_path(folder, read.sha256, name), read.message
        )
        if read.sha256 in seen:
            plan.identical.append(result)
            continue
        seen.add(read.sha256)
        if read.pi is None:
            result.returns = [JudgedReturn("", "", "", reasons=["unreadable"], messages=[read.message])]
        else:
            to_judge.append((result, read.pi))
        plan.results.append(result)
    judged_files = judge_pi_workbooks([content for _, content in to_judge], contracts, programme)
    for (result, _), judged in zip(to_judge, judged_files, strict=True):
        result.returns = judged
    return plan


def file_away(plan: BatchPlan) -> list[str]:
    """Move recorded and identical files out of the drop folder; names of files that changed meanwhile."""
    changed = []
    for result in [*plan.results, *plan.identical]:
        if not result.drop.path.exists():
            continue  # already moved by a run that stopped before recording it
        if not still_same(result.drop):
            changed.append(result.drop.name)
            continue
        move_unchanged(result.drop.path, result.stored_path)
    return changed


def record(database_url: str, run_id: int, plan: BatchPlan) -> Counter[str]:
    """Record a batch in one transaction; how many returns got each status."""
    with session_scope(database_url) as session:
        already = known_sha256(session, [result.sha256 for result in plan.results])
        fresh = [result for result in plan.results if result.sha256 not in already]
        return Counter(record_pi_batch(session, run_id, fresh))


def write_notices(database_url: str, programme: Programme, outbox: Path) -> list[Path]:
    """Write the notices of returned returns that are not yet in the outbox."""
    with session_scope(database_url) as session:
        deadlines = load_deadlines(session, programme)

        def deadline_of(row: PiReturn) -> date | None:
            if not row.quarter:
                return None
            return deadlines.of(row.service_id, row.year, row.quarter)

        return write_pending_notices(session, outbox, deadline_of)
