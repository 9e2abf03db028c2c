"""A run killed at any point and run again, or two runs at once, leave what one clean run leaves.

On the project-made corpus (``tests/corpus``): every kind of file, PI and QAF, a zip bomb included.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.corpus.build import Corpus
from tests.corpus.cases import CASES
from tests.corpus.qaf_cases import QAF_CASES
from tests.e2e.cli import Workspace, prepare_corpus
from tests.e2e.snapshot import picture

pytestmark = pytest.mark.e2e


def _prepared(corpus: Corpus, root: Path, prefect_api_url: str) -> Workspace:
    return prepare_corpus(Workspace(root, corpus.programme, prefect_api_url), corpus.root)


@pytest.fixture
def workspace(corpus: Corpus, tmp_path: Path, prefect_api_url: str) -> Workspace:
    """The corpus in a fresh drop folder, its contracts imported, for the test's own runs."""
    return _prepared(corpus, tmp_path / "workspace", prefect_api_url)


@pytest.fixture(scope="module")
def clean_picture(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str, corpus: Corpus) -> dict:
    workspace = _prepared(corpus, tmp_path_factory.mktemp("clean"), prefect_api_url)
    workspace.run("ingest", workspace.drop)
    found = picture(workspace)
    # the clean run itself is what the corpus says: every file taken but the ignored ones
    ignored = {c.name for c in CASES if c.make == "junk"}
    assert set(found["folders"]["drop"]) == ignored
    taken = len(CASES) + len(QAF_CASES) - len(ignored)
    stored = found["folders"]["archive"] + found["folders"]["quarantine"]
    assert len(stored) == taken
    # the byte-identical copy is filed beside the file it copies (same content, same folder)
    copy = next(c for c in CASES if c.make == "copy")
    folders = {Path(p).name: str(Path(p).parent) for p in stored}
    assert folders[copy.name] == folders[copy.extra["of"]]
    assert len(found["db"]["qaf_returns"]) == len(QAF_CASES)
    assert found["notices"], "no notice for the returned returns"
    return found


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
    point: str, workspace: Workspace, clean_picture: dict
) -> None:
    _kill_when(workspace, KILL_POINTS[point])
    workspace.run("ingest", workspace.drop)
    assert picture(workspace) == clean_picture


def test_second_run_adds_nothing(workspace: Workspace, clean_picture: dict) -> None:
    workspace.run("ingest", workspace.drop)
    workspace.run("ingest", workspace.drop)
    assert picture(workspace) == clean_picture


def test_two_runs_at_once_process_each_file_once(workspace: Workspace, clean_picture: dict) -> None:
    first, second = workspace.popen("ingest", workspace.drop), workspace.popen("ingest", workspace.drop)
    outputs = [process.communicate(timeout=600)[0] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert picture(workspace) == clean_picture
