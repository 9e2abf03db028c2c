from __future__ import annotations

from openpyxl import Workbook

from data_contracts.qaf_workbook import OBJECTIVES, requirements
from spmon.demo import TICKS
from tasks.qaf.read import split_service_ids
from tests.corpus.build import Corpus
from tests.corpus.expected import expected_qaf_register
from tests.corpus.qaf_cases import QAF_CASES
from tests.factories.qafs import EVIDENCE, qaf_workbook, read_content, summary

CLAIMED = [o.claimed_column for o in OBJECTIVES]


def test_corpus_workbooks_read_as_their_cases_say(corpus: Corpus):
    expected = expected_qaf_register()
    assert len(expected) == len(QAF_CASES) == 5
    for row in expected:
        content = read_content((corpus.drop / row["source_file"]).read_bytes())
        assert content.provider_id == row["provider_id"]
        assert content.year == row["year"]
        assert ";".join(content.service_ids) == row["service_ids"]
        assert content.form == row["form"]
        assert [content.claimed[o.code] for o in OBJECTIVES] == [row[c] for c in CLAIMED], row["source_file"]
        assert content.text("qaf_completed_by") == "Corpus Officer"


def test_corpus_evidence_is_read_by_requirement(corpus: Corpus):
    content = read_content((corpus.drop / "QAF 2025-26 PR0006 Open Door Support.xlsx").read_bytes())
    # Open Door ticked C1.5 and C1.6 (claimed B there: C and B requirements), and wrote words elsewhere
    ticked = [content.evidence[r.id] for r in requirements() if r.objective in ("C1.5", "C1.6")]
    assert {value for value in ticked if value is not None} <= set(TICKS)
    assert any(value in TICKS for value in ticked)
    for requirement in requirements():
        value = content.evidence[requirement.id]
        if requirement.objective in ("C1.5", "C1.6"):
            continue
        if requirement.level == "C":
            assert value is not None and len(value.split()) >= 3, requirement.id
        else:
            assert value is None, requirement.id  # a C claim needs no B or A evidence
    assert content.evidence_addresses["C1.1.C1"].startswith("C1.1!D")
    assert content.addresses["qaf_claimed_c1_4"].startswith("Summary!B")


def test_service_ids_split_on_commas_semicolons_and_spaces():
    assert split_service_ids("SV2, SV1;SV3  SV1\nSV4") == ["SV1", "SV2", "SV3", "SV4"]
    assert split_service_ids(" ; , ") == []
    assert split_service_ids(None) == []


def test_claimed_grades_are_kept_as_typed_and_trimmed():
    content = read_content(qaf_workbook(summary(claimed_c1_5="  B+ ", claimed_c1_1=None)))
    assert content.claimed["C1.5"] == "B+"
    assert content.claimed["C1.1"] == ""


def test_form_is_matched_ignoring_case():
    assert read_content(qaf_workbook(summary(form=" lite "))).form == "Lite"
    assert read_content(qaf_workbook(summary(form="Medium"))).form == "Medium"


def test_summary_found_by_label_without_defined_names():
    content = read_content(qaf_workbook(summary(provider_id="PR0042"), names=False))
    assert content.provider_id == "PR0042"
    assert content.addresses["qaf_provider_id"] == "Summary!B6"


def test_header_row_may_sit_anywhere():
    content = read_content(qaf_workbook(header_row=9))
    assert all(content.evidence[r.id] == EVIDENCE for r in requirements())
    assert content.evidence_addresses["C1.1.C1"] == "C1.1!D10"


def test_sheets_are_matched_ignoring_case_and_spaces():
    content = read_content(qaf_workbook(sheet_name=lambda code: f" {code.lower().replace('.', '. ')} "))
    assert all(content.evidence[r.id] == EVIDENCE for r in requirements())


def test_renamed_sheet_is_still_read_by_requirement_id():
    content = read_content(qaf_workbook(sheet_name=lambda code: "Safety" if code == "C1.3" else code))
    assert content.evidence["C1.3.C1"] == EVIDENCE
    assert content.evidence_addresses["C1.3.C1"] == "Safety!D3"


def test_deleted_sheet_leaves_its_evidence_blank():
    content = read_content(qaf_workbook(sheet_name=lambda code: None if code == "C1.2" else code))
    assert all(content.evidence[r.id] is None for r in requirements() if r.objective == "C1.2")
    assert content.evidence["C1.3.C1"] == EVIDENCE


def test_workbook_with_only_a_summary_reads_blank_evidence():
    content = read_content(qaf_workbook(sheet_name=lambda code: None))
    assert set(content.evidence) == {r.id for r in requirements()}
    assert all(value is None for value in content.evidence.values())


def _extra_columns(workbook: Workbook) -> None:
    sheet = workbook["C1.4"]
    sheet.insert_cols(1, 2)  # requirement table moves to columns C..F
    sheet.cell(2, 7, "Notes")
    sheet.cell(3, 7, "internal note")


def test_extra_and_moved_columns():
    content = read_content(qaf_workbook(shape=_extra_columns))
    assert content.evidence["C1.4.C1"] == EVIDENCE
    assert content.evidence_addresses["C1.4.C1"] == "C1.4!F3"


def _merged_evidence(workbook: Workbook) -> None:
    sheet = workbook["C1.5"]
    sheet["D3"] = "One survey covers both of these requirements"
    sheet["D4"] = None
    sheet.merge_cells("D3:D4")
    sheet.merge_cells("A1:D1")


def test_merged_evidence_counts_for_every_row_it_spans():
    content = read_content(qaf_workbook(shape=_merged_evidence))
    assert content.evidence["C1.5.C1"] == "One survey covers both of these requirements"
    assert content.evidence["C1.5.C2"] == "One survey covers both of these requirements"


def test_long_and_formula_like_evidence_is_read_as_text():
    long_text = "word " * 6000
    evidence = {r.id: EVIDENCE for r in requirements()}
    evidence["C1.6.C1"] = long_text
    evidence["C1.6.C2"] = '=HYPERLINK("http://example.org", "our complaints log")'
    content = read_content(qaf_workbook(evidence=evidence))
    assert content.evidence["C1.6.C1"] == long_text.strip()
    assert content.evidence["C1.6.C2"] == evidence["C1.6.C2"]


def test_a_real_formula_without_a_saved_value_reads_as_blank():
    def formula(workbook: Workbook) -> None:
        workbook["C1.6"]["D3"] = "=1+1"

    content = read_content(qaf_workbook(shape=formula))
    assert content.evidence["C1.6.C1"] in (None, "2")


def test_requirement_ids_are_matched_ignoring_case_and_spaces():
    def lower_ids(workbook: Workbook) -> None:
        workbook["C1.7"]["A3"] = " c1.7.c1 "

    content = read_content(qaf_workbook(shape=lower_ids))
    assert content.evidence["C1.7.C1"] == EVIDENCE


def test_comparable_values_change_with_evidence_and_grades():
    base = read_content(qaf_workbook()).comparable_values()
    assert read_content(qaf_workbook()).comparable_values() == base
    other_evidence = {r.id: EVIDENCE for r in requirements()} | {"C1.3.C1": "A different policy since 2024"}
    assert read_content(qaf_workbook(evidence=other_evidence)).comparable_values() != base
    assert read_content(qaf_workbook(summary(claimed_c1_3="B"))).comparable_values() != base
    assert base["qaf_date_completed"] == "2026-02-01"
