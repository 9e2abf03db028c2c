"""Re-ingesting one stored file on demand: after the contract record is put right, or the size limit raised."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tasks.common.contract_records import CONTRACT_COLUMNS
from tests.corpus.build import Corpus
from tests.corpus.cases import UNKNOWN_SERVICE
from tests.corpus.contracts import contract_of
from tests.e2e.cli import Workspace, prepare_corpus, read_csv

pytestmark = pytest.mark.e2e

UNKNOWN = ("PI_SV00113_2025-26_V1_Q1.xlsx", "Q1")  # a service with no contract record
BOMB = "PI_SV00101_2025-26_V1 final.xlsx"
SUPERSEDED = "PI_SV00101_2025-26_V1.xlsx"


def _register(workspace: Workspace) -> dict[tuple[str, str], dict[str, str]]:
    out = workspace.root / "register.csv"
    workspace.run("register", "export", out)
    return {(row["source_file"], row["quarter"]): row for row in read_csv(out)}


def _ingested(corpus: Corpus, root: Path, prefect_api_url: str) -> Workspace:
    workspace = prepare_corpus(Workspace(root, corpus.programme, prefect_api_url), corpus.root, grades=False)
    workspace.run("ingest", workspace.drop)
    return workspace


def test_reingesting_files_after_fixing_their_cause(
    corpus: Corpus, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = _ingested(corpus, tmp_path, prefect_api_url)
    before = _register(workspace)
    assert (before[UNKNOWN]["status"], before[UNKNOWN]["reasons"]) == ("returned", "unknown_service")

    # The officer adds the missing contract record, then re-ingests the file.
    contracts = tmp_path / "late_contract.csv"
    with contracts.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CONTRACT_COLUMNS)
        writer.writeheader()
        writer.writerow({c: getattr(contract_of(UNKNOWN_SERVICE), c) for c in CONTRACT_COLUMNS})
    workspace.run("contracts", "import", contracts)
    result = workspace.run("ingest", "--file", UNKNOWN[0])
    assert "returns recorded: 1" in result.stdout
    after = _register(workspace)
    assert (after[UNKNOWN]["status"], after[UNKNOWN]["reasons"]) == ("accepted", "")
    assert after[UNKNOWN]["received_at"] == before[UNKNOWN]["received_at"]
    assert {k: v for k, v in after.items() if k != UNKNOWN} == {
        k: v for k, v in before.items() if k != UNKNOWN
    }

    # The zip bomb stays unreadable whatever is done; re-ingesting it changes nothing.
    assert before[(BOMB, "")]["status"] == "quarantined"
    workspace.run("ingest", "--file", BOMB)
    assert _register(workspace) == after

    missing = workspace.run("ingest", "--file", "no such file.xlsx", check=False)
    assert missing.returncode == 2
    assert "no such file.xlsx: no archived or quarantined file of that name" in missing.stderr


def test_reingesting_a_superseded_return_keeps_it_superseded(
    corpus: Corpus, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = _ingested(corpus, tmp_path, prefect_api_url)
    before = _register(workspace)
    assert before[(SUPERSEDED, "Q1")]["status"] == "superseded"
    workspace.run("ingest", "--file", SUPERSEDED)
    assert _register(workspace) == before
