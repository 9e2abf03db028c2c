"""The Great Expectations suite for QAF returns: the per-value checks of ``qaf.md``.

The suite runs over a *check frame* with one row per requirement of each QAF
of a batch (49 rows a QAF). Each row carries its QAF's and its objective's
values, with flags that pick the rows an expectation looks at:

- ``return_head``: the first row of a QAF (completed by, date completed);
- ``objective_head``: the first row of an objective; ``assessed``: the form
  assesses the objective (the Lite form leaves out C1.1 and C1.2);
- ``qaf_completed_by__given``, ``qaf_date_completed__given``: not blank;
- ``claimed``: the objective's claimed grade as typed, trimmed (null when
  blank), and ``claimed__given``;
- ``evidence__needed``: the claimed grade is valid and needs the row's
  requirement level; ``evidence__counts``: its evidence has at least three
  words (ticks and one- or two-word answers are not evidence).

Every expectation carries ``meta = {"code", "rule", "cell"}``: the reason code
of ``qaf.md``, spmon's rule name (which picks the plain-words message) and the
cell at fault: a Summary defined name, or ``claimed`` / ``evidence`` for the
claimed grade of the row's objective / the evidence of the row's requirement.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
from great_expectations import expectations as gxe

from data_contracts.qaf_check_frame import CLAIMED_CELL, COMPLETION_CELLS, EVIDENCE_CELL
from data_contracts.qaf_workbook import GRADES

SUITE_NAME = "qaf_return"


def _meta(code: str, rule: str, cell: str) -> dict[str, Any]:
    return {"code": code, "rule": rule, "cell": cell}


def _where(condition: str) -> dict[str, Any]:
    return {"row_condition": condition, "condition_parser": "pandas"}


def _completion_expectations() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=f"{cell}__given",
            value_set=[True],
            meta=_meta("incomplete", "required", cell),
            **_where("return_head==True"),
        )
        for cell in COMPLETION_CELLS
    ]


def _grade_expectations() -> list[gxe.Expectation]:
    assessed_objective = _where("objective_head==True and assessed==True")
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=f"{CLAIMED_CELL}__given",
            value_set=[True],
            meta=_meta("incomplete", "grade_blank", CLAIMED_CELL),
            **assessed_objective,
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column=CLAIMED_CELL,
            value_set=list(GRADES),
            meta=_meta("invalid_grade", "not_a_grade", CLAIMED_CELL),
            **assessed_objective,
        ),
    ]


def _evidence_expectations() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=f"{EVIDENCE_CELL}__counts",
            value_set=[True],
            meta=_meta("evidence_missing", "no_evidence", EVIDENCE_CELL),
            **_where(f"{EVIDENCE_CELL}__needed==True"),
        )
    ]


def qaf_return_suite() -> gx.ExpectationSuite:
    """The suite of per-value expectations, each carrying its reason code."""
    expectations = [*_completion_expectations(), *_grade_expectations(), *_evidence_expectations()]
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
