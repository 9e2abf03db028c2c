"""The bench's questionnaire recipe at one block of ten services (nothing timed)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.ingest_files import bench_contracts
from bench.questionnaire_files import (
    ISSUED,
    SENT_AGAIN_AFTER,
    answers,
    expected_adverse,
    expected_statuses,
    returned_questionnaires,
)
from data_contracts.questionnaire_workbook import reference
from tasks.intake.drop_folder import settled_files
from tasks.intake.reading import read_drop_file
from tests.bench.conftest import SERVICES

LIMITS = (20 * 1024 * 1024, 200 * 1024 * 1024)


def test_a_block_of_ten_has_six_questionnaire_files_with_their_outcomes() -> None:
    assert expected_statuses(SERVICES) == Counter(received=4, incomplete=1, duplicate=1)
    assert expected_adverse(SERVICES) == 1
    assert expected_statuses(2 * SERVICES) == Counter(received=8, incomplete=2, duplicate=2)


def test_questionnaires_arrive_among_the_pi_workbooks(folder: Path) -> None:
    arrived = [drop.name[:2] for drop in settled_files(folder, 0)]
    assert arrived.count("SQ") == 6
    first, last = arrived.index("SQ"), len(arrived) - 1 - arrived[::-1].index("SQ")
    assert "PI" in arrived[first:last]  # interleaved, not all at one end
    again = [name for name in map(str, folder.glob("SQ_*")) if name.endswith(" sent again.xlsx")]
    assert len(again) == 1


def test_a_filled_workbook_reads_back_as_what_was_written(folder: Path) -> None:
    drops = {drop.name: drop for drop in settled_files(folder, 0)}
    for returned in returned_questionnaires(SERVICES):
        contract = bench_contracts(SERVICES)[returned.service]
        drop = drops[returned.file_name(contract.service_id)]
        read = read_drop_file(drop, *LIMITS)
        assert read.questionnaire is not None, read.message
        values = read.questionnaire.values
        first = drop.received_at - (SENT_AGAIN_AFTER if returned.sent_again else timedelta(0))
        written = answers(returned, first.date())  # a copy sent again is dated as the first
        assert {name: values[name] for name in written} == {
            name: value or None for name, value in written.items()
        }
        assert values["sq_reference"] == reference(contract.service_id, returned.stakeholder_id, ISSUED)
        assert read.questionnaire.problems == {}
