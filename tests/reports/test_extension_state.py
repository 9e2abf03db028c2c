"""A quarter whose agreed extension still runs is "extended to DATE" in the PI management report, not "not received"."""

from __future__ import annotations

from datetime import date

from data_contracts.tables import ContractRecord
from reports.pi_data import service_quarter
from reports.pi_management_summary import completeness_sentence, status_text

CONTRACT = ContractRecord(
    year="2025/26",
    service_id="SV109",
    provider_id="PR1",
    provider_name="Provider",
    service_name="Service",
    client_group="Older people",
    service_type="Floating support",
    contracted_units=10,
    frontline_hours_per_week=10,
)


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
