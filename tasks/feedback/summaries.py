"""Figures the reports need from questionnaire replies (``feedback.md``, Exports and reports). Pure functions.

- :func:`average_scores`: the average score of each aspect over replies
  (Excellent 5 .. V.Poor 1; ``Don't know``, blanks and answers that are not
  ratings are left out), for the stakeholder ratings summary.
- :func:`shareable_comments`: what of a reply may be shown to its provider (a
  pack, a letter): nothing at all from a confidential reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from data_contracts.feedback_tables import DUPLICATE, SUPERSEDED, QuestionnaireReply
from data_contracts.questionnaire_workbook import ASPECTS, score

_COMMENTS = ("assessment_reasons", "suggestions", "helps_objectives", "further_comments")


@dataclass(frozen=True)
class RatingsSummary:
    """Average score by aspect (``None`` with nothing to average), replies counted, adverse replies."""

    averages: dict[str, float | None]
    replies: int
    adverse: int


def counted(replies: Iterable[QuestionnaireReply]) -> list[QuestionnaireReply]:
    """The replies that count: neither superseded nor duplicates."""
    return [r for r in replies if r.status not in (SUPERSEDED, DUPLICATE)]


def average_scores(replies: Iterable[QuestionnaireReply]) -> RatingsSummary:
    """Each aspect's average score over the counted replies, and how many were adverse."""
    mine = counted(replies)
    averages: dict[str, float | None] = {}
    for aspect in ASPECTS:
        scores = [s for s in (score(getattr(r, f"rating_{aspect}")) for r in mine) if s is not None]
        averages[aspect] = sum(scores) / len(scores) if scores else None
    return RatingsSummary(averages, len(mine), sum(1 for r in mine if r.adverse))


def shareable_comments(reply: QuestionnaireReply) -> list[str]:
    """The reply's comments a provider may see: none when the stakeholder asked for confidentiality."""
    if reply.confidential:
        return []
    return [text for text in (getattr(reply, name).strip() for name in _COMMENTS) if text]
