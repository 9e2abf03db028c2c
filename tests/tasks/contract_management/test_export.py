"""``spmon risk export``: columns, order, the overall row, inert text; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

from data_contracts.risk_tables import CLAUSES, RISK_EXPORT_COLUMNS
from tasks.contract_management.clauses import ClauseResult
from tasks.contract_management.export import export_risk, write_risk_csv
from tasks.contract_management.facts import ServiceRisk
from tasks.contract_management.history import evaluate_and_record
from tests.factories.contracts import add_contract
from tests.factories.meetings import action, meeting
from tests.factories.programmes import programme
from tests.factories.qafs import agreed_grade, qaf_return
from tests.factories.returns import add_pi, extension
from tests.factories.sessions import sqlite_engine, utc

AS_AT = date(2026, 3, 20)


def build_example(session: Session) -> None:
    """Three services of two providers with something at every level."""
    add_contract(session, "SV2", "PR1")
    add_contract(
        session, "SV1", "PR1", service_type="Floating support", planned_duration="Long term", hours=0
    )
    add_contract(session, "SV3", "PR2", service_type="Community alarm", planned_duration="Long term", hours=0)
    add_contract(
        session, "SV3", "PR2", year="2024/25", service_type="Community alarm", planned_duration="Long term"
    )
    extension(session, "SV2", "Q2", date(2025, 11, 4))
    add_pi(session, "SV1", "Q1", utc(2025, 7, 2, 8, 40), values={"planned_departures": 1})
    add_pi(session, "SV1", "Q2", utc(2025, 10, 6), breaches="KPI1;SPI2")
    add_pi(session, "SV1", "Q3", utc(2026, 1, 16, 23, 30), breaches="KPI1")
    add_pi(session, "SV2", "Q1", utc(2025, 7, 24), "returned", reasons="incomplete")
    add_pi(
        session, "SV2", "Q2", utc(2025, 10, 27), values={"planned_departures": 0, "unplanned_departures": 2}
    )
    add_pi(session, "SV3", "Q4", utc(2025, 4, 5), year="2024/25")
    add_pi(session, "SV3", "Q1", utc(2025, 7, 11), breaches="SPI2")
    add_pi(session, "SV3", "Q2", utc(2025, 10, 29), breaches="SPI2")
    add_pi(session, "SV3", "Q3", utc(2026, 1, 10), breaches="SPI2")
    qaf_return(session, "PR1", "SV1;SV2", utc(2026, 2, 11), claimed_c1_4="D")
    meeting(session, "PR1", date(2026, 4, 10))
    meeting(session, "PR2", date(2025, 4, 1), date(2025, 4, 2))
    meeting(session, "PR2", date(2026, 3, 30))
    agreed_grade(session, "PR1", "SV1;SV2", "C1.4", "D", date(2026, 2, 20))
    action(session, "PR2", "SV3", "=HYPERLINK(1)", date(2026, 1, 1), owner="J")
    action(session, "PR1", "", "Training", date(2026, 3, 1), owner="K")


def exported(session: Session, out: Path) -> list[dict[str, str]]:
    export_risk(session, programme(), AS_AT, out)
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_rows_columns_order_and_overall(tmp_path: Path) -> None:
    with Session(sqlite_engine()) as session:
        build_example(session)
        rows = exported(session, tmp_path / "risk.csv")
    assert list(rows[0]) == list(RISK_EXPORT_COLUMNS)
    assert [(r["service_id"], r["clause"]) for r in rows] == [
        (service_id, clause) for service_id in ("SV1", "SV2", "SV3") for clause in (*CLAUSES, "overall")
    ]
    overall = {r["service_id"]: (r["level"], r["detail"]) for r in rows if r["clause"] == "overall"}
    assert overall == {"SV1": ("High", "RED"), "SV2": ("High", "RED"), "SV3": ("High", "RED")}
    by_key = {(r["service_id"], r["clause"]): (r["level"], r["detail"]) for r in rows}
    levels = {
        ("SV1", "departures"): "Low",
        ("SV2", "departures"): "Medium",
        ("SV3", "availability_utilisation"): "High",
    }
    assert {key: by_key[key][0] for key in levels} == levels
    details = {
        ("SV1", "outcomes"): ("High", "KPI1 breached in 2 consecutive quarters (Q2 2025/26 to Q3 2025/26)"),
        ("SV2", "pi_completeness"): (
            "High",
            "Q1 2025/26 returned on 2025-07-24, no resubmission for 239 days",
        ),
        ("SV2", "pi_timeliness"): (
            "High",
            "Q1 2025/26 received 3 days after its deadline 2025-07-21; "
            "Q3 2025/26 not received, 57 days past its deadline 2026-01-22",
        ),
        ("SV2", "qaf_grades"): (
            "High",
            "C1.4 agreed D on 2026-02-20: improvement plan overdue since 2026-03-06",
        ),
        ("SV2", "actions"): ("Medium", "'Training' (owner K) 19 days past its target date 2026-03-01"),
        ("SV3", "qaf_return"): ("High", "2025/26 QAF outstanding, 32 days past its due date 2026-02-16"),
        ("SV3", "actions"): ("High", "'=HYPERLINK(1)' (owner J) 78 days past its target date 2026-01-01"),
    }
    assert {key: by_key[key] for key in details} == details


def test_export_text_is_made_inert(tmp_path: Path) -> None:
    risk = ServiceRisk("SV1", "PR1", (ClauseResult("actions", "Medium", "=HYPERLINK(1)"),))
    out = tmp_path / "risk.csv"
    assert write_risk_csv([risk], out) == 2
    assert out.read_text(encoding="utf-8").splitlines() == [
        "service_id,provider_id,clause,level,detail",
        "SV1,PR1,actions,Medium,'=HYPERLINK(1)",
        "SV1,PR1,overall,Medium,AMBER",
    ]


@pytest.mark.postgres
def test_export_is_identical_on_sqlite_and_postgresql(tmp_path: Path, postgres_url: str) -> None:
    outputs = []
    for name, engine in (("sqlite", sqlite_engine()), ("postgres", create_engine(postgres_url))):
        SQLModel.metadata.create_all(engine)
        with Session(engine) as session:
            build_example(session)
            session.commit()
            evaluate_and_record(session, programme(), AS_AT)
            session.commit()
            out = tmp_path / f"{name}.csv"
            export_risk(session, programme(), AS_AT, out)
            outputs.append(out.read_bytes())
        engine.dispose()
    assert outputs[0] == outputs[1]
