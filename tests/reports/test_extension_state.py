"""A quarter whose agreed extension still runs is "extended to DATE" in the PI management report, not "not received"."""

from __future__ import annotations

from datetime import date

from reports.pi_data import service_quarter
from reports.pi_management_summary import completeness_sentence, status_text
from tests.factories.contracts import contract_record

CONTRACT = contract_record("SV109", "PR1", year="2025/26")


def test_an_extension_still_running_is_not_a_non_return() -> None:
    quarter = service_quarter(CONTRACT, "Q2", date(2025, 11, 7), date(2025, 11, 7), [])
    as_at = date(2025, 10, 28)
    assert status_text(quarter, as_at) == "extended to 2025-11-07"
    sentence = completeness_sentence([quarter], "Q2 2025/26", as_at)
    assert "0 not received, 1 with an extension still running (extended to 2025-11-07)" in sentence


def test_once_the_extension_has_passed_it_is_not_received() -> None:
    quarter = service_quarter(CONTRACT, "Q2", date(2025, 11, 7), date(2025, 11, 7), [])
    assert status_text(quarter, date(2025, 11, 20)) == "not received"
    assert "1 not received." in completeness_sentence([quarter], "Q2 2025/26", date(2025, 11, 20))


def test_before_its_deadline_a_missing_return_is_not_yet_due_not_missing() -> None:
    quarter = service_quarter(CONTRACT, "Q2", date(2025, 10, 21), None, [])
    as_at = date(2025, 10, 4)
    assert status_text(quarter, as_at) == "not yet due"
    assert "0 not received, 1 not yet due." in completeness_sentence([quarter], "Q2 2025/26", as_at)
