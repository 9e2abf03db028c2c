"""Judging questionnaire answers: every rule of feedback.md's intake table, and the ratings' spellings."""

from __future__ import annotations

import pytest

from data_contracts.questionnaire_workbook import ASPECTS, DONT_KNOW, RATINGS, V_POOR, canonical_rating, score
from tasks.feedback.judge import is_confidential, judge_answers

ALL_GOOD = dict.fromkeys(ASPECTS, "Good")


def with_rating(aspect: str, value: str | None) -> dict[str, str | None]:
    ratings: dict[str, str | None] = dict(ALL_GOOD)
    ratings[aspect] = value
    return ratings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Excellent", "Excellent"),
        ("  good ", "Good"),
        ("FAIR", "Fair"),
        ("v.poor", V_POOR),
        ("Very poor", V_POOR),
        ("VERY  POOR", V_POOR),
        ("Dont know", DONT_KNOW),
        ("don't know", DONT_KNOW),
        ("Don\u2019t know", DONT_KNOW),
        ("Terrible", None),
        ("", None),
    ],
)
def test_ratings_read_ignoring_case_and_spaces_with_the_two_other_spellings(
    given: str, expected: str | None
) -> None:
    assert canonical_rating(given) == expected


def test_scores_leave_dont_know_out() -> None:
    assert [score(r) for r in RATINGS] == [5, 4, 3, 2, 1, None]


def test_a_reply_with_no_reason_is_received() -> None:
    judgement = judge_answers(ALL_GOOD, "", issued=True)
    assert (judgement.status, judgement.reasons, judgement.adverse) == ("received", (), False)


def test_unknown_questionnaire() -> None:
    judgement = judge_answers(ALL_GOOD, "", issued=False)
    assert (judgement.status, judgement.reasons) == ("incomplete", ("unknown_questionnaire",))


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_rating_missing(blank: str | None) -> None:
    judgement = judge_answers(with_rating("demand", blank), "", issued=True)
    assert (judgement.status, judgement.reasons) == ("incomplete", ("rating_missing",))


def test_rating_invalid_keeps_the_answer_as_given() -> None:
    judgement = judge_answers(with_rating("quality", "Brilliant"), "", issued=True)
    assert judgement.reasons == ("rating_invalid",)
    assert judgement.ratings["quality"] == "Brilliant"


def test_other_spellings_are_valid_and_canonical() -> None:
    judgement = judge_answers(with_rating("outcomes", " dont KNOW "), "", issued=True)
    assert judgement.reasons == ()
    assert judgement.ratings["outcomes"] == DONT_KNOW


@pytest.mark.parametrize(
    ("rating", "reasons", "unexplained"),
    [
        ("Poor", "too few words", False),
        ("Poor", "two words", True),
        ("Very poor", "   ", True),
        ("V.Poor", "one", True),
        ("V.Poor", "staff often absent", False),
        ("Fair", "", False),
    ],
)
def test_poor_unexplained_needs_three_words_of_reasons(rating: str, reasons: str, unexplained: bool) -> None:
    judgement = judge_answers(with_rating("cost_effectiveness", rating), reasons, issued=True)
    assert ("poor_unexplained" in judgement.reasons) is unexplained
    assert judgement.status == ("incomplete" if unexplained else "received")


@pytest.mark.parametrize(
    ("rating", "adverse"), [("Poor", True), ("very poor", True), ("Fair", False), ("Don't know", False)]
)
def test_adverse_when_any_rating_is_poor_or_v_poor(rating: str, adverse: bool) -> None:
    assert judge_answers(with_rating("strategic_relevance", rating), "a b c", issued=True).adverse is adverse


def test_reasons_come_in_the_order_of_the_spec() -> None:
    ratings = with_rating("demand", None)
    ratings["quality"] = "Nope"
    ratings["outcomes"] = "Poor"
    judgement = judge_answers(ratings, "", issued=False)
    assert judgement.reasons == (
        "unknown_questionnaire",
        "rating_missing",
        "rating_invalid",
        "poor_unexplained",
    )


@pytest.mark.parametrize(
    ("answer", "confidential"),
    [
        (None, False),
        ("", False),
        ("No", False),
        (" no ", False),
        ("Yes", True),
        ("yes please", True),
        ("Y", True),
        ("maybe", True),  # neither Yes nor No: read as Yes (safe)
    ],
)
def test_confidential_unless_clearly_no(answer: str | None, confidential: bool) -> None:
    assert is_confidential(answer) is confidential


def test_codes_of_the_per_value_checks_join_the_judgement_in_spec_order() -> None:
    judged = judge_answers(
        with_rating("demand", "Good"), "", True, {"unknown_questionnaire", "rating_missing"}
    )
    assert (judged.status, judged.reasons) == ("incomplete", ("unknown_questionnaire", "rating_missing"))
