"""Re-ingesting one stored file on demand: after the contract record is put right, or the size limit raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import Workspace, copy_corpus_drop, read_csv

pytestmark = pytest.mark.e2e


def _register(workspace: Workspace) -> dict[tuple[str, str], dict[str, str]]:
    out = workspace.root / "register.csv"
    workspace.run("register", "export", out)
    return {(row["source_file"], row["quarter"]): row for row in read_csv(out)}


def test_reingesting_files_after_fixing_their_cause(
    samples: Path, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = Workspace(tmp_path, samples / "programme.toml", prefect_api_url)
    copy_corpus_drop(samples, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", samples / "contracts.csv")
    workspace.run("extensions", "import", samples / "extensions.csv")
    workspace.run("ingest", workspace.drop)
    before = _register(workspace)
    unknown = ("PI_SV49193_2025-26_V1_Q1.xlsx", "Q1")
    assert before[unknown]["reasons"] == "unknown_service"

    # The officer adds the missing contract record, then re-ingests the file.
    contracts = tmp_path / "late_contract.csv"
    lines = (samples / "contracts.csv").read_text(encoding="utf-8").splitlines()
    header, sv98059 = lines[0], next(line for line in lines if line.startswith("2025/26,SV98059"))
    record = sv98059.replace("SV98059", "SV49193").replace("Tannery Hostel", "Phoenix House")
    contracts.write_text(f"{header}\n{record}\n", encoding="utf-8")
    workspace.run("contracts", "import", contracts)
    result = workspace.run("ingest", "--file", unknown[0])
    assert "returns recorded: 1" in result.stdout
    after = _register(workspace)
    assert after[unknown]["status"] == "accepted"
    assert after[unknown]["received_at"] == before[unknown]["received_at"]
    assert {k: v for k, v in after.items() if k != unknown} == {
        k: v for k, v in before.items() if k != unknown
    }

    # The zip bomb stays unreadable whatever is done; re-ingesting it changes nothing.
    workspace.run("ingest", "--file", "PI_SV01207_2025-26_V1 final.xlsx")
    assert _register(workspace) == after

    missing = workspace.run("ingest", "--file", "no such file.xlsx", check=False)
    assert missing.returncode == 2
    assert "no such file.xlsx: no archived or quarantined file of that name" in missing.stderr


def test_reingesting_a_superseded_return_keeps_it_superseded(
    samples: Path, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = Workspace(tmp_path, samples / "programme.toml", prefect_api_url)
    copy_corpus_drop(samples, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", samples / "contracts.csv")
    workspace.run("extensions", "import", samples / "extensions.csv")
    workspace.run("ingest", workspace.drop)
    before = _register(workspace)
    workspace.run("ingest", "--file", "Chalk_SV98059_Q1_2025-26.xlsx")
    assert _register(workspace) == before
