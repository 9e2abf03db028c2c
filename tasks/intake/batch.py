"""One batch of the ingestion: judge, record in one transaction, then file away.

PI returns, QAF returns and stakeholder questionnaires (``feedback.md``) take
the same path; a questionnaire's per-value checks run once for the batch
(``tasks.feedback.intake``) and its adverse-feedback letter is written with
the notices.

Order matters for a run that is stopped half way: the database is written
first (one transaction per batch), the files are moved after. A file found
again in the drop folder whose content is already recorded is only moved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session

from data_contracts.tables import ContractRecord, PiReturn
from foundation.db import session_scope
from foundation.programme import Programme
from tasks.calendar.deadlines import load_deadlines
from tasks.feedback.intake import (
    QuestionnaireFile,
    check_files,
    forget_replies,
    rebuild_reply_statuses,
    record_copies,
    reply_statuses,
)
from tasks.feedback.intake import record_files as record_questionnaire_files
from tasks.feedback.letters import write_pending_letters
from tasks.feedback.questionnaire_read import QUESTIONNAIRE
from tasks.intake.drop_folder import move_unchanged, still_same, stored_path
from tasks.intake.reading import UNREADABLE, ReadFile
from tasks.intake.reingest import forget_file, rebuild_pi_statuses, rebuild_qaf_statuses
from tasks.outbox.pi_notices import write_pending_notices
from tasks.outbox.qaf_letters import write_pending_qaf_notices
from tasks.pi.judge import ContractKey, JudgedReturn, judge_pi_workbooks
from tasks.pi.read import PiWorkbookContent
from tasks.pi.store import FileResult, known_sha256, record_pi_batch
from tasks.qaf.judge import judge_qaf_workbooks
from tasks.qaf.read import QafContent
from tasks.qaf.store import QafFileResult, qaf_statuses, record_qaf_batch


@dataclass
class BatchPlan:
    """What a batch does with each of its files."""

    results: list[FileResult] = field(default_factory=list)  # PI and unreadable files to record
    qaf_results: list[QafFileResult] = field(default_factory=list)  # QAF files to record
    questionnaires: list[QuestionnaireFile] = field(default_factory=list)  # questionnaires to record
    identical: list[FileResult] = field(default_factory=list)  # content seen before: only filed
    left: dict[str, str] = field(default_factory=dict)  # left in the drop folder: name -> why

    def to_file(self) -> list[FileResult | QafFileResult | QuestionnaireFile]:
        """Every file the batch moves out of the drop folder."""
        return [*self.results, *self.qaf_results, *self.questionnaires, *self.identical]

    def to_record(self) -> list[FileResult | QafFileResult | QuestionnaireFile]:
        """The files the batch records: not those left, nor identical ones but questionnaires' copies."""
        return [*self.results, *self.qaf_results, *self.questionnaires, *self.questionnaire_copies()]

    def questionnaire_copies(self) -> list[FileResult]:
        """Identical files that are questionnaires: each its own ``duplicate`` reply (``feedback.md``)."""
        return [result for result in self.identical if result.kind == QUESTIONNAIRE]


def plan_batch(
    read_files: list[ReadFile],
    seen_sha256: set[str],
    contracts: dict[ContractKey, ContractRecord],
    programme: Programme,
    folders: dict[str, Path],
    left: dict[str, str],
) -> BatchPlan:
    """Judge the batch's PI and QAF files and decide where every file goes."""
    plan = BatchPlan(left=dict(left))
    seen = set(seen_sha256)
    pi_to_judge: list[tuple[FileResult, PiWorkbookContent]] = []
    qaf_to_judge: list[tuple[ReadFile, QafContent]] = []
    for read in read_files:
        name = read.drop.name
        if name in plan.left:
            continue
        folder = folders["quarantine"] if read.kind == UNREADABLE else folders["archive"]
        result = FileResult(
            read.drop, read.sha256, read.kind, stored_path(folder, read.sha256, name), read.message
        )
        if read.sha256 in seen:
            plan.identical.append(result)
            continue
        seen.add(read.sha256)
        if read.qaf is not None:
            qaf_to_judge.append((read, read.qaf))
            continue
        if read.questionnaire is not None:
            plan.questionnaires.append(
                QuestionnaireFile(read.drop, read.sha256, result.stored_path, read.questionnaire)
            )
            continue
        if read.pi is None:
            result.returns = [JudgedReturn("", "", "", reasons=["unreadable"], messages=[read.message])]
        else:
            pi_to_judge.append((result, read.pi))
        plan.results.append(result)
    _judge_pi(pi_to_judge, contracts, programme)
    plan.qaf_results = _judge_qaf(qaf_to_judge, contracts, programme, folders["archive"])
    check_files(plan.questionnaires)
    return plan


