"""The demo's feedback part (``spmon.demo_feedback``) through the real command line, without Prefect.

Everything ``make demo`` shows of feedback.md is there: the telephone chase,
the provider's overdue response to the confidential adverse reply, the late
consultation report, the sample too small, the audit below the minimum and
its re-audit; and the confidential comment is in no letter.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spmon.demo import write_settings_file
from spmon.demo_commands import spmon, write_csv
from spmon.demo_feedback import CONFIDENTIAL_COMMENT, reference, run_feedback
from spmon.demo_qaf import programme_toml
from spmon.demo_returns import SEED, YEAR
from spmon.sample_data import demo_contracts
from tasks.common.contract_records import CONTRACT_COLUMNS

pytestmark = pytest.mark.e2e


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_feedback_shows_every_case(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    root.mkdir()
    write_settings_file(root)
    (root / "programme.toml").write_text(programme_toml(), encoding="utf-8")
    contracts = demo_contracts(YEAR, seed=SEED)
    rows = [[getattr(c, n) for n in CONTRACT_COLUMNS] for c in contracts]
    spmon(root, "init")
    spmon(root, "contracts", "import", write_csv(root / "contracts.csv", CONTRACT_COLUMNS, rows))
    run_feedback(root, spmon)

    due = {(r["kind"], r["reference"]) for r in _rows(root / "feedback" / "due.csv")}
    assert due == {
        ("questionnaire_chase", reference("SV00105", "ST0005")),
        ("provider_reply_due", reference("SV00101", "ST0002")),
        ("consultation_report_due", "C002"),
    }
    register = {r["reference"]: r for r in _rows(root / "feedback" / "register.csv")}
    assert register[reference("SV00104", "ST0003")]["reasons"] == "rating_missing"
    assert register[reference("SV00101", "ST0002")]["confidential"] == "true"
    consultations = {
        r["consultation_id"]: r["warnings"] for r in _rows(root / "feedback" / "consultations_export.csv")
    }
    assert consultations == {"C001": "sample_too_small", "C002": ""}
    audits = {r["audit_id"]: r["status"] for r in _rows(root / "feedback" / "audits_export.csv")}
    assert audits == {"A001": "reaudit_met", "A002": "met"}
    letters = sorted((root / "outbox" / "feedback").rglob("*.txt"))
    assert len(letters) == 2
    assert not [p for p in letters if CONFIDENTIAL_COMMENT in p.read_text(encoding="utf-8")]
