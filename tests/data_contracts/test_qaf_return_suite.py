from __future__ import annotations

from data_contracts.qaf_return_suite import qaf_return_suite
from data_contracts.reasons import QAF_REASON_CODES


def test_every_expectation_carries_a_qaf_reason_code_rule_and_cell():
    suite = qaf_return_suite()
    assert suite.expectations
    for expectation in suite.expectations:
        meta = expectation.meta or {}
        assert meta["code"] in QAF_REASON_CODES
        assert meta["rule"] and meta["cell"]


def test_the_suite_covers_the_per_value_codes():
    codes = {(e.meta or {})["code"] for e in qaf_return_suite().expectations}
    assert codes == {"incomplete", "invalid_grade", "evidence_missing"}
