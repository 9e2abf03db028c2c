"""The columns of the PI check frame that the return suite validates (see ``pi_return_suite``).

Kept apart from the suite so that code building the frame need not import
Great Expectations, which takes seconds.
"""

from __future__ import annotations

from data_contracts.pi_workbook import PROVIDER_CELLS, CellType

ROW_ID = "row_id"
TYPED_CELLS = tuple(cell for cell in PROVIDER_CELLS if cell.type is not CellType.TEXT)
NUMERIC_CELLS = tuple(cell.name for cell in PROVIDER_CELLS if cell.type in (CellType.WHOLE, CellType.NUMBER))
WHOLE_CELLS = tuple(cell.name for cell in PROVIDER_CELLS if cell.type is CellType.WHOLE)

# (rule, cell at fault, the limit column it must not exceed)
LIMIT_RULES: tuple[tuple[str, str, str], ...] = (
    ("unavailable_above_unit_days", "unit_days_unavailable", "unit_days"),
    ("occupied_above_available", "unit_days_occupied", "available_unit_days"),
    ("service_user_days_above_limit", "service_user_days", "service_user_days_limit"),
    ("hours_above_limit", "frontline_hours_delivered", "frontline_hours_limit"),
)
# (rule, the total column that must equal referrals received)
BALANCE_RULES: tuple[tuple[str, str], ...] = (
    ("referral_outcomes_unbalanced", "referral_outcomes_total"),
    ("referral_ethnicity_unbalanced", "referral_ethnicity_total"),
)
