"""The feedback and audit commands, run as a user would: exit 0 done, 2 bad input naming file, row and column."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data_contracts.feedback_tables import (
    AUDIT_COLUMNS,
    AUDIT_EXPORT_COLUMNS,
    CONSULTATION_COLUMNS,
    CONSULTATION_EXPORT_COLUMNS,
    DUE_EXPORT_COLUMNS,
    REGISTER_COLUMNS,
    RESPONSE_COLUMNS,
    STAKEHOLDER_COLUMNS,
)
from tasks.common.contract_records import CONTRACT_COLUMNS
from tests.factories.programmes import PROGRAMME_TOML

SPMON = Path(sys.executable).parent / "spmon"
CONTRACT = {
    "year": "2025/26", "service_name": "Hostel", "provider_name": "Provider One", "client_group": "Single homeless",
    "service_type": "Accommodation based", "administering_authority": "Test Council", "contracted_units": "10",
    "planned_duration": "Short term", "out_of_hours_cover": "No", "contract_manager": "A Manager",
    "contract_manager_contact": "a@example.org", "frontline_staff_fte": "1", "frontline_hours_per_week": "10",
    "management_staff_fte": "0.2", "management_hours_per_week": "5", "other_staff_fte": "0", "workbook_version": "V1",
}  # fmt: skip


class Shell:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "programme.toml").write_text(
            PROGRAMME_TOML + "\n[feedback]\ncycle_start = 2024-04-01\n", "utf-8"
        )

    def run(self, *args: str | Path, code: int = 0) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPMON_")}
        env.update(
            SPMON_DATA_DIR=str(self.root / "data"), SPMON_PROGRAMME_FILE=str(self.root / "programme.toml")
        )
        env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false")
        result = subprocess.run(
            [str(SPMON), *map(str, args)], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == code, (
            f"spmon {args}: {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
        return result

    def csv(self, name: str, columns: tuple[str, ...], *rows: dict[str, str]) -> Path:
        path = self.root / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return path


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_feedback_commands_end_to_end(tmp_path: Path) -> None:
    shell = Shell(tmp_path)
    shell.run("init")
    contracts = [{**CONTRACT, "service_id": "SV1", "provider_id": "PR1"},
                 {**CONTRACT, "service_id": "SV9", "provider_id": "PR2", "service_type": "Community alarm"}]  # fmt: skip
    shell.run("contracts", "import", shell.csv("contracts.csv", CONTRACT_COLUMNS, *contracts))
    people = [{"stakeholder_id": "ST1", "provider_id": "PR1", "service_id": "SV1", "name": "Jo", "organisation": "Org One"},
              {"stakeholder_id": "ST2", "provider_id": "PR1", "service_id": "SV1", "name": "Al", "organisation": "Org Two"}]  # fmt: skip
    shell.run(
        "feedback", "stakeholders", "import", shell.csv("stakeholders.csv", STAKEHOLDER_COLUMNS, *people)
    )

    out = tmp_path / "issued"
    shell.run(
        "feedback", "questionnaires", "issue", "--service", "SV1", "--out", out, "--issued", "2025-10-01"
    )
    assert sorted(p.name for p in out.iterdir()) == ["SQ_SV1_ST1_20251001.xlsx", "SQ_SV1_ST2_20251001.xlsx"]
    assert (
        load_workbook(out / "SQ_SV1_ST1_20251001.xlsx")["Questionnaire"]["B6"].value == "SQ-SV1-ST1-20251001"
    )

    hidden_text = "the manager is never there"
    answer = {"sq_reference": "SQ-SV1-ST1-20251001", "organisation": "Org One", "rating_strategic_relevance": "Good",
              "rating_demand": "Good", "rating_outcomes": "Very poor", "rating_quality": "Fair",
              "rating_cost_effectiveness": "Dont know", "reasons": hidden_text, "confidential": "Yes",
              "date": "2025-10-20", "method": "telephone"}  # fmt: skip
    result = shell.run(
        "feedback", "responses", "import", shell.csv("responses.csv", RESPONSE_COLUMNS, answer)
    )
    assert "1 adverse-feedback letters written" in result.stdout
    (letter,) = (tmp_path / "data" / "outbox" / "feedback" / "PR1").iterdir()
    assert hidden_text not in letter.read_text("utf-8") and "Service outcomes: V.Poor" in letter.read_text(
        "utf-8"
    )

    bad = {**answer, "method": "email"}
    result = shell.run("feedback", "responses", "import", shell.csv("bad.csv", RESPONSE_COLUMNS, bad), code=2)
    assert "bad.csv: row 2, column method" in result.stderr

    shell.run("feedback", "provider-replies", "import", shell.csv("replies.csv", ("sq_reference", "replied_on"),
              {"sq_reference": "SQ-SV1-ST1-20251001", "replied_on": "2025-10-30"}))  # fmt: skip
    shell.run("feedback", "register", "export", tmp_path / "register.csv")
    header, (row,) = read(tmp_path / "register.csv")
    assert header == list(REGISTER_COLUMNS)
    assert (row["status"], row["adverse"], row["confidential"], row["provider_replied_on"]) == (
        "received",
        "true",
        "true",
        "2025-10-30",
    )

    consultation = {"consultation_id": "C1", "provider_id": "PR1", "service_id": "SV1", "method": "interview",
                    "notice_given_on": "2025-06-20", "held_on": "2025-07-01", "service_users": "30", "contacted": "8",
                    "consent_forms": "8", "adverse": "no", "complaint_raised": "no"}  # fmt: skip
    shell.run("feedback", "consultations", "import", shell.csv("c.csv", CONSULTATION_COLUMNS, consultation))
    shell.run("feedback", "consultations", "export", tmp_path / "c_out.csv", "--as-at", "2025-12-01")
    header, (row,) = read(tmp_path / "c_out.csv")
    assert header == list(CONSULTATION_EXPORT_COLUMNS)
    assert (row["minimum"], row["warnings"], row["report_late"]) == ("8", "short_notice", "true")

    audit = {"audit_id": "A1", "provider_id": "PR1", "service_id": "SV1", "audit_date": "2025-06-02",
             "plans_viewed": "4", "plan_in_place": "5", "meets_minimum": "no"}  # fmt: skip
    result = shell.run("audits", "import", shell.csv("a.csv", AUDIT_COLUMNS, audit), code=2)
    assert "a.csv: row 2, column plan_in_place: 5 is more than the 4 plans viewed" in result.stderr
    shell.run("audits", "import", shell.csv("a.csv", AUDIT_COLUMNS, {**audit, "plan_in_place": "4"}))
    shell.run("audits", "export", tmp_path / "a_out.csv", "--as-at", "2025-12-01")
    header, (row,) = read(tmp_path / "a_out.csv")
    assert header == list(AUDIT_EXPORT_COLUMNS)
    assert (row["status"], row["feedback_late"]) == ("not_met", "true")

    shell.run("feedback", "due", "export", tmp_path / "due.csv", "--as-at", "2025-12-01")
    header, rows = read(tmp_path / "due.csv")
    assert header == list(DUE_EXPORT_COLUMNS)
    # Nothing is due on the cycle before 2026-04-01 (cycle_start 2024-04-01 + 24 months).
    kinds = {r["kind"] for r in rows}
    assert kinds == {"questionnaire_chase", "consultation_report_due", "audit_feedback_due", "reaudit_due"}

    result = shell.run("feedback", "due", "export", tmp_path / "due.csv", "--as-at", "yesterday", code=2)
    assert "--as-at" in result.stderr
    result = shell.run("feedback", "questionnaires", "issue", "--service", "../x", "--out", out, code=2)
    assert "--service" in result.stderr
