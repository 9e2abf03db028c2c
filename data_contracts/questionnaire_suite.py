"""The Great Expectations suite for returned questionnaires: the per-value checks of ``feedback.md``.

It runs over the check frame of ``questionnaire_check_frame`` (one row per
rating of each questionnaire of a batch). Every expectation carries
``meta = {"code", "rule", "cell"}``: the reply reason code, spmon's rule name
and the cell at fault (``rating`` for the rating of the row, else a defined
name). Whether the reference was issued at all is looked up in the database
when the reply is recorded (``tasks.feedback.responses``), not here.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
from great_expectations import expectations as gxe

from data_contracts.questionnaire_check_frame import (
    CONFIDENTIAL,
    CONFIDENTIAL_ANSWERS,
    EXPLAINED,
    RATING,
    RATING_GIVEN,
    READABLE,
    SERVICE_MATCHES,
)
from data_contracts.questionnaire_workbook import RATINGS

SUITE_NAME = "questionnaire_return"


def _meta(code: str, rule: str, cell: str) -> dict[str, Any]:
    return {"code": code, "rule": rule, "cell": cell}


def _must_be_true(column: str, code: str, rule: str, cell: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], meta=_meta(code, rule, cell))


def questionnaire_suite() -> gx.ExpectationSuite:
    """The suite of per-value expectations, each carrying its reason code."""
    expectations = [
        _must_be_true(RATING_GIVEN, "rating_missing", "rating_blank", RATING),
        gxe.ExpectColumnValuesToBeInSet(
            column=RATING, value_set=list(RATINGS), meta=_meta("rating_invalid", "not_a_rating", RATING)
        ),
        _must_be_true(EXPLAINED, "poor_unexplained", "poor_without_reasons", "sq_reasons"),
        _must_be_true(SERVICE_MATCHES, "unknown_questionnaire", "another_service", "sq_service_id"),
        gxe.ExpectColumnValuesToBeInSet(
            column=CONFIDENTIAL,
            value_set=list(CONFIDENTIAL_ANSWERS),
            meta=_meta("confidential_invalid", "not_yes_or_no", "sq_confidential"),
        ),
        _must_be_true(READABLE, "value_unreadable", "cell_unreadable", ""),
    ]
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
