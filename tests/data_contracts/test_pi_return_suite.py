"""The PI return suite: every expectation carries a spec reason code and a rule with a message."""

from __future__ import annotations

from data_contracts.pi_return_suite import NUMERIC_CELLS, WHOLE_CELLS, pi_return_suite
from data_contracts.pi_workbook import PROVIDER_CELLS
from data_contracts.reasons import PI_REASON_CODES
from tasks.pi_messages import RULE_MESSAGES


def test_every_expectation_carries_code_rule_and_cell() -> None:
    cells = {cell.name for cell in PROVIDER_CELLS}
    for expectation in pi_return_suite().expectations:
        meta = expectation.meta or {}
        assert meta["code"] in PI_REASON_CODES, meta
        assert meta["rule"] in RULE_MESSAGES, meta
        assert meta["cell"] in cells, meta


def test_every_rule_with_a_message_is_in_the_suite() -> None:
    rules = {(e.meta or {})["rule"] for e in pi_return_suite().expectations}
    assert rules == set(RULE_MESSAGES)


def test_per_value_codes_only() -> None:
    """Codes that need other records are judged in plain code, not by the suite."""
    codes = {(e.meta or {})["code"] for e in pi_return_suite().expectations}
    assert codes == {"incomplete", "invalid_value", "local_pi_unbalanced"}


def test_cell_types() -> None:
    assert "frontline_hours_delivered" in NUMERIC_CELLS
    assert "frontline_hours_delivered" not in WHOLE_CELLS
    assert set(WHOLE_CELLS) < set(NUMERIC_CELLS)
    assert "comments" not in NUMERIC_CELLS
