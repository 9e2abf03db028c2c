"""The Great Expectations suite for PI returns: the per-value checks of ``pi-rules.md``.

The suite runs over a *check frame*: one row per quarter return of a batch
whose service has a contract record. For each provider cell ``c`` the frame
holds ``c`` (the typed value, null when blank or unreadable), ``c__given``
(not blank) and ``c__required`` (the service needs it); whole-number cells
also ``c__fraction``. Derived columns (``unit_days``, ``available_unit_days``,
limits and referral totals) are built only from figures that pass the
single-value rules, so that a bad figure is reported once, by its own rule.

Every expectation carries ``meta = {"code", "rule", "cell"}``: the reason
code of ``pi-rules.md``, spmon's rule name (which picks the plain-words
message) and the cell it finds at fault.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
from great_expectations import expectations as gxe

from data_contracts.pi_check_frame import BALANCE_RULES, LIMIT_RULES, NUMERIC_CELLS, TYPED_CELLS, WHOLE_CELLS
from data_contracts.pi_workbook import PROVIDER_CELLS

SUITE_NAME = "pi_return"


def _meta(code: str, rule: str, cell: str) -> dict[str, Any]:
    return {"code": code, "rule": rule, "cell": cell}


def _where(condition: str) -> dict[str, Any]:
    return {"row_condition": condition, "condition_parser": "pandas"}


def _required_expectations() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=f"{cell.name}__given",
            value_set=[True],
            meta=_meta("incomplete", "required", cell.name),
            **_where(f"{cell.name}__required==True"),
        )
        for cell in PROVIDER_CELLS
    ]


def _value_expectations() -> list[gxe.Expectation]:
    readable = [
        gxe.ExpectColumnValuesToNotBeNull(
            column=cell.name,
            meta=_meta("invalid_value", "unreadable", cell.name),
            **_where(f"{cell.name}__given==True"),
        )
        for cell in TYPED_CELLS
    ]
    not_negative = [
        gxe.ExpectColumnValuesToBeBetween(
            column=name, min_value=0, meta=_meta("invalid_value", "negative", name)
        )
        for name in NUMERIC_CELLS
    ]
    whole = [
        gxe.ExpectColumnValuesToBeBetween(
            column=f"{name}__fraction",
            min_value=0,
            max_value=0,
            meta=_meta("invalid_value", "not_whole", name),
        )
        for name in WHOLE_CELLS
    ]
    units = gxe.ExpectColumnValuesToNotBeInSet(
        column="units", value_set=[0], meta=_meta("invalid_value", "units_zero", "units")
    )
    return [*readable, *not_negative, *whole, units]


def _cross_expectations() -> list[gxe.Expectation]:
    limits = [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=limit,
            column_B=cell,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta("invalid_value", rule, cell),
        )
        for rule, cell, limit in LIMIT_RULES
    ]
    completed = gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A="date_completed",
        column_B="period_start",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        meta=_meta("invalid_value", "completed_before_period", "date_completed"),
    )
    balances = [
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="referrals_received",
            column_B=total,
            ignore_row_if="either_value_is_missing",
            meta=_meta("local_pi_unbalanced", rule, "referrals_received"),
        )
        for rule, total in BALANCE_RULES
    ]
    return [*limits, completed, *balances]


def pi_return_suite() -> gx.ExpectationSuite:
    """The suite of per-value expectations, each carrying its reason code."""
    expectations = [*_required_expectations(), *_value_expectations(), *_cross_expectations()]
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
