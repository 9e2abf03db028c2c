"""Taking drop files in: size limits and unreadable files never raise (pi-rules.md, unreadable)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tasks.feedback.questionnaire import IssueTarget
from tasks.feedback.questionnaire_read import QUESTIONNAIRE
from tasks.intake.drop_folder import sha256_of
from tasks.intake.reading import PI, QAF, UNREADABLE, read_drop_file
from tests.factories.questionnaires import GOOD_RATINGS, returned_questionnaire
from tests.tasks.intake.hostile_workbooks import drop_file as drop
from tests.tasks.intake.hostile_workbooks import xlsx

MB = 1024 * 1024


def test_a_file_over_the_size_limit_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(os.urandom(2 * MB + 1))
    read = read_drop_file(drop(path), max_file_bytes=2 * MB, max_unzipped_bytes=200 * MB)
    assert read.kind == UNREADABLE
    assert read.message == "big.xlsx: the file is 2.0 MB, over the limit of 2 MB"
    assert read.sha256 == sha256_of(path.read_bytes())


@pytest.mark.parametrize(
    "body", [b"", b"garbage", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)]
)
def test_unreadable_files_are_reported_not_raised(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "PI_SV00123_2025-26_V1.xlsx"
    path.write_bytes(body)
    read = read_drop_file(drop(path), max_file_bytes=20 * MB, max_unzipped_bytes=200 * MB)
    assert read.kind == UNREADABLE
    assert read.message.startswith("PI_SV00123_2025-26_V1.xlsx: ")
    assert read.pi is None


def test_unzipped_limit_applies(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx({"Q1": {"A1": "x" * 100}}))
    read = read_drop_file(drop(path), max_file_bytes=20 * MB, max_unzipped_bytes=1000)
    assert read.kind == UNREADABLE
    assert "unpack" in read.message


def test_pi_and_qaf_are_told_apart_by_content(tmp_path: Path) -> None:
    pi = tmp_path / "anything.xlsx"
    pi.write_bytes(xlsx({"Q1": {"A1": "Unit numbers this quarter", "B1": 10}}))
    qaf = tmp_path / "PI_SV00123_2025-26_V1.xlsx"  # named like a PI file, but holds a QAF
    qaf.write_bytes(xlsx({"Summary": {"A1": "x"}}))
    read_pi = read_drop_file(drop(pi), 20 * MB, 200 * MB)
    assert read_pi.kind == PI
    assert read_pi.pi is not None
    assert [p.quarter for p in read_pi.pi.quarter_pages] == ["Q1"]
    assert read_drop_file(drop(qaf), 20 * MB, 200 * MB).kind == QAF


def test_a_questionnaire_is_told_apart_by_its_reference_cell(tmp_path: Path) -> None:
    target = IssueTarget("SV1", "Service SV1", "PR1", "ST1")
    path = tmp_path / "PI_SV00123_2025-26_V1.xlsx"  # named like a PI file, but holds a questionnaire
    returned_questionnaire(path, target, date(2025, 10, 1), GOOD_RATINGS, sheet_title="Renamed")
    read = read_drop_file(drop(path), 20 * MB, 200 * MB)
    assert (read.kind, read.pi, read.qaf) == (QUESTIONNAIRE, None, None)
    assert read.questionnaire is not None
    assert read.questionnaire.reference == "SQ-SV1-ST1-20251001"
    assert read.questionnaire.text("sq_rating_demand") == "excellent"


def test_a_questionnaire_that_lost_its_names_and_sheet_name_is_read_by_its_labels(tmp_path: Path) -> None:
    target = IssueTarget("SV1", "Service SV1", "PR1", "ST1")
    path = tmp_path / "answers.xlsx"
    returned_questionnaire(path, target, date(2025, 10, 1), GOOD_RATINGS, "Sheet1", keep_names=False)
    read = read_drop_file(drop(path), 20 * MB, 200 * MB)
    assert read.kind == QUESTIONNAIRE and read.questionnaire is not None
    assert (read.questionnaire.reference, read.questionnaire.text("sq_rating_quality")) == (
        "SQ-SV1-ST1-20251001",
        "Dont know",
    )
