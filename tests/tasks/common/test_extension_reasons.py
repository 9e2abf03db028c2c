"""An agreed extension may carry the reason for lateness; the late-returns report and packs show it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session

from data_contracts.tables import ContractRecord, Extension
from reports.columns import columns
from reports.late_returns import TIMELINESS_COLUMNS, timeliness_row
from reports.pi_data import service_quarter
from tasks.calendar.deadlines import load_deadlines
from tasks.common.contract_records import import_extensions
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_engine


def _session() -> Session:
    return Session(sqlite_engine())


def test_the_reason_column_is_optional_and_kept(tmp_path: Path) -> None:
    session = _session()
    plain = tmp_path / "plain.csv"
    plain.write_text("service_id,year,quarter,until\nSV1,2025/26,Q2,2025-11-07\n", encoding="utf-8")
    assert import_extensions(session, plain) == 1
    assert session.get(Extension, ("SV1", "2025/26", "Q2")).reason == ""  # type: ignore[union-attr]
    why = tmp_path / "why.csv"
    why.write_text(
        "service_id,year,quarter,until,reason\nSV1,2025/26,Q2,2025-11-07,Finance officer on long-term sick leave\n",
        encoding="utf-8",
    )
    import_extensions(session, why)
    assert load_deadlines(session, programme()).reasons == {
        ("SV1", "2025/26", "Q2"): "Finance officer on long-term sick leave"
    }


def test_the_timeliness_table_shows_the_reason_for_lateness() -> None:
    contract = ContractRecord(
        year="2025/26",
        service_id="SV1",
        provider_id="PR1",
        provider_name="Provider",
        service_name="Service",
        client_group="Older people",
        service_type="Floating support",
        contracted_units=10,
        frontline_hours_per_week=10,
    )
    quarter = service_quarter(contract, "Q2", date(2025, 11, 7), date(2025, 11, 7), [], "Staff illness")
    row = timeliness_row(quarter, date(2025, 11, 20))
    assert row["extension_reason"] == "Staff illness"
    assert ("extension_reason", "Reason for lateness") in [
        (c.key, c.label) for c in columns(*TIMELINESS_COLUMNS)
    ]
