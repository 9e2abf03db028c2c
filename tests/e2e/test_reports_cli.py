"""The reports through the command line on the project-made corpus: published, listed, the same when run again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.build import Corpus
from tests.e2e.cli import Workspace, prepare_corpus

pytestmark = pytest.mark.e2e


def _manifest(workspace: Workspace) -> list[dict]:
    return json.loads((workspace.data / "reports" / "manifest.json").read_text(encoding="utf-8"))


def _contents(entries: list[dict]) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    return {
        (e["kind"], e["period"], e["as_at"]): [(f["name"], f["sha256"]) for f in e["files"]] for e in entries
    }


def test_monthly_and_quarterly_reports_on_the_corpus(
    corpus: Corpus, tmp_path: Path, prefect_api_url: str
) -> None:
    workspace = prepare_corpus(Workspace(tmp_path, corpus.programme, prefect_api_url), corpus.root)
    workspace.run("ingest", workspace.drop)

    workspace.run("reports", "monthly", "--month", "2025-10")
    result = workspace.run("reports", "quarterly", "--year", "2025/26", "--quarter", "Q2")
    assert "index.html" in result.stdout
    first = _contents(_manifest(workspace))
    kinds = {kind for kind, _, _ in first}
    assert {"contracts-update", "meeting-schedule", "returns-status"} <= kinds
    assert {"pi-management", "late-returns", "national-extract", "packs"} <= kinds
    reports = workspace.data / "reports"
    assert (reports / "index.html").is_file()
    for entry in _manifest(workspace):
        paths = [f["path"] for f in entry["files"]]
        assert any(p.endswith(".xlsx") for p in paths) and any(p.endswith(".html") for p in paths), entry
        for path in paths:
            assert (reports / path).is_file()
    leftovers = [p.name for p in reports.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert leftovers == [".publish.lock"]  # no half-written file
    extract = next(e for e in _manifest(workspace) if e["kind"] == "national-extract")
    assert any(f["name"].endswith(".csv") for f in extract["files"])

    # The same period, as-at date and data give the same content.
    workspace.run("reports", "monthly", "--month", "2025-10")
    workspace.run("reports", "quarterly", "--year", "2025/26", "--quarter", "Q2")
    assert _contents(_manifest(workspace)) == first


def test_bad_report_periods_are_bad_usage(corpus: Corpus, tmp_path: Path, prefect_api_url: str) -> None:
    workspace = Workspace(tmp_path, corpus.programme, prefect_api_url)
    workspace.run("init")
    for args, message in (
        (("reports", "monthly", "--month", "October"), "--month: 'October' is not a month like 2025-10"),
        (
            ("reports", "quarterly", "--year", "2031/32", "--quarter", "Q1"),
            "--year: 2031/32 is not a year of the programme file",
        ),
        (
            ("reports", "quarterly", "--year", "2025/26", "--quarter", "Q5"),
            "--quarter: 'Q5' is not a quarter",
        ),
    ):
        result = workspace.run(*args, check=False)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
