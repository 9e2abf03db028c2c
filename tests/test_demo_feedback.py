"""The demo's feedback part (``spmon.demo_feedback``) through the real command line.

Everything ``make demo`` shows of feedback.md is there: the returned
workbooks taken from the drop folder by the ingestion run (received,
incomplete, archived, one letter per adverse reply, still protected and
validated as issued), the telephone answer, the telephone chase, the
provider's overdue response to the confidential adverse reply, the late
consultation report, the sample too small, the audit below the minimum and
its re-audit; and the confidential comment is in no letter.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data_contracts.pi_workbook import FilledBy
from data_contracts.questionnaire_workbook import CELLS, RATING_CELLS
from spmon.demo import write_settings_file
from spmon.demo_commands import spmon, write_csv
from spmon.demo_feedback import CONFIDENTIAL_COMMENT, REPLIES, reference, run_feedback
from spmon.demo_qaf import named_cell, programme_toml
from spmon.demo_returns import SEED, YEAR
from spmon.sample_data import demo_contracts
from tasks.common.contract_records import CONTRACT_COLUMNS

pytestmark = pytest.mark.e2e


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_feedback_shows_every_case(
    tmp_path: Path, prefect_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", prefect_api_url)  # the replies are taken by `spmon ingest`
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
    assert {ref: (r["status"], r["source_file"]) for ref, r in register.items()} == {
        reference("SV00101", "ST0001"): ("received", "SQ_SV00101_ST0001_20250701 completed.xlsx"),
        reference("SV00101", "ST0002"): ("received", "Probation feedback - Dunmore.xlsx"),
        reference("SV00104", "ST0003"): ("incomplete", "SQ_SV00104_ST0003_20250701.xlsx"),
        reference("SV00104", "ST0004"): ("received", "responses.csv"),
    }
    assert register[reference("SV00101", "ST0001")]["received_at"].startswith("2025-07-09T09:42")
    assert register[reference("SV00101", "ST0001")]["provider_replied_on"] == "2025-07-18"
    assert not list((root / "drop").iterdir())
    archived = {p.name: p for p in (root / "archive").rglob("*.xlsx")}
    assert sorted(archived) == sorted(reply.name for reply in REPLIES)
    for path in archived.values():
        _assert_as_issued(path)
    consultations = {
        r["consultation_id"]: r["warnings"] for r in _rows(root / "feedback" / "consultations_export.csv")
    }
    assert consultations == {"C001": "sample_too_small", "C002": ""}
    audits = {r["audit_id"]: r["status"] for r in _rows(root / "feedback" / "audits_export.csv")}
    assert audits == {"A001": "reaudit_met", "A002": "met"}
    letters = sorted((root / "outbox" / "feedback").rglob("*.txt"))
    adverse = [reference("SV00101", "ST0001"), reference("SV00101", "ST0002")]
    assert sorted(p.name.split("_")[0] for p in letters) == adverse, "one letter per adverse reply"
    assert not [p for p in letters if CONFIDENTIAL_COMMENT in p.read_text(encoding="utf-8")]


def _assert_as_issued(path: Path) -> None:
    """A returned workbook still has the issued sheet's protection, drop-downs and locked cells."""
    workbook = load_workbook(path)
    sheet = workbook["Questionnaire"]
    assert sheet.protection.sheet
    assert len(sheet.data_validations.dataValidation) == len(RATING_CELLS) + 2  # ratings, Yes/No, date
    for cell in CELLS:
        assert named_cell(workbook, cell.name).protection.locked is (cell.filled_by is FilledBy.AUTHORITY)
