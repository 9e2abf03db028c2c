"""Judging a questionnaire's answers (``feedback.md``, Intake). Pure functions.

The same rules hold for a returned workbook (the intake calls
:func:`judge_answers` with :func:`tasks.feedback.questionnaire.read_questionnaire`'s
answers) and for a reply taken by telephone or at a meeting (the responses
import): ``unknown_questionnaire`` when the reference was never issued,
``rating_missing`` for a blank rating, ``rating_invalid`` for an answer that
is not one of the six, ``poor_unexplained`` when a rating is Poor or V.Poor
and the reasons have fewer than three words. A reply with no reason code is
``received``; one with any is ``incomplete`` (it still counts as a reply). A
reply with any rating Poor or V.Poor is adverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from data_contracts.feedback_tables import INCOMPLETE, RECEIVED, REPLY_REASONS
from data_contracts.questionnaire_workbook import ADVERSE_RATINGS, ASPECTS, canonical_rating

MIN_REASON_WORDS = 3
_NO = ("no", "n", "false", "0")


@dataclass(frozen=True)
class Judgement:
    """A reply's status, reason codes (spec order), ratings (canonical where valid) and adverse."""

    status: str
    reasons: tuple[str, ...]
    ratings: dict[str, str]  # aspect -> canonical rating, or the text as given when invalid, "" when blank
    adverse: bool


def word_count(text: str | None) -> int:
    """Words in a text (anything between spaces)."""
    return len((text or "").split())


def judge_ratings(raw: Mapping[str, str | None]) -> tuple[dict[str, str], set[str]]:
    """Each aspect's rating (canonical where valid) and the codes its answers raise."""
    ratings: dict[str, str] = {}
    codes: set[str] = set()
    for aspect in ASPECTS:
        text = (raw.get(aspect) or "").strip()
        rating = canonical_rating(text) if text else None
        if not text:
            codes.add("rating_missing")
        elif rating is None:
            codes.add("rating_invalid")
        ratings[aspect] = rating or text
    return ratings, codes


def is_adverse(ratings: Mapping[str, str]) -> bool:
    """A reply is adverse when any rating is Poor or V.Poor."""
    return any(rating in ADVERSE_RATINGS for rating in ratings.values())


def judge_answers(
    ratings_given: Mapping[str, str | None],
    reasons_text: str | None,
    issued: bool,
    checked: Iterable[str] = (),
) -> Judgement:
    """Judge one reply from its ratings by aspect, its reasons text and whether it was issued.

    ``checked``: codes the per-value checks already gave (a workbook's, from the GX suite).
    """
    ratings, codes = judge_ratings(ratings_given)
    codes.update(checked)
    if not issued:
        codes.add("unknown_questionnaire")
    adverse = is_adverse(ratings)
    if adverse and word_count(reasons_text) < MIN_REASON_WORDS:
        codes.add("poor_unexplained")
    reasons = tuple(code for code in REPLY_REASONS if code in codes)
    return Judgement(INCOMPLETE if reasons else RECEIVED, reasons, ratings, adverse)


def is_confidential(answer: str | None) -> bool:
    """Whether the stakeholder asked for confidentiality: anything but blank or a plain No is taken as Yes.

    An answer that is not clearly No is read as a request for confidentiality:
    wrongly keeping a comment back costs a telephone call, wrongly sending it
    cannot be undone.
    """
    text = (answer or "").strip().casefold()
    return bool(text) and text not in _NO


def ratings_from_answers(values: Mapping[str, object]) -> dict[str, str | None]:
    """The five ratings by aspect from a questionnaire's cells (``sq_rating_<aspect>``)."""
    result: dict[str, str | None] = {}
    for aspect in ASPECTS:
        value = values.get(f"sq_rating_{aspect}")
        result[aspect] = value if isinstance(value, str) else None
    return result
