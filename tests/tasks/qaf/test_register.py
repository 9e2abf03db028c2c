from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from data_contracts.qaf_tables import QafReturn
from data_contracts.qaf_workbook import QAF_REGISTER_COLUMNS
from tasks.qaf.register import qaf_register_row, write_qaf_register_csv


def _row(**changes: object) -> QafReturn:
    values: dict[str, object] = {
        "id": 1,
        "file_id": 1,
        "source_file": "QAF 2025-26 PR1.xlsx",
        "received_at": datetime(2026, 2, 11, 8, 45, 7, tzinfo=UTC),
        "provider_id": "PR1",
        "year": "2025/26",
        "service_ids": "SV1;SV2",
        "form": "Lite",
        "status": "accepted",
        "claimed_c1_3": "C",
        "claimed_c1_6": "B",
        "visit": True,
        "visit_reasons": "a_grade_claimed;random_sample",
    }
    values.update(changes)
    return QafReturn(**values)  # type: ignore[arg-type]


def test_register_row_has_the_interface_columns():
    row = qaf_register_row(_row(), "ab" * 32)
    assert tuple(row) == QAF_REGISTER_COLUMNS
    assert row["received_at"] == "2026-02-11T08:45:07Z"
    assert row["claimed_c1_1"] == "" and row["claimed_c1_6"] == "B"
    assert (row["visit"], row["visit_reasons"]) == ("true", "a_grade_claimed;random_sample")
    assert qaf_register_row(_row(visit=False, visit_reasons=""), "ab" * 32)["visit"] == "false"


def test_naive_times_are_taken_as_utc():
    row = qaf_register_row(_row(received_at=datetime(2026, 2, 11, 8, 45, 7)), "ab" * 32)
    assert row["received_at"] == "2026-02-11T08:45:07Z"


def test_csv_has_a_header_and_inert_text(tmp_path: Path):
    out = tmp_path / "qaf_register.csv"
    rows = [qaf_register_row(_row(claimed_c1_5="=1+1"), "ab" * 32)]
    assert write_qaf_register_csv(iter(rows), out) == 1
    with out.open(encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert tuple(read[0]) == QAF_REGISTER_COLUMNS
    assert read[0]["claimed_c1_5"] == "'=1+1"
    assert write_qaf_register_csv(iter([]), out) == 0
    assert out.read_text(encoding="utf-8").strip() == ",".join(QAF_REGISTER_COLUMNS)
