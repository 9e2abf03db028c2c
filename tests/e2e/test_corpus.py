"""The project-made corpus through the command line gives the registers its generator says, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.build import Corpus
from tests.corpus.cases import CASES
from tests.corpus.expected import compare, expected_qaf_register, expected_register
from tests.e2e.cli import Workspace, prepare_corpus, read_csv

pytestmark = pytest.mark.e2e


def test_corpus_registers_are_what_each_file_should_produce(
    corpus: Corpus, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = prepare_corpus(Workspace(tmp_path, corpus.programme, prefect_api_url), corpus.root)
    result = workspace.run("ingest", workspace.drop)
    assert "would unpack to" in result.stdout  # the zip bomb is caught before it is inflated
    quarantined = {p.name for p in (workspace.data / "quarantine").rglob("*") if p.is_file()}
    assert quarantined == {c.name for c in CASES if c.rows and c.rows[0].status == "quarantined"}
    workspace.run("register", "export", tmp_path / "register.csv")
    workspace.run("qaf-register", "export", tmp_path / "qaf_register.csv")
    assert compare(read_csv(tmp_path / "register.csv"), expected_register()) == []
    assert compare(read_csv(tmp_path / "qaf_register.csv"), expected_qaf_register()) == []
    # the ignored files are still in the drop folder, everything else has gone
    assert sorted(p.name for p in workspace.drop.iterdir()) == sorted(
        [
            ".~lock.PI_SV00103_2025-26_V1.xlsx#",
            "PI_SV00103_2025-26_V1.tmp",
            "PI_SV00110_2025-26_V1 Q2.xlsx.part",
            "~$PI_SV00103_2025-26_V1.xlsx",
        ]
    )
