"""Taking returned questionnaire workbooks: what the ingestion run calls for files that are ones.

The ingestion run recognises a questionnaire by content
(:func:`tasks.feedback.questionnaire.is_questionnaire`: it has an
``sq_reference`` cell) and reads it in its reader process
(:func:`tasks.feedback.questionnaire.read_questionnaire`). When the batch is
checked, :func:`check_questionnaires` validates the per-value rules of every
questionnaire of the batch at once (the Great Expectations suite of
``data_contracts.questionnaire_suite``); in the batch's transaction
:func:`record_questionnaire` records each reply with those codes (the
reference is looked up there: ``unknown_questionnaire``); after the commit the
run writes the letters (:func:`tasks.feedback.letters.write_pending_letters`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, select
from sqlmodel import Session, col

from data_contracts.feedback_tables import (
    DUPLICATE,
    INCOMPLETE,
    RECEIVED,
    SUPERSEDED,
    QuestionnaireReply,
)
from data_contracts.questionnaire_check_frame import EXPLAINED, RATING, RATING_GIVEN, ROW_ID, SERVICE_MATCHES
from data_contracts.questionnaire_workbook import ASPECTS
from tasks.calendar.dates import as_utc
from tasks.feedback.judge import MIN_REASON_WORDS, is_adverse, judge_ratings, ratings_from_answers, word_count
from tasks.feedback.questionnaire_read import QUESTIONNAIRE, QuestionnaireAnswers, read_questionnaire
from tasks.feedback.responses import record_reply, reply_from_answers, supersession_key
from tasks.intake.drop_folder import DropFile
from tasks.intake.recording import insert_files
from tasks.intake.workbook_reader import Workbook

if TYPE_CHECKING:
    import pandas as pd


class RecordedCopy(Protocol):
    """A file of the batch whose bytes were recorded before (``tasks.pi.store.FileResult``)."""

    drop: DropFile
    sha256: str


@dataclass
class QuestionnaireFile:
    """A questionnaire of a batch: the file, where it is archived, its answers and its per-value codes."""

    drop: DropFile
    sha256: str
    stored_path: Path
    answers: QuestionnaireAnswers
    codes: set[str] = field(default_factory=set)
    kind: str = QUESTIONNAIRE
    message: str = ""


def service_matches(answers: QuestionnaireAnswers) -> bool:
    """Whether ``sq_service_id`` is the service the reference names (another's pasted in: it is not)."""
    reference, service_id = answers.reference, answers.text("sq_service_id")
    if not reference or not service_id:
        return True  # a blank reference is judged when recorded; a blank service ID: the reference says
    return reference.startswith(f"SQ-{service_id}-")


def check_rows(answers: QuestionnaireAnswers) -> list[dict[str, Any]]:
    """One questionnaire's rows of the check frame (one per rating; its own facts on the first)."""
    given = ratings_from_answers(answers.values)
    ratings, _ = judge_ratings(given)
    explained = not is_adverse(ratings) or word_count(answers.text("sq_reasons")) >= MIN_REASON_WORDS
    rows: list[dict[str, Any]] = [
        {RATING_GIVEN: bool(ratings[aspect]), RATING: ratings[aspect] or None} for aspect in ASPECTS
    ]
    rows[0] |= {
        EXPLAINED: explained,
        SERVICE_MATCHES: service_matches(answers),
    }
    return rows


def check_frame(batch: Sequence[QuestionnaireAnswers]) -> tuple[pd.DataFrame, list[int]]:
    """The frame the suite validates, and the questionnaire (index in ``batch``) of each row."""
    import pandas as pd  # noqa: PLC0415 - only a batch with questionnaires pays for pandas

    rows: list[dict[str, Any]] = []
    owners: list[int] = []
    for index, answers in enumerate(batch):
        for row in check_rows(answers):
            rows.append({ROW_ID: len(rows), **row})
            owners.append(index)
    columns = [ROW_ID, RATING_GIVEN, RATING, EXPLAINED, SERVICE_MATCHES]
    return pd.DataFrame(rows, columns=columns).astype(object), owners


def check_questionnaires(batch: Sequence[QuestionnaireAnswers]) -> list[set[str]]:
    """The reason codes the per-value rules give each questionnaire of a batch, validated once."""
    codes: list[set[str]] = [set() for _ in batch]
    if not batch:
        return codes
    # Importing Great Expectations takes seconds: only a batch with questionnaires pays for it.
    from data_contracts.questionnaire_suite import questionnaire_suite  # noqa: PLC0415
    from tasks.intake.expectations import validate  # noqa: PLC0415

    frame, owners = check_frame(batch)
    for finding in validate(frame, questionnaire_suite(), ROW_ID):
        codes[owners[finding.row_id]].add(finding.code)
    return codes


def record_questionnaire(
    session: Session,
    answers: QuestionnaireAnswers,
    codes: set[str],
    source_file: str,
    sha256: str,
    received_at: datetime,
) -> QuestionnaireReply:
    """Record one checked questionnaire (judged against the issues: ``unknown_questionnaire``)."""
    given = reply_from_answers(answers, source_file, sha256, received_at)
    given.value_codes = frozenset(codes)
    return record_reply(session, given)


def take_questionnaire(
    session: Session, workbook: Workbook, source_file: str, sha256: str, received_at: datetime
) -> QuestionnaireReply:
    """Read, check and record one returned questionnaire (a batch of one); the reply recorded."""
    answers = read_questionnaire(workbook)
    [codes] = check_questionnaires([answers])
    return record_questionnaire(session, answers, codes, source_file, sha256, received_at)


def check_files(files: Sequence[QuestionnaireFile]) -> None:
    """Give every questionnaire file of a batch its per-value codes (one validation for the batch)."""
    for file, codes in zip(files, check_questionnaires([f.answers for f in files]), strict=True):
        file.codes = codes


def record_files(session: Session, run_id: int, files: Sequence[QuestionnaireFile]) -> list[str]:
    """Record the files and their replies, in order; each reply's status once the batch is recorded."""
    insert_files(session, run_id, files)
    replies = [
        record_questionnaire(session, f.answers, f.codes, f.drop.name, f.sha256, f.drop.received_at)
        for f in files
    ]
    return [reply.status for reply in replies]


def record_copies(session: Session, copies: Sequence[RecordedCopy]) -> list[str]:
    """Byte-identical copies of recorded questionnaires, under other names: each a ``duplicate`` row.

    ``feedback.md``: "an identical file is a ``duplicate``". The copy is not
    read again: its row repeats the recorded reply's answers, with the copy's
    name and received time, no reasons and no letter. A copy already recorded
    under its own name (a run stopped before filing, run again) adds nothing.
    """
    statuses = []
    for copy in copies:
        statement = select(QuestionnaireReply).where(col(QuestionnaireReply.sha256) == copy.sha256)
        recorded = sorted(session.execute(statement).scalars(), key=lambda reply: reply.id or 0)
        if recorded and all(reply.source_file != copy.drop.name for reply in recorded):
            statuses.append(_duplicate_of(session, recorded[0], copy.drop).status)
    return statuses


def _duplicate_of(session: Session, original: QuestionnaireReply, drop: DropFile) -> QuestionnaireReply:
    fields = original.model_dump(exclude={"id"})
    fields |= {"source_file": drop.name, "received_at": drop.received_at, "status": DUPLICATE, "reasons": ""}
    fields |= {"letter_path": "", "letter_written": False}
    fields |= {"provider_reply_due": None, "provider_replied_on": None}
    duplicate = QuestionnaireReply(**fields)
    session.add(duplicate)
    session.flush()
    return duplicate


def forget_replies(session: Session, sha256: str) -> set[str]:
    """Delete the replies a file gave (it is being re-ingested); their references."""
    where = col(QuestionnaireReply.sha256) == sha256
    references = set(session.execute(select(col(QuestionnaireReply.reference)).where(where)).scalars())
    session.execute(delete(QuestionnaireReply).where(where))
    return references


def rebuild_reply_statuses(session: Session, references: Iterable[str]) -> None:
    """Decide again which reply to each reference is current: the latest received; earlier ones superseded.

    Replies with a blank reference stand alone: each is current.
    """
    statement = select(QuestionnaireReply).where(
        col(QuestionnaireReply.reference).in_(sorted(set(references))),
        col(QuestionnaireReply.status) != DUPLICATE,
    )
    latest: dict[str, QuestionnaireReply] = {}
    for reply in session.execute(statement).scalars():
        reply.status = SUPERSEDED
        earlier = latest.get(supersession_key(reply))
        if earlier is None or _order(earlier) <= _order(reply):
            latest[supersession_key(reply)] = reply
    for reply in latest.values():
        reply.status = INCOMPLETE if reply.reasons else RECEIVED
    session.flush()


def _order(reply: QuestionnaireReply) -> tuple[datetime, str, int]:
    return as_utc(reply.received_at), reply.source_file, reply.id or 0


def reply_statuses(session: Session, files: Sequence[QuestionnaireFile]) -> list[str]:
    """The statuses of the replies these files gave, as they stand now."""
    statement = select(col(QuestionnaireReply.status)).where(
        col(QuestionnaireReply.sha256).in_([f.sha256 for f in files])
    )
    return list(session.execute(statement).scalars())
