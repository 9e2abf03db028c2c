"""The PI return suite: every expectation carries a spec reason code and a rule with a message."""

from __future__ import annotations

from data_contracts.pi_check_frame import FRAME_COLUMNS, LIMIT_RULES, NUMERIC_CELLS, WHOLE_CELLS
from data_contracts.pi_return_suite import pi_return_suite
from data_contracts.reasons import PI_REASON_CODES
from tasks.pi.messages import RULE_MESSAGES


def _rules() -> set[str]:
    return {(e.meta or {})["rule"] for e in pi_return_suite().expectations}


def test_every_expectation_carries_a_code_and_a_rule_with_a_message() -> None:
    for expectation in pi_return_suite().expectations:
        meta = expectation.meta or {}
        assert meta["code"] in PI_REASON_CODES, meta
        assert meta["rule"] in RULE_MESSAGES or meta["rule"] == "above_limit", meta


def test_every_rule_with_a_message_is_in_the_suite() -> None:
    limit_rules = {rule for rule, _ in LIMIT_RULES.values()}
    assert (_rules() - {"above_limit"}) | limit_rules == set(RULE_MESSAGES)


def test_per_value_codes_only() -> None:
    """Codes that need other records are judged in plain code, not by the suite."""
    codes = {(e.meta or {})["code"] for e in pi_return_suite().expectations}
    assert codes == {"incomplete", "invalid_value", "local_pi_unbalanced"}


def test_no_expectation_needs_a_row_condition() -> None:
    """Row conditions cost a DataFrame query each: the long frame makes them unneeded."""
    for expectation in pi_return_suite().expectations:
        assert not expectation.row_condition


def test_expectations_read_frame_columns_only() -> None:
    for expectation in pi_return_suite().expectations:
        config = expectation.configuration.kwargs
        columns = [config[k] for k in ("column", "column_A", "column_B") if k in config]
        assert set(columns) <= set(FRAME_COLUMNS), columns


def test_cell_types() -> None:
    assert "frontline_hours_delivered" in NUMERIC_CELLS
    assert "frontline_hours_delivered" not in WHOLE_CELLS
    assert set(WHOLE_CELLS) < set(NUMERIC_CELLS)
    assert "comments" not in NUMERIC_CELLS
