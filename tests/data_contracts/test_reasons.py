"""Reason codes in the order a person reads them (pi-rules.md, qaf.md)."""

from __future__ import annotations

import pytest

from data_contracts.reasons import PI_REASON_CODES, ordered


def test_pi_codes_in_the_spec_order() -> None:
    assert PI_REASON_CODES == (
        "unreadable",
        "no_quarter_completed",
        "unknown_service",
        "year_code_mismatch",
        "outdated_version",
        "contract_altered",
        "incomplete",
        "invalid_value",
        "local_pi_unbalanced",
        "units_changed_unexplained",
        "trigger_unexplained",
    )


def test_ordered_sorts_and_removes_repeats() -> None:
    codes = ["trigger_unexplained", "incomplete", "year_code_mismatch", "incomplete"]
    assert ordered(codes) == ["year_code_mismatch", "incomplete", "trigger_unexplained"]
    assert ordered([]) == []


def test_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="made_up"):
        ordered(["incomplete", "made_up"])
