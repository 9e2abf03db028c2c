"""The Great Expectations suite for PI returns: the per-value checks of ``pi-rules.md``.

It validates the long check frame of ``data_contracts.pi_check_frame`` (one
row per return and provider cell) once per batch. Every expectation carries
``meta = {"code", "rule"}``: the reason code of ``pi-rules.md`` and spmon's
rule name, which picks the plain-words message; the cell at fault is the
frame row's. The ``above_limit`` rule is named by its cell (``LIMIT_RULES``).
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
from great_expectations import expectations as gxe

from data_contracts.pi_check_frame import BALANCE_RULES

SUITE_NAME = "pi_return"


def _meta(code: str, rule: str) -> dict[str, Any]:
    return {"code": code, "rule": rule}


def _single_value_expectations() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="required_given", value_set=[True], meta=_meta("incomplete", "required")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="readable", value_set=[True], meta=_meta("invalid_value", "unreadable")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="number", min_value=0, meta=_meta("invalid_value", "negative")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="fraction", min_value=0, max_value=0, meta=_meta("invalid_value", "not_whole")
        ),
        gxe.ExpectColumnValuesToNotBeInSet(
            column="units", value_set=[0], meta=_meta("invalid_value", "units_zero")
        ),
    ]


def _not_below(column: str, floor: str, rule: str) -> gxe.Expectation:
    """``column`` at least ``floor`` wherever both are given; else ``invalid_value`` by ``rule``."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column,
        column_B=floor,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        meta=_meta("invalid_value", rule),
    )


def _cross_value_expectations() -> list[gxe.Expectation]:
    limit = _not_below("limit", "number", "above_limit")
    completed = _not_below("date_completed", "period_start", "completed_before_period")
    balances = [
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="number",
            column_B=total,
            ignore_row_if="either_value_is_missing",
            meta=_meta("local_pi_unbalanced", rule),
        )
        for rule, total in BALANCE_RULES
    ]
    return [limit, completed, *balances]


def pi_return_suite() -> gx.ExpectationSuite:
    """The suite of per-value expectations, each carrying its reason code."""
    return gx.ExpectationSuite(
        name=SUITE_NAME, expectations=[*_single_value_expectations(), *_cross_value_expectations()]
    )