def _judge_pi(
    files: list[tuple[FileResult, PiWorkbookContent]],
    contracts: dict[ContractKey, ContractRecord],
    programme: Programme,
) -> None:
    judged_files = judge_pi_workbooks([content for _, content in files], contracts, programme)
    for (result, _), judged in zip(files, judged_files, strict=True):
        result.returns = judged


def _judge_qaf(
    files: list[tuple[ReadFile, QafContent]],
    contracts: dict[ContractKey, ContractRecord],
    programme: Programme,
    archive: Path,
) -> list[QafFileResult]:
    judged = judge_qaf_workbooks([content for _, content in files], contracts, programme)
    return [
        QafFileResult(read.drop, read.sha256, stored_path(archive, read.sha256, read.drop.name), qaf)
        for (read, _), qaf in zip(files, judged, strict=True)
    ]


def file_away(plan: BatchPlan) -> list[str]:
    """Move recorded and identical files out of the drop folder; names of files that changed meanwhile."""
    changed = []
    for result in plan.to_file():
        if not result.drop.path.exists():
            continue  # already moved by a run that stopped before recording it
        if not still_same(result.drop):
            changed.append(result.drop.name)
            continue
        move_unchanged(result.drop.path, result.stored_path)
    return changed


def record(
    database_url: str, run_id: int, plan: BatchPlan, programme: Programme, reingest: bool = False
) -> Counter[str]:
    """Record a batch in one transaction; how many returns got each status.

    PI returns go first, so that an accepted QAF's visit decision sees the PI
    returns received before it (``tasks.qaf.visits`` keeps to received order).
    When re-ingesting, the files' earlier outcomes are forgotten first and the
    statuses of every quarter they touch are decided again afterwards.
    """
    with session_scope(database_url) as session:
        if reingest:
            return _record_again(session, run_id, plan, programme)
        already = known_sha256(session, [r.sha256 for r in plan.to_file()])
        statuses = Counter(
            record_pi_batch(session, run_id, [r for r in plan.results if r.sha256 not in already])
        )
        fresh_qaf = [r for r in plan.qaf_results if r.sha256 not in already]
        qaf_ids = record_qaf_batch(session, run_id, fresh_qaf, programme)
        statuses.update(f"QAF {status}" for status in qaf_statuses(session, qaf_ids))
        fresh_questionnaires = [r for r in plan.questionnaires if r.sha256 not in already]
        replies = record_questionnaire_files(session, run_id, fresh_questionnaires)
        replies += record_copies(session, plan.questionnaire_copies())
        statuses.update(f"questionnaire {status}" for status in replies)
        return statuses


def _record_again(session: Session, run_id: int, plan: BatchPlan, programme: Programme) -> Counter[str]:
    pi_keys: set[tuple[str, str, str]] = set()
    qaf_keys: set[tuple[str, str, str]] = set()
    references: set[str] = set()
    for result in plan.to_file():
        forgotten_pi, forgotten_qaf = forget_file(session, result.sha256)
        pi_keys |= forgotten_pi
        qaf_keys |= forgotten_qaf
        references |= forget_replies(session, result.sha256)
    session.flush()
    statuses = Counter(record_pi_batch(session, run_id, plan.results))
    qaf_ids = record_qaf_batch(session, run_id, plan.qaf_results, programme)
    session.flush()
    pi_keys |= {
        (j.service_id, j.year, j.quarter)
        for r in plan.results
        for j in r.returns
        if j.service_id and j.quarter
    }
    qaf_keys |= {r.judged.key for r in plan.qaf_results if r.judged.key}
    rebuild_pi_statuses(session, pi_keys)
    rebuild_qaf_statuses(session, qaf_keys)
    statuses.update(f"QAF {status}" for status in qaf_statuses(session, qaf_ids))
    record_questionnaire_files(session, run_id, plan.questionnaires)
    rebuild_reply_statuses(session, references | {q.answers.reference or "" for q in plan.questionnaires})
    statuses.update(f"questionnaire {status}" for status in reply_statuses(session, plan.questionnaires))
    return statuses


def write_notices(database_url: str, programme: Programme, outbox: Path) -> list[Path]:
    """Write the notices of returned returns that are not yet in the outbox."""
    with session_scope(database_url) as session:
        deadlines = load_deadlines(session, programme)

        def deadline_of(row: PiReturn) -> date | None:
            if not row.quarter:
                return None
            return deadlines.of(row.service_id, row.year, row.quarter)

        return [
            *write_pending_notices(session, outbox, deadline_of),
            *write_pending_qaf_notices(session, outbox),
            *write_pending_letters(session, outbox),
        ]
