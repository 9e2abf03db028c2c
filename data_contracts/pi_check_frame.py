"""The PI check frame that the return suite validates (see ``pi_return_suite``).

One row per quarter return and provider cell (*long* form), so that each rule
is one expectation over the whole batch, whatever the cell. A column holds a
value only on the rows its rule looks at and is null elsewhere, and GX skips
nulls: no expectation needs a row condition, which would cost a query each.

| column | on the rows of | holds |
|---|---|---|
| ``row_id`` | every row | the frame row, to map findings back |
| ``required_given`` | cells the service must fill | whether the cell is filled |
| ``readable`` | filled number and date cells | whether the value could be read |
| ``number`` | number cells | the figure |
| ``fraction`` | whole-number cells | the figure's fractional part |
| ``units`` | ``units`` | the figure |
| ``limit`` | cells with a limit (``LIMIT_RULES``) | the most the figure may be |
| ``date_completed``, ``period_start`` | ``date_completed`` | the two dates |
| ``outcomes_total``, ``ethnicity_total`` | ``referrals_received`` | the referral totals |

Kept apart from the suite so that building the frame needs no Great
Expectations import, which takes seconds.
"""

from __future__ import annotations

from data_contracts.pi_workbook import PROVIDER_CELLS, CellType

ROW_ID = "row_id"
TYPED_CELLS = tuple(cell.name for cell in PROVIDER_CELLS if cell.type is not CellType.TEXT)
NUMERIC_CELLS = tuple(cell.name for cell in PROVIDER_CELLS if cell.type in (CellType.WHOLE, CellType.NUMBER))
WHOLE_CELLS = tuple(cell.name for cell in PROVIDER_CELLS if cell.type is CellType.WHOLE)

# The figures with an upper limit: cell -> (the rule that names the breach, the derived limit).
LIMIT_RULES: dict[str, tuple[str, str]] = {
    "unit_days_unavailable": ("unavailable_above_unit_days", "unit_days"),
    "unit_days_occupied": ("occupied_above_available", "available_unit_days"),
    "service_user_days": ("service_user_days_above_limit", "service_user_days_limit"),
    "frontline_hours_delivered": ("hours_above_limit", "frontline_hours_limit"),
}
# (rule, the total column that must equal referrals received)
BALANCE_RULES: tuple[tuple[str, str], ...] = (
    ("referral_outcomes_unbalanced", "outcomes_total"),
    ("referral_ethnicity_unbalanced", "ethnicity_total"),
)
FRAME_COLUMNS: tuple[str, ...] = (
    ROW_ID,
    "required_given",
    "readable",
    "number",
    "fraction",
    "units",
    "limit",
    "date_completed",
    "period_start",
    "outcomes_total",
    "ethnicity_total",
)
