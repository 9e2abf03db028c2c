"""The Great Expectations suite for returned questionnaires: the per-value checks of ``feedback.md``.

It runs over the check frame of ``questionnaire_check_frame`` (one row per
rating of each questionnaire of a batch). Every expectation carries
``meta = {"code", "rule", "cell"}``: the reply reason code, spmon's rule name
and the cell at fault (``rating`` for the rating of the row, else a defined
name). Whether the reference was issued at all is looked up in the database
when the reply is recorded (``tasks.feedback.responses``), not here. The codes
are those of ``feedback.md``'s table only: a cell that cannot be read as its
type counts as blank, and a confidentiality answer that is neither Yes nor No
is read as Yes (``tasks.feedback.judge.is_confidential``), with no code.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
from great_expectations import expectations as gxe

from data_contracts.questionnaire_check_frame import EXPLAINED, RATING, RATING_GIVEN, SERVICE_MATCHES
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
    ]
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
