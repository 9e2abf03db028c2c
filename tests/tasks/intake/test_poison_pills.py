"""Poison pills: a file a whole run died reading is read again alone, then quarantined if it stops the reader again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.intake import reading as intake
from tasks.intake.poison import ReadingMarks
from tasks.intake.reading import PI, QAF, STOPPED_READER, UNREADABLE, read_drop_files
from tests.tasks.intake.hostile_workbooks import (
    FAST,
    LIMIT,
    MB,
    ROOT,
    drop_file,
    drop_files,
)
from tests.tasks.intake.stand_in_readers import (
    aborting_reader,
)

# --- poison pills: a file a whole run died reading ----------------------------------------------


def test_a_file_a_run_died_reading_is_read_again_alone_and_accepted_when_it_reads(tmp_path: Path) -> None:
    """A run stopped while reading (by an operator, say) and run again reads the file as normal."""
    files = drop_files(tmp_path / "drop", ["a.xlsx", "b.xlsx", "c.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[1])
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [PI, PI, PI]
    assert not list(marks.folder.iterdir())


def test_a_file_a_run_died_reading_that_stops_the_reader_again_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    files = drop_files(tmp_path / "drop", ["a.xlsx", "abort.xlsx", "c.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[1])
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [PI, UNREADABLE, PI]
    assert STOPPED_READER in read[1].message
    assert not list(marks.folder.iterdir())


def test_a_file_that_already_stopped_a_second_read_is_quarantined_without_reading(tmp_path: Path) -> None:
    files = drop_files(tmp_path / "drop", ["a.xlsx", "b.xlsx"])
    marks = ReadingMarks(tmp_path / "marks")
    marks.leave(files[0], attempt=2)
    read = read_drop_files(files, 20 * MB, LIMIT, marks.folder, FAST)
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert read[0].message == f"a.xlsx: {STOPPED_READER} (a run died while reading it, twice)"
    assert not list(marks.folder.iterdir())


KILLED_RUN = """
import sys
from pathlib import Path
from tasks.intake import reading as intake
from tasks.intake.drop_folder import settled_files
from tests.tasks.intake import stand_in_readers as here

if __name__ == "__main__":
    intake.read_drop_file = here.run_killing_reader
    drop, marks = Path(sys.argv[1]), Path(sys.argv[2])
    intake.read_drop_files(settled_files(drop, 0), 20 * 2**20, 200 * 2**20, marks)
"""


@pytest.mark.parametrize("again", ["reads", "aborts"])
def test_a_run_killed_while_reading_a_file_is_followed_by_one_that_goes_through(
    again: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = drop_files(tmp_path / "drop", ["a.xlsx", "abort.xlsx", "c.xlsx"])
    marks = tmp_path / "marks"
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "drop"), str(marks)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        start_new_session=True,
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()[-2000:]
    assert {d: m.attempt for d, m in ReadingMarks(marks).left_behind(files).items()} == {files[1]: 1}

    if again == "aborts":
        monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    read = read_drop_files(files, 20 * MB, LIMIT, marks, FAST)
    expected = [PI, PI, PI] if again == "reads" else [PI, UNREADABLE, PI]
    assert [r.kind for r in read] == expected
    if again == "aborts":
        assert read[1].message.startswith(f"abort.xlsx: {STOPPED_READER}")
    assert not list(marks.iterdir())


def test_qaf_and_pi_still_read_through_the_reader_process(tmp_path: Path) -> None:
    from tests.factories.qafs import qaf_workbook

    (tmp_path / "qaf.xlsx").write_bytes(qaf_workbook())
    files = [*drop_files(tmp_path, ["pi.xlsx"])]
    files.append(drop_file(tmp_path / "qaf.xlsx"))
    read = read_drop_files(files, 20 * MB, LIMIT)
    assert [r.kind for r in read] == [PI, QAF]
    assert read[1].qaf is not None and read[1].qaf.provider_id
