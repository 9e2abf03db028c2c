"""Clause risks on the project-made corpus plus imported meetings and actions: same on SQLite and PostgreSQL.

Everything goes through the command line: the corpus (``tests/corpus``), ``meetings import``,
``actions import``, ``risk evaluate`` on several days (the nightly flow) and
``risk export``.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from data_contracts.risk_tables import CLAUSES, RiskChange
from foundation.db import session_scope
from tests.corpus.build import Corpus
from tests.corpus.contracts import case_values, contracts_2025
from tests.e2e.cli import Workspace, prepare_corpus

pytestmark = pytest.mark.e2e

AS_AT = date(2026, 3, 20)
MEETINGS = """provider_id,planned_date,completed_date,officer
PR0001,2025-03-10,2025-03-10,Ann Officer
PR0001,2026-04-01,,Ann Officer
PR0002,2025-04-02,2025-04-02,Ben Officer
PR0002,2026-05-20,,Ben Officer
PR0003,2025-05-14,2025-05-14,Ann Officer
PR0003,2026-04-20,,Ann Officer
PR0004,2025-06-11,2025-06-11,Cat Officer
PR0004,2026-03-25,,Cat Officer
PR0006,2025-06-25,2025-06-25,Cat Officer
PR0006,2026-04-15,,Cat Officer
"""
ACTIONS = """provider_id,service_id,description,owner,target_date,closed_on
PR0001,SV00101,Review the fire risk assessment,Site manager,2025-12-31,
PR0001,,Staff supervision records,Service manager,2026-03-01,
PR0004,SV00108,=Update the move-on plan,Team leader,2025-09-30,2025-09-28
"""


def _risk_export(corpus: Corpus, workspace: Workspace, url: str) -> bytes:
    prepare_corpus(workspace, corpus.root)
    workspace.run("ingest", workspace.drop)
    (workspace.root / "meetings.csv").write_text(MEETINGS, encoding="utf-8")
    (workspace.root / "actions.csv").write_text(ACTIONS, encoding="utf-8")
    workspace.run("meetings", "import", workspace.root / "meetings.csv")
    workspace.run("actions", "import", workspace.root / "actions.csv")
    for as_at in (date(2025, 8, 1), date(2025, 11, 1), AS_AT, AS_AT):
        workspace.run("risk", "evaluate", "--as-at", as_at.isoformat())
    out = workspace.root / "risk.csv"
    workspace.run("risk", "export", out, "--as-at", AS_AT.isoformat())
    with session_scope(url) as session:
        changes = session.execute(select(RiskChange)).scalars().all()
        assert len({(c.service_id, c.subject, c.changed_on) for c in changes}) == len(changes)
        assert any(c.to_level == "High" for c in changes if c.subject == "overall")
    return out.read_bytes()


def _check_rows(corpus: Corpus, data: bytes) -> None:
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    services = sorted({r["service_id"] for r in rows})
    assert services == sorted(c.service_id for c in contracts_2025())  # the 2025/26 contracts
    per_service = [*CLAUSES, "overall"]  # the twelve clauses (three of feedback.md), then overall
    assert len(CLAUSES) == 12
    assert [r["clause"] for r in rows] == per_service * len(services)
    by_key = {(r["service_id"], r["clause"]): r for r in rows}
    # SV00104's Q2 file was empty (quarantined): nothing received; SV00109's Q2 came in its extension
    assert "Q2 2025/26 not received" in by_key[("SV00104", "pi_timeliness")]["detail"]
    assert "Q2 2025/26" not in by_key[("SV00109", "pi_timeliness")]["detail"]
    assert by_key[("SV00101", "actions")]["level"] == "High"  # 79 days past its target
    assert by_key[("SV00102", "actions")]["level"] == "Medium"  # the provider's action for every service
    assert by_key[("SV00108", "actions")]["level"] == "Low"  # closed
    sv00106 = (
        ("PI_SV00106_2025-26_V1 Q1.xlsx", "Q1"),
        ("PI_SV00106_2025-26_V1.xlsx", "Q2"),
        ("PI_SV00106_2025-26_V1 Q3.xlsx", "Q3"),
    )
    planned = sum(int(str(case_values(corpus.case(name), q)["planned_departures"])) for name, q in sv00106)
    unplanned = sum(
        int(str(case_values(corpus.case(name), q)["unplanned_departures"])) for name, q in sv00106
    )
    assert by_key[("SV00106", "departures")]["detail"].startswith(
        f"planned departures ({planned}) at least equal unplanned ({unplanned})"
    )
    # QAFs due six weeks before the next meeting: PR0001's (meeting 1 April) was due 18 February
    assert by_key[("SV00101", "qaf_return")]["detail"] == (
        "2025/26 QAF received on 2026-03-02, 12 days after its due date 2026-02-18"
    )
    assert by_key[("SV00110", "qaf_return")]["detail"] == (
        "2025/26 QAF received on 2026-01-21, by its due date 2026-03-09"
    )
    assert by_key[("SV00104", "qaf_grades")]["level"] == "Low"  # 2025/26 claims, no longer the 2024/25 D
    # every return on time, the QAF by its due date, no action: GREEN; an action 79 days late: RED
    assert (by_key[("SV00110", "overall")]["level"], by_key[("SV00110", "overall")]["detail"]) == (
        "Low",
        "GREEN",
    )
    assert (by_key[("SV00101", "overall")]["level"], by_key[("SV00101", "overall")]["detail"]) == (
        "High",
        "RED",
    )


def test_risk_export_on_the_corpus_is_the_same_on_sqlite_and_postgresql(
    corpus: Corpus, tmp_path: Path, prefect_api_url: str, postgres_url: str
) -> None:
    lite = Workspace(tmp_path / "sqlite", corpus.programme, prefect_api_url)
    pg = Workspace(tmp_path / "pg", corpus.programme, prefect_api_url, database_url=postgres_url)
    on_sqlite = _risk_export(corpus, lite, f"sqlite:///{lite.data.absolute() / 'foundation.db'}")
    on_postgres = _risk_export(corpus, pg, postgres_url)
    _check_rows(corpus, on_sqlite)
    assert on_sqlite == on_postgres
