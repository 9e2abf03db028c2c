"""Recording questionnaire replies and the provider's replies to adverse feedback (``feedback.md``).

:func:`record_reply` is the one door every reply comes through: a returned
workbook (the intake builds a :class:`ReplyInput` with :func:`reply_from_answers`)
or a row of ``spmon feedback responses import`` (telephone or meeting). It
judges the answers (``tasks.feedback.judge``), makes an identical file a
``duplicate`` (and so a file of other bytes whose answers are those of the
reference's current reply: the same reply saved again, which supersedes
nothing), lets the latest reply to a reference supersede the earlier
ones, and gives an adverse reply its provider reply date (10 working days,
England and Wales bank holidays, after the day it was received) and its
letter path; the letters are written afterwards (``tasks.feedback.letters``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import (
    DUPLICATE,
    FILE,
    INCOMPLETE,
    MEETING,
    PROVIDER_REPLY_COLUMNS,
    RECEIVED,
    RESPONSE_COLUMNS,
    SUPERSEDED,
    TELEPHONE,
    QuestionnaireIssue,
    QuestionnaireReply,
)
from data_contracts.questionnaire_workbook import ASPECTS
from tasks.calendar.dates import add_working_days, as_utc, london_date
from tasks.common.contract_records import one_of, required_text
from tasks.common.safe_files import sha256_of_file
from tasks.common.safe_paths import file_name, path_part
from tasks.feedback.judge import Judgement, is_confidential, judge_answers, ratings_from_answers
from tasks.feedback.questionnaire_read import QuestionnaireAnswers
from tasks.feedback.rows import (
    Reader,
    check_rows,
    no_repeats,
    optional_text,
    parse_rows,
    required_date,
)

PROVIDER_REPLY_WORKING_DAYS = 10
CURRENT = (RECEIVED, INCOMPLETE)
_TEXTS = ("respondent", "job_title", "organisation", "relationship")
_COMMENTS = ("reasons", "suggestions", "helps_objectives", "further_comments")
_ANSWER_FIELDS = (
    *(f"rating_{aspect}" for aspect in ASPECTS),
    *_TEXTS,
    "assessment_reasons",
    *_COMMENTS[1:],
    "confidential",
    "reply_date",
)


@dataclass
class ReplyInput:
    """One reply's answers and where it came from."""

    reference: str
    source_file: str
    sha256: str
    received_at: datetime
    method: str
    ratings: dict[str, str | None]  # by aspect, as given
    texts: dict[str, str] = field(default_factory=dict)  # respondent, job_title, organisation, relationship
    comments: dict[str, str] = field(default_factory=dict)  # reasons, suggestions, helps_objectives, ...
    confidential: bool = False
    reply_date: date | None = None
    value_codes: frozenset[str] = frozenset()  # the per-value checks' codes (a workbook: the GX suite)


def reply_from_answers(
    answers: QuestionnaireAnswers, source_file: str, sha256: str, received_at: datetime
) -> ReplyInput:
    """A returned workbook's reply, from the answers :func:`read_questionnaire` gave."""
    reply_date = answers.values.get("sq_date")
    return ReplyInput(
        reference=answers.reference or "",
        source_file=source_file,
        sha256=sha256,
        received_at=received_at,
        method="file",
        ratings=ratings_from_answers(answers.values),
        texts={name: answers.text(f"sq_{name}") or "" for name in _TEXTS},
        comments={name: answers.text(f"sq_{name}") or "" for name in _COMMENTS},
        confidential=is_confidential(answers.text("sq_confidential")),
        reply_date=reply_date if isinstance(reply_date, date) else None,
    )


def provider_reply_due(received_at: datetime) -> date:
    """The provider's reply to adverse feedback is due 10 working days after the reply was received."""
    return add_working_days(london_date(as_utc(received_at)), PROVIDER_REPLY_WORKING_DAYS)


def letter_path(provider_id: str, reference: str, received_at: datetime) -> str:
    """Where the adverse-feedback letter goes, relative to the outbox: ``feedback/<provider>/...``."""
    stamp = as_utc(received_at).strftime("%Y%m%dT%H%M%S")
    return f"feedback/{path_part(provider_id)}/{file_name(f'{reference}_{stamp}', '.txt')}"


def record_reply(session: Session, given: ReplyInput) -> QuestionnaireReply:
    """Judge a reply and record it (duplicate, supersession, provider reply due, letter path)."""
    issue = session.get(QuestionnaireIssue, given.reference) if given.reference else None
    judgement = judge_answers(
        given.ratings, given.comments.get("reasons"), issue is not None, given.value_codes
    )
    reply = _reply_row(given, judgement, issue)
    same_file = given.method == FILE and bool(given.sha256) and _seen(session, given.sha256)
    if same_file or _repeats_current(session, reply):
        reply.status, reply.reasons, reply.letter_path, reply.provider_reply_due = DUPLICATE, "", "", None
    else:
        _settle_current(session, reply)
    session.add(reply)
    session.flush()
    return reply


