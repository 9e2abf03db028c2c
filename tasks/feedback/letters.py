"""The adverse-feedback letter to the provider (``feedback.md``, Adverse feedback).

The letter names the service, gives the five ratings and asks the provider to
investigate and reply within 10 working days. Each comment is introduced as
"Comments from the representative of <organisation> were: ...". Where the
stakeholder asked for confidentiality the letter gives the ratings and says
that comments were received in confidence, and nothing the stakeholder typed
(comments, name, organisation, an answer that is not a rating) appears in it.

Letters are written after the reply is recorded, to the path stored with it
(``outbox/feedback/<provider>/...``), rebuilt part by part under the outbox
(``tasks.common.safe_paths.inside``), then marked written; a reply superseded
or a duplicate before its letter was written gets none; a run stopped in between
writes them next time, same path, same text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import QuestionnaireReply
from data_contracts.questionnaire_workbook import ASPECTS, RATING_CELLS, RATINGS
from data_contracts.tables import ContractRecord
from tasks.calendar.dates import LONDON, as_utc
from tasks.feedback.responses import CURRENT
from tasks.outbox.writer import write_pending

_COMMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("assessment_reasons", "Reasons for the assessment"),
    ("suggestions", "Suggestions for improving the service"),
    ("helps_objectives", "Whether the service helps the organisation meet its objectives"),
    ("further_comments", "Further comments"),
)
CONFIDENTIAL_SENTENCE = (
    "The stakeholder's comments were received in confidence and are not passed on; "
    "please consider the ratings above."
)


@dataclass(frozen=True)
class ServiceNames:
    """The names a letter shows for a service and its provider (from the contract records)."""

    service_name: str
    provider_name: str


def _day(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "(not set)"  # type: ignore[attr-defined]


def rating_lines(reply: QuestionnaireReply) -> list[str]:
    """One line per aspect: its label and the rating (an answer that is not a rating is not repeated)."""
    lines = []
    for aspect, cell in zip(ASPECTS, RATING_CELLS, strict=True):
        rating = getattr(reply, f"rating_{aspect}")
        lines.append(f"  {cell.label}: {rating if rating in RATINGS else 'not answered'}")
    return lines


def comment_lines(reply: QuestionnaireReply) -> list[str]:
    """Each comment, introduced with the organisation; for a confidential reply, one sentence only."""
    if reply.confidential:
        return [CONFIDENTIAL_SENTENCE]
    organisation = reply.organisation.strip() or "a stakeholder organisation"
    lines = []
    for name, heading in _COMMENT_FIELDS:
        text = getattr(reply, name).strip()
        if text:
            lines.append(f"{heading}. Comments from the representative of {organisation} were: {text}")
    return lines or ["No comments were given."]


def letter_text(reply: QuestionnaireReply, names: ServiceNames) -> str:
    """The whole letter for one adverse reply."""
    received = as_utc(reply.received_at).astimezone(LONDON)
    lines = [
        f"To: {names.provider_name or reply.provider_id} ({reply.provider_id})",
        f"Service: {reply.service_id} {names.service_name}".rstrip(),
        f"Questionnaire reference: {reply.reference}",
        f"Received: {received:%d/%m/%Y}",
        "",
        "Adverse stakeholder feedback",
        "",
        "A stakeholder of the service has rated it Poor or V.Poor in one or more aspects:",
        *rating_lines(reply),
        "",
        *comment_lines(reply),
        "",
        "Please investigate and send your response to your contract manager by "
        f"{_day(reply.provider_reply_due)} (10 working days after the feedback was received).",
        "",
    ]
    return "\n".join(lines)


def service_names(session: Session) -> dict[str, ServiceNames]:
    """Each service's latest name and its provider's name, from the contract records."""
    statement = select(ContractRecord).order_by(col(ContractRecord.year))
    return {
        row.service_id: ServiceNames(row.service_name, row.provider_name)
        for row in session.execute(statement).scalars()
    }


def write_pending_letters(
    session: Session, outbox: Path, names: Mapping[str, ServiceNames] | None = None
) -> list[Path]:
    """Write every adverse-feedback letter not yet written; the paths written."""
    names = names if names is not None else service_names(session)

    def render(replies: Sequence[QuestionnaireReply]) -> str:
        return letter_text(replies[0], names.get(replies[0].service_id, ServiceNames("", "")))

    # As PI notices of superseded returns are dropped (tasks.intake.recording.mark_superseded):
    # the stakeholder has replied again, so only the current reply's letter goes.
    current = col(QuestionnaireReply.status).in_(CURRENT)
    return write_pending(
        session, QuestionnaireReply, outbox, render, "letter_path", "letter_written", (current,)
    )
