"""A run killed at any point and run again, or two runs at once, leave what one clean run leaves."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SHARED_SAMPLES
from tests.e2e.cli import Workspace, copy_corpus_drop
from tests.e2e.snapshot import picture

pytestmark = pytest.mark.e2e


def _prepared(samples: Path, root: Path, prefect_api_url: str, database_url: str | None = None) -> Workspace:
    workspace = Workspace(root, samples / "programme.toml", prefect_api_url, database_url=database_url)
    copy_corpus_drop(samples, workspace.drop)
    workspace.run("init")
    workspace.run("contracts", "import", samples / "contracts.csv")
    workspace.run("extensions", "import", samples / "extensions.csv")
    workspace.run("qaf", "grades", "import", samples / "qaf_grades_prev.csv")
    return workspace


@pytest.fixture(scope="module")
def clean_picture(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> dict:
    if not (SHARED_SAMPLES / "drop").is_dir():
        pytest.skip("../shared/samples is not beside the project")
    workspace = _prepared(SHARED_SAMPLES, tmp_path_factory.mktemp("clean"), prefect_api_url)
    workspace.run("ingest", workspace.drop)
    return picture(workspace)


def _task_finished(task_prefix: str) -> Callable[[str, Workspace], bool]:
    return lambda line, _: f"Task run '{task_prefix}" in line and "Finished" in line


def _first_file_archived(_: str, workspace: Workspace) -> bool:
    archive = workspace.data / "archive"
    return archive.exists() and any(p.is_file() for p in archive.rglob("*"))


KILL_POINTS = {
    "after reading": _task_finished("read-"),
    "after checking": _task_finished("check-"),
    "after recording, before filing": _task_finished("record-"),
    "while filing": _first_file_archived,
    "after filing, before notices": _task_finished("file-"),
}


def _kill_when(workspace: Workspace, condition: Callable[[str, Workspace], bool]) -> None:
    process = workspace.popen("ingest", workspace.drop)
    assert process.stdout is not None
    deadline = time.monotonic() + 300
    for line in process.stdout:
        if condition(line, workspace):
            process.send_signal(signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the run never reached the kill point"
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_run_then_rerun_equals_clean_run(
    point: str, samples: Path, tmp_path: Path, prefect_api_url: str, clean_picture: dict
) -> None:
    workspace = _prepared(samples, tmp_path / "killed", prefect_api_url)
    _kill_when(workspace, KILL_POINTS[point])
    workspace.run("ingest", workspace.drop)
    assert picture(workspace) == clean_picture


def test_second_run_adds_nothing(
    samples: Path, tmp_path: Path, prefect_api_url: str, clean_picture: dict
) -> None:
    workspace = _prepared(samples, tmp_path / "twice", prefect_api_url)
    workspace.run("ingest", workspace.drop)
    workspace.run("ingest", workspace.drop)
    assert picture(workspace) == clean_picture


def test_two_runs_at_once_process_each_file_once(
    samples: Path, tmp_path: Path, prefect_api_url: str, clean_picture: dict
) -> None:
    workspace = _prepared(samples, tmp_path / "concurrent", prefect_api_url)
    first, second = workspace.popen("ingest", workspace.drop), workspace.popen("ingest", workspace.drop)
    outputs = [process.communicate(timeout=600)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert picture(workspace) == clean_picture
