"""Clause risks on the shared sample returns plus imported meetings and actions: same on SQLite and PostgreSQL.

Everything goes through the command line: the samples, ``meetings import``,
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
from spmon.db import session_scope
from tests.e2e.cli import Workspace, copy_corpus_drop

pytestmark = pytest.mark.e2e

AS_AT = date(2026, 3, 20)
MEETINGS = """provider_id,planned_date,completed_date,officer
PR0134,2025-03-19,2025-03-19,Ann Officer
PR0134,2026-04-20,,Ann Officer
PR6486,2025-05-01,2025-05-02,Ben Officer
PR6486,2026-03-27,,Ben Officer
PR8093,2025-06-10,2025-06-10,Ann Officer
PR8093,2026-03-25,,Ann Officer
PR9785,2025-02-23,2025-02-23,Cat Officer
PR9785,2026-04-01,,Cat Officer
"""
ACTIONS = """provider_id,service_id,description,owner,target_date,closed_on
PR9785,SV92101,Review the fire risk assessment,Site manager,2025-12-31,
PR9785,,Staff supervision records,Service manager,2026-03-01,
PR8093,SV05009,=Update the move-on plan,Team leader,2025-09-30,2025-09-28
"""


def _ingest_samples(samples: Path, workspace: Workspace) -> None:
    copy_corpus_drop(samples, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", samples / "contracts.csv")
    workspace.run("extensions", "import", samples / "extensions.csv")
    workspace.run("qaf", "grades", "import", samples / "qaf_grades_prev.csv")
    workspace.run("ingest", workspace.drop)


def _risk_export(samples: Path, workspace: Workspace, url: str) -> bytes:
    _ingest_samples(samples, workspace)
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


def _check_rows(data: bytes) -> None:
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
    services = sorted({r["service_id"] for r in rows})
    assert len(services) == 11  # the 2025/26 contracts
    assert [r["clause"] for r in rows[:10]] == [*CLAUSES, "overall"]
    by_key = {(r["service_id"], r["clause"]): r for r in rows}
    assert "Q2 2025/26 not received" in by_key[("SV98059", "pi_timeliness")]["detail"]
    assert "Q2 2025/26" not in by_key[("SV36211", "pi_timeliness")]["detail"]  # in time by its extension
    assert by_key[("SV92101", "actions")]["level"] == "High"  # 79 days past its target
    assert by_key[("SV41158", "actions")]["level"] == "Medium"  # the provider's action for every service
    assert by_key[("SV05009", "actions")]["level"] == "Low"  # closed
    assert by_key[("SV05009", "departures")]["detail"].startswith("planned departures (29) at least equal")
    assert (
        by_key[("SV03816", "qaf_return")]["detail"]
        == "2025/26 QAF outstanding, 37 days past its due date 2026-02-11"
    )
    assert by_key[("SV41158", "qaf_grades")]["level"] == "Low"  # 2025/26 claims, no longer the 2024/25 D


def test_risk_export_on_samples_is_the_same_on_sqlite_and_postgresql(
    samples: Path, tmp_path: Path, prefect_api_url: str, postgres_url: str
) -> None:
    lite = Workspace(tmp_path / "sqlite", samples / "programme.toml", prefect_api_url)
    pg = Workspace(tmp_path / "pg", samples / "programme.toml", prefect_api_url, database_url=postgres_url)
    on_sqlite = _risk_export(samples, lite, f"sqlite:///{lite.data.absolute() / 'spmon.db'}")
    on_postgres = _risk_export(samples, pg, postgres_url)
    _check_rows(on_sqlite)
    assert on_sqlite == on_postgres
