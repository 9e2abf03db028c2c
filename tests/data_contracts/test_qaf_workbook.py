from __future__ import annotations

import csv
from pathlib import Path

import pytest

from data_contracts.qaf_workbook import (
    GRADE_RANK,
    GRADES,
    LITE_OMITS,
    OBJECTIVE_CODES,
    QAF_REGISTER_COLUMNS,
    SUMMARY_CELLS,
    assessed_objectives,
    claimed_cell_name,
    is_community_alarm,
    join_service_ids,
    levels_needed,
    qaf_file_name,
    requirements,
    requirements_of,
)

SPEC_CSV = Path(__file__).resolve().parents[3] / "shared" / "spec" / "qaf-requirements.csv"


def test_requirements_are_the_packaged_list_of_seven_objectives():
    assert len(requirements()) == 49
    assert {r.objective for r in requirements()} == set(OBJECTIVE_CODES)
    assert [r.id for r in requirements_of("C1.4")] == [
        "C1.4.C1",
        "C1.4.C2",
        "C1.4.C3",
        "C1.4.B1",
        "C1.4.B2",
        "C1.4.A1",
        "C1.4.A2",
    ]
    assert all(r.level in ("A", "B", "C") and r.text for r in requirements())


def test_packaged_requirements_match_the_spec_copy():
    if not SPEC_CSV.is_file():
        pytest.skip("../shared/spec is not beside the project")
    with SPEC_CSV.open(encoding="utf-8", newline="") as handle:
        spec = [
            (row["requirement"], row["objective"], row["level"], row["text"])
            for row in csv.DictReader(handle)
        ]
    assert [(r.id, r.objective, r.level, r.text) for r in requirements()] == spec


def test_summary_cells_follow_qaf_md():
    names = [cell.name for cell in SUMMARY_CELLS]
    assert names[:6] == [
        "qaf_year_code",
        "qaf_year",
        "qaf_provider_id",
        "qaf_provider_name",
        "qaf_service_ids",
        "qaf_form",
    ]
    assert names[6:13] == [f"qaf_claimed_c1_{n}" for n in range(1, 8)]
    assert names[13:] == ["qaf_completed_by", "qaf_date_completed"]
    labels = {cell.name: cell.label for cell in SUMMARY_CELLS}
    assert labels["qaf_claimed_c1_3"] == "Claimed grade C1.3"
    assert labels["qaf_service_ids"] == "Services covered"
    assert claimed_cell_name("C1.7") == "qaf_claimed_c1_7"


def test_grades_rank_a_above_d_and_need_evidence_up_to_the_claim():
    assert GRADES == ("A", "B", "C", "D")
    assert GRADE_RANK["A"] > GRADE_RANK["B"] > GRADE_RANK["C"] > GRADE_RANK["D"]
    assert levels_needed("D") == ()
    assert levels_needed("C") == ("C",)
    assert levels_needed("B") == ("C", "B")
    assert levels_needed("A") == ("C", "B", "A")


def test_lite_form_leaves_out_c1_1_and_c1_2():
    assert LITE_OMITS == ("C1.1", "C1.2")
    assert assessed_objectives("Lite") == ("C1.3", "C1.4", "C1.5", "C1.6", "C1.7")
    assert assessed_objectives("Full") == OBJECTIVE_CODES
    assert assessed_objectives("") == OBJECTIVE_CODES


def test_register_columns_are_those_of_interface_md():
    assert QAF_REGISTER_COLUMNS == (
        "source_file",
        "sha256",
        "received_at",
        "provider_id",
        "year",
        "service_ids",
        "form",
        "status",
        "reasons",
        "claimed_c1_1",
        "claimed_c1_2",
        "claimed_c1_3",
        "claimed_c1_4",
        "claimed_c1_5",
        "claimed_c1_6",
        "claimed_c1_7",
        "visit",
        "visit_reasons",
    )


def test_service_key_is_sorted_and_distinct():
    assert join_service_ids(["SV2", "SV1", "SV2"]) == "SV1;SV2"


def test_community_alarm_is_matched_ignoring_case_and_spaces():
    assert is_community_alarm(" community ALARM ")
    assert not is_community_alarm("Floating support")


def test_file_name_is_safe():
    assert qaf_file_name("PR0134", "2025/26", "Greystone Care Association") == (
        "QAF 2025-26 PR0134 Greystone Care Association.xlsx"
    )
    assert "/" not in qaf_file_name("PR1", "2025/26", "A/B: C?")
