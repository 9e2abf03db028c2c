"""The questionnaire suite: each per-value rule gives its reason code, validated once over a batch."""

from __future__ import annotations

from datetime import date

import pytest

from data_contracts.feedback_tables import REPLY_REASONS
from data_contracts.questionnaire_suite import questionnaire_suite
from tasks.feedback.intake import check_questionnaires
from tasks.feedback.questionnaire_read import QuestionnaireAnswers
from tests.factories.questionnaires import GOOD_RATINGS

REFERENCE = {"sq_reference": "SQ-SV1-ST1-20251001", "sq_service_id": "SV1"}


def answers(changes: dict[str, str | None], problems: dict[str, str] | None = None) -> QuestionnaireAnswers:
    values: dict[str, str | date | None] = {**REFERENCE, **GOOD_RATINGS, "sq_confidential": "No", **changes}
    return QuestionnaireAnswers(values, problems or {})


def test_every_expectation_carries_a_reply_reason_code() -> None:
    metas = [e.meta or {} for e in questionnaire_suite().expectations]
    assert {meta.get("code") for meta in metas} <= set(REPLY_REASONS)
    assert all(meta.get("rule") for meta in metas)


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({}, set()),
        (
            {"sq_rating_demand": "good ", "sq_rating_quality": "Very poor", "sq_reasons": "no staff on site"},
            set(),
        ),
        ({"sq_rating_quality": "VERY POOR", "sq_reasons": "poor"}, {"poor_unexplained"}),
        ({"sq_rating_outcomes": None}, {"rating_missing"}),
        ({"sq_rating_outcomes": "Brilliant"}, {"rating_invalid"}),
        ({"sq_confidential": " YES "}, set()),
        ({"sq_confidential": None}, set()),
        ({"sq_confidential": "maybe"}, set()),  # read as Yes, with no code (the table is closed)
        ({"sq_service_id": "SV2"}, {"unknown_questionnaire"}),
        ({"sq_suggestions": "=1+1", "sq_further_comments": "@SUM(A1)"}, set()),
    ],
)
def test_each_rule_gives_its_code(changes: dict[str, str | None], codes: set[str]) -> None:
    assert check_questionnaires([answers(changes)]) == [codes]


def test_a_batch_is_validated_at_once_and_each_finding_goes_to_its_own_questionnaire() -> None:
    batch = [
        answers({"sq_rating_outcomes": None}),
        answers({}),
        answers(
            {}, problems={"sq_further_comments": "is 1048576 characters long, more than the 32767 allowed"}
        ),
        answers({"sq_rating_demand": "Brilliant", "sq_service_id": "SV9"}),
    ]
    assert check_questionnaires(batch) == [
        {"rating_missing"},
        set(),
        set(),  # a cell not readable as its type is blank, with no code
        {"rating_invalid", "unknown_questionnaire"},
    ]


def test_an_empty_batch_needs_no_validation() -> None:
    assert check_questionnaires([]) == []