def _reply_row(
    given: ReplyInput, judgement: Judgement, issue: QuestionnaireIssue | None
) -> QuestionnaireReply:
    reply = QuestionnaireReply(
        source_file=given.source_file,
        sha256=given.sha256,
        received_at=given.received_at,
        method=given.method,
        reference=given.reference,
        service_id=issue.service_id if issue else "",
        provider_id=issue.provider_id if issue else "",
        status=judgement.status,
        reasons=";".join(judgement.reasons),
        assessment_reasons=given.comments.get("reasons", ""),
        confidential=given.confidential,
        reply_date=given.reply_date,
        adverse=judgement.adverse,
    )
    for aspect in ASPECTS:
        setattr(reply, f"rating_{aspect}", judgement.ratings[aspect])
    for name in (*_TEXTS, *_COMMENTS[1:]):
        setattr(reply, name, given.texts.get(name) or given.comments.get(name) or "")
    if judgement.adverse and issue is not None:
        reply.provider_reply_due = provider_reply_due(given.received_at)
        reply.letter_path = letter_path(issue.provider_id, given.reference, given.received_at)
    return reply


def _seen(session: Session, sha256: str) -> bool:
    statement = select(col(QuestionnaireReply.id)).where(col(QuestionnaireReply.sha256) == sha256).limit(1)
    return session.execute(statement).first() is not None


def _answers(reply: QuestionnaireReply) -> tuple[object, ...]:
    """What the stakeholder answered: two files with these equal are the same reply."""
    return tuple(getattr(reply, name) for name in _ANSWER_FIELDS)


def _repeats_current(session: Session, reply: QuestionnaireReply) -> bool:
    """Whether a current reply to the reference has the same answers (the same reply in another file).

    A reply with a blank reference is no reply to anything: it never repeats another.
    """
    if not reply.reference:
        return False
    return any(_answers(current) == _answers(reply) for current in _current_replies(session, reply.reference))


def _current_replies(session: Session, reference: str) -> list[QuestionnaireReply]:
    statement = select(QuestionnaireReply).where(
        col(QuestionnaireReply.reference) == reference, col(QuestionnaireReply.status).in_(CURRENT)
    )
    return list(session.execute(statement).scalars())


def _settle_current(session: Session, reply: QuestionnaireReply) -> None:
    """The latest reply to a reference (by received time) is current; the others are superseded.

    A blank reference names no questionnaire: such a reply never supersedes nor is superseded.
    """
    if not reply.reference:
        return
    for earlier in _current_replies(session, reply.reference):
        if as_utc(earlier.received_at) <= as_utc(reply.received_at):
            earlier.status = SUPERSEDED
            session.add(earlier)
        else:
            reply.status = SUPERSEDED


def supersession_key(reply: QuestionnaireReply) -> str:
    """What a reply supersedes by: its reference, or for a blank reference the reply alone."""
    return reply.reference or f"#{reply.id}"


# The imports -----------------------------------------------------------------------------------------


def _response_readers() -> dict[str, Reader]:
    readers: dict[str, Reader] = dict.fromkeys(RESPONSE_COLUMNS, optional_text)
    readers["sq_reference"] = required_text
    readers["date"] = required_date
    readers["method"] = one_of((TELEPHONE, MEETING))
    return readers


def import_responses(session: Session, path: Path) -> int:
    """Record replies taken by telephone or at a meeting; the same file imported again changes nothing.

    Each reply's ``source_file`` is the import file's name and its ``sha256``
    the file's. A reference never issued is recorded as a workbook's would be
    (``unknown_questionnaire``, incomplete, no service), not refused.
    """
    rows, records = parse_rows(path, RESPONSE_COLUMNS, _response_readers())
    no_repeats(path, rows, [_row_key(r) for r in records], "answers")
    sha256 = sha256_of_file(path)
    if not _seen(session, sha256):
        for record in records:
            record_reply(session, response_input(record, path.name, sha256))
    return len(records)


def response_input(record: dict[str, Any], source_file: str, sha256: str) -> ReplyInput:
    """A reply from one row of the responses import (the file's name and sha256): received on its ``date``."""
    return ReplyInput(
        reference=record["sq_reference"],
        source_file=source_file,
        sha256=sha256,
        received_at=datetime.combine(record["date"], time(12), UTC),
        method=record["method"],
        ratings={aspect: record[f"rating_{aspect}"] or None for aspect in ASPECTS},
        texts={name: record[name] for name in _TEXTS},
        comments={name: record[name] for name in _COMMENTS},
        confidential=is_confidential(record["confidential"]),
        reply_date=record["date"],
    )


def _row_key(record: dict[str, Any]) -> str:
    """A row's answers as one text: two rows of a file with the same are a repeat."""
    return json.dumps({k: str(v) for k, v in record.items()}, sort_keys=True)


def import_provider_replies(session: Session, path: Path) -> int:
    """Record the provider's reply to adverse feedback: ``sq_reference,replied_on``."""
    readers: dict[str, Reader] = {"sq_reference": required_text, "replied_on": required_date}
    rows, records = parse_rows(path, PROVIDER_REPLY_COLUMNS, readers)
    no_repeats(path, rows, [r["sq_reference"] for r in records], "sq_reference")
    current = {
        reply.reference: reply for reply in _current_adverse(session, [r["sq_reference"] for r in records])
    }
    problems = [
        []
        if r["sq_reference"] in current
        else [f"column sq_reference: {r['sq_reference']} has no adverse reply"]
        for r in records
    ]
    check_rows(path, rows, problems)
    for record in records:
        reply = current[record["sq_reference"]]
        reply.provider_replied_on = record["replied_on"]
        session.add(reply)
    session.flush()
    return len(records)


def _current_adverse(session: Session, references: list[str]) -> list[QuestionnaireReply]:
    statement = select(QuestionnaireReply).where(
        col(QuestionnaireReply.reference).in_(sorted(set(references))),
        col(QuestionnaireReply.status).in_(CURRENT),
        col(QuestionnaireReply.adverse).is_(True),
    )
    return list(session.execute(statement).scalars())
