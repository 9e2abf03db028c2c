"""``make demo`` builds a demo authority's year and everything it is meant to show is there."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from data_contracts.qaf_tables import d_grade_follow_ups
from spmon import demo

pytestmark = pytest.mark.e2e


def _rows(register: Path) -> list[dict[str, str]]:
    """The register without the hashes (openpyxl stamps the time of saving into each file)."""
    with register.open(newline="", encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k != "sha256"} for row in csv.DictReader(handle)]


def test_the_demo_year_shows_every_fault_visit_grade_plan_risk_and_report(
    tmp_path: Path, prefect_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", prefect_api_url)
    monkeypatch.setenv("SPMON_DATABASE_URL", "postgresql://must-not-be-used/")  # the demo ignores SPMON_*
    root = tmp_path / "demo"
    (root / "left-over").mkdir(parents=True)  # the demo starts afresh
    rows = _rows(demo.main(root))
    assert not (root / "left-over").exists()
    returned = Counter(r["reasons"] for r in rows if r["status"] == "returned")
    for reason in (
        "trigger_unexplained",
        "local_pi_unbalanced",
        "incomplete",
        "invalid_value",
        "units_changed_unexplained",
    ):
        assert returned[reason] >= 1, f"no return returned for {reason} alone: {returned}"
    statuses = Counter(r["status"] for r in rows)
    assert statuses["duplicate"] >= 1
    assert statuses["quarantined"] == 2
    assert statuses["superseded"] >= 1
    assert sum(r["late"] == "true" for r in rows) == 1
    explained = [r for r in rows if r["status"] == "accepted" and r["breaches"]]
    assert explained, "no accepted return with an explained breach"
    extended = next(r for r in rows if r["source_file"] == "Hillcrest Floating Support Q2.xlsx")
    assert (extended["status"], extended["deadline"], extended["late"]) == ("accepted", "2025-11-07", "false")

    assert not list((root / "drop").iterdir())
    assert len(list((root / "quarantine").rglob("*.xlsx"))) == 2
    assert list((root / "outbox").rglob("*.*"))
    assert len(list((root / "issued").glob("*.xlsx"))) == 12

    qaf_rows = _rows(root / "qaf_register.csv")
    assert {r["received_at"][:7] for r in qaf_rows} <= {"2026-01", "2026-02", "2026-03"}
    accepted = [r for r in qaf_rows if r["status"] == "accepted"]
    assert any(r["visit"] == "true" for r in accepted), "no accepted QAF needing a visit"
    assert any(r["visit"] == "false" for r in accepted), "no accepted QAF without a visit"
    assert any(r["status"] == "returned" and r["reasons"] == "evidence_missing" for r in qaf_rows)
    qaf = {row["provider_id"]: row for row in qaf_rows}
    assert qaf["PR0002"]["visit_reasons"].split(";")[0] == "a_grade_claimed"
    assert qaf["PR0001"]["visit_reasons"] == "service_concerns;procurement_review"
    assert (qaf["PR0003"]["status"], qaf["PR0003"]["form"], qaf["PR0003"]["visit"]) == (
        "accepted",
        "Lite",
        "false",
    )
    assert (qaf["PR0004"]["status"], qaf["PR0004"]["visit"]) == ("accepted", "false")
    assert (qaf["PR0006"]["status"], qaf["PR0006"]["visit"]) == ("returned", "false")
    # tasks.qaf.imports.letter_path and tasks.qaf.store.notice_path: outbox/qaf/<provider>/...
    letters = sorted(
        p.relative_to(root / "outbox" / "qaf").parts[0]
        for p in (root / "outbox" / "qaf").rglob("grades_*.txt")
    )
    assert letters == ["PR0001", "PR0002"], (
        "a grade letter where the agreed grade differs from the claim, none where it agrees"
    )
    assert len(list((root / "outbox" / "qaf" / "PR0006").glob("QAF_*.txt"))) == 1

    with (root / "risk.csv").open(newline="", encoding="utf-8") as handle:
        overall = {r["service_id"]: r["detail"] for r in csv.DictReader(handle) if r["clause"] == "overall"}
    assert overall["SV00112"] == "GREEN"
    engine = create_engine(f"sqlite:///{root / 'foundation.db'}")
    with engine.connect() as connection:
        moves = connection.execute(
            text(
                "SELECT to_level, changed_on FROM risk_change WHERE service_id = 'SV00112' AND subject = 'priority'"
            )
        ).all()
    with Session(engine) as session:
        follow_ups = d_grade_follow_ups(session, demo.YEAR)
    engine.dispose()
    # Dated by the data (risk.md): the day a deadline passed or a return or meeting made the change.
    story = [(level, str(day)[:7]) for level, day in sorted(moves, key=lambda move: str(move[1]))]
    assert [level for level, _ in story] == ["GREEN", "AMBER", "RED", "GREEN"], story
    assert story[2][1] == "2025-08" and story[3][1] == "2025-09", story
    assert [
        (f.provider_id, f.objective, f.date_agreed, f.plan_received, f.revalidated_on) for f in follow_ups
    ] == [("PR0001", "C1.4", date(2026, 3, 11), date(2026, 3, 20), None)]
    assert follow_ups[0].state(date(2026, 3, 31)) == "revalidation_awaited"

    manifest = json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["period"] for e in manifest} == {"2025-09", "2025-10", "2025-26-Q1", "2025-26-Q2"}
    assert (root / "reports" / "index.html").is_file()
