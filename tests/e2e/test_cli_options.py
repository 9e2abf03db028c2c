"""Every option is checked before anything starts: exit 2 and a message naming the option, never Prefect.

``PREFECT_API_URL`` points at a closed port: a command that started a flow
would fail to reach it (exit 1) instead of saying what is wrong with its input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spmon.sample_data import demo_programme_toml
from tests.e2e.cli import Workspace

pytestmark = pytest.mark.e2e
DEAD_API = "http://127.0.0.1:9/api"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    programme = tmp_path / "programme.toml"
    programme.write_text(demo_programme_toml(["2025/26"]), encoding="utf-8")
    space = Workspace(root=tmp_path, programme=programme, prefect_api_url=DEAD_API)
    space.drop.mkdir()
    space.run("init")
    return space


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("register", "export", "out.csv", "--year", "banana"),
            "--year: 'banana' is not a year like 2025/26",
        ),
        (("register", "export", "out.csv", "--year", "2025"), "--year: '2025' is not a year like 2025/26"),
        (("register", "export", "out.csv", "--year", "2025-26"), "--year: '2025-26' is not a year like"),
        (("register", "export", "out.csv", "--year", "2025/27"), "--year: '2025/27' is not a year like"),
        (
            ("register", "export", "out.csv", "--year", "2099/00"),
            "--year: 2099/00 is not a year of the programme",
        ),
        (("qaf-register", "export", "out.csv", "--year", "2025"), "--year: '2025' is not a year like"),
        (("templates", "issue", "--year", "2030/31", "--out", "x"), "--year: 2030/31 is not a year of the"),
        (
            ("templates", "issue", "--year", "2025/26", "--out", "x", "--service", "../SV1"),
            "--service: '../SV1'",
        ),
        (("qaf", "issue", "--year", "2025/26", "--out", "x", "--provider", "PR 1"), "--provider: 'PR 1'"),
        (("ingest", "--file", "nosuch.xlsx"), "nosuch.xlsx: no archived or quarantined file of that name"),
        (("ingest", "nosuch-folder"), "drop folder not found"),
        (("reports", "monthly", "--month", "2025-13"), "--month: '2025-13' is not a month like 2025-10"),
        (("reports", "quarterly", "--year", "2025/26", "--quarter", "Q5"), "--quarter"),
        (("reports", "quarterly", "--year", "26", "--quarter", "Q1"), "--year: '26' is not a year like"),
        (("risk", "evaluate", "--as-at", "2025-02-30"), "--as-at"),
        (("risk", "export", "out.csv", "--as-at", "yesterday"), "--as-at"),
        (("deployments", "deploy", "--pool", "no good"), "--pool: 'no good' is not a work pool name"),
    ],
)
def test_a_bad_option_is_exit_2_naming_it_before_anything_starts(
    workspace: Workspace, args: tuple[str, ...], message: str
) -> None:
    result = workspace.run(*args, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_serving_without_a_server_says_which_variable_to_set(workspace: Workspace) -> None:
    result = workspace.run("deployments", "serve", check=False, PREFECT_API_URL="")
    assert result.returncode == 2
    assert "PREFECT_API_URL is not set" in result.stderr


def test_an_idle_drop_folder_starts_no_flow_run(workspace: Workspace) -> None:
    """Nothing to take and no notice waiting: said plainly, exit 0, and Prefect (a closed port) never asked."""
    (workspace.drop / "~$being edited.xlsx").write_bytes(b"lock")  # never taken
    result = workspace.run("ingest", workspace.drop)
    assert "no flow run started" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_drop_folder_with_a_file_starts_a_flow_run(workspace: Workspace) -> None:
    (workspace.drop / "return.xlsx").write_bytes(b"not a workbook")
    result = workspace.run("ingest", workspace.drop, check=False)
    assert result.returncode == 1, "a flow run should have tried the closed port"
    assert "no flow run started" not in result.stdout
