"""One block of ten services of the bench's drop folder, made once for the bench's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.ingest_files import write_bench_file
from bench.questionnaire_files import returned_questionnaires

SERVICES = 10  # one block of the recipes: 20 PI workbooks and 6 questionnaires


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drop folder of ten services, made with the bench's own recipes."""
    made = tmp_path_factory.mktemp("bench-files")
    for number in range(2 * SERVICES + len(returned_questionnaires(SERVICES))):
        write_bench_file(made, SERVICES, number)
    return made
