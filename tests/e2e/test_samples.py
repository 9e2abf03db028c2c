"""The shared sample returns through the command line reproduce both expected registers exactly.

An extra check where the shared acceptance corpus sits beside the project (CI): these are the only
tests that need it, and they skip, saying so, without it. Everything else runs on the project-made
corpus (``tests/corpus``; its own register check is ``test_corpus.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import Workspace, copy_corpus_drop, read_csv

pytestmark = pytest.mark.e2e


def _ingest_samples(samples: Path, workspace: Workspace) -> None:
    copy_corpus_drop(samples, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", samples / "contracts.csv")
    workspace.run("extensions", "import", samples / "extensions.csv")
    workspace.run("qaf", "grades", "import", samples / "qaf_grades_prev.csv")
    workspace.run("ingest", workspace.drop)


def _assert_registers_match(samples: Path, workspace: Workspace) -> None:
    out = workspace.root / "register.csv"
    workspace.run("register", "export", out)
    expected, actual = read_csv(samples / "expected" / "register.csv"), read_csv(out)
    assert list(actual[0].keys()) == list(expected[0].keys())
    assert [(r["source_file"], r["quarter"]) for r in actual] == [
        (r["source_file"], r["quarter"]) for r in expected
    ]
    for want, got in zip(expected, actual, strict=True):
        assert got == want, f"row {want['source_file']} {want['quarter']}"


def test_samples_on_sqlite(samples: Path, tmp_path: Path, prefect_api_url: str) -> None:
    workspace = Workspace(tmp_path, samples / "programme.toml", prefect_api_url)
    _ingest_samples(samples, workspace)
    _assert_registers_match(samples, workspace)


@pytest.mark.postgres
def test_samples_on_postgres(samples: Path, tmp_path: Path, prefect_api_url: str, postgres_url: str) -> None:
    workspace = Workspace(tmp_path, samples / "programme.toml", prefect_api_url, database_url=postgres_url)
    _ingest_samples(samples, workspace)
    _assert_registers_match(samples, workspace)
