"""Running a Great Expectations suite over a batch and turning its results into spmon findings.

GX is used with an ephemeral context: no project state is written. Its
results never leave this module; callers get :class:`Finding` objects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the frame builders, only when a batch has something to check
    import pandas as pd


@dataclass(frozen=True)
class Finding:
    """One failed expectation for one frame row: reason code, rule, and the cell if the suite names it."""

    row_id: int
    code: str
    rule: str
    cell: str


class ExpectationError(RuntimeError):
    """An expectation could not be evaluated (a bug or a broken frame, not bad input)."""


@lru_cache(maxsize=1)
def _batch_definition() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    asset = context.data_sources.add_pandas("spmon").add_dataframe_asset("batch")
    return asset.add_batch_definition_whole_dataframe("whole_batch")


def validate(frame: pd.DataFrame, suite: Any, row_id: str = "row_id") -> list[Finding]:
    """Validate the whole frame once; every unexpected row of every expectation becomes a finding."""
    if frame.empty:
        return []
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [row_id]}
    results = batch.validate(suite, result_format=result_format)
    findings = []
    for result in results.results:
        if result.success:
            continue
        raised = (result.exception_info or {}).get("raised_exception")
        meta = result.expectation_config.meta or {}
        if raised:
            raise ExpectationError(f"expectation {meta} failed to run: {result.exception_info}")
        for unexpected in result.result.get("unexpected_index_list") or []:
            findings.append(
                Finding(int(unexpected[row_id]), meta["code"], meta["rule"], meta.get("cell", ""))
            )
    return findings
