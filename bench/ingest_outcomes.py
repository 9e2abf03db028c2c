"""What the ingestion of every bench file must have recorded, so the bench never times failures.

After the run over all of a size's files the workspace's registers are
exported with ``spmon`` (``register export``, ``feedback register export``)
and counted by status: the PI returns as ``bench/ingest_files.py`` makes them
(in every ten services 18 accepted, 1 returned, 1 superseded), the
questionnaire replies as ``bench/questionnaire_files.py`` does (4 received,
1 of them adverse, 1 incomplete, 1 duplicate). Anything else stops the bench,
naming what differs.
"""

from __future__ import annotations

import csv
from collections import Counter

from bench.ingest_files import YEAR, BenchFiles, expected_pi_statuses
from bench.questionnaire_files import expected_adverse, expected_statuses
from bench.spmon_runs import Workspace

_TRUE = ("true", "yes", "1")


def exported_rows(workspace: Workspace, *command: str) -> list[dict[str, str]]:
    """The rows of one of spmon's CSV exports of the workspace (``command`` up to the file)."""
    out = workspace.root / f"{'-'.join(command)}.csv"
    workspace.run(*command, out, *(("--year", YEAR) if command == ("register", "export") else ()))
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def recorded_outcomes(workspace: Workspace) -> dict[str, Counter[str]]:
    """The PI returns and questionnaire replies recorded, by status (and adverse replies)."""
    returns = exported_rows(workspace, "register", "export")
    replies = exported_rows(workspace, "feedback", "register", "export")
    adverse = sum(row["adverse"].strip().casefold() in _TRUE for row in replies)
    return {
        "pi": Counter(row["status"] for row in returns),
        "questionnaires": Counter(row["status"] for row in replies) + Counter({"adverse": adverse}),
    }


def expected_outcomes(files: BenchFiles) -> dict[str, Counter[str]]:
    """What the recipes say the ingestion of every file records."""
    replies = expected_statuses(files.services) + Counter({"adverse": expected_adverse(files.services)})
    return {"pi": expected_pi_statuses(files.services), "questionnaires": replies}


def check_outcomes(workspace: Workspace, files: BenchFiles) -> dict[str, dict[str, int]]:
    """The outcomes recorded, when they are the expected ones; otherwise the bench stops."""
    found, expected = recorded_outcomes(workspace), expected_outcomes(files)
    problems = outcome_problems(found, expected)
    if problems:
        raise SystemExit(f"the run recorded {'; '.join(problems)}; see {workspace.log}")
    return {kind: dict(counts) for kind, counts in found.items()}


def outcome_problems(found: dict[str, Counter[str]], expected: dict[str, Counter[str]]) -> list[str]:
    """What differs, kind by kind (for the message)."""
    return [
        f"{kind}: {dict(found[kind])}, not {dict(expected[kind])}"
        for kind in expected
        if found[kind] != expected[kind]
    ]
