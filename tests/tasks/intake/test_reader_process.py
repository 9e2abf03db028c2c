"""Files that abort, hang or exhaust the reader stop only the reader process, and only that file is unreadable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tasks.intake import reading as intake
from tasks.intake.reader_process import ReaderLimits, Stopped, run_contained
from tasks.intake.reading import PI, STOPPED_READER, UNREADABLE, read_drop_files
from tasks.intake.workbook_reader import UnreadableWorkbook, read_workbook
from tests.tasks.intake.hostile_workbooks import (
    FAST,
    LIMIT,
    MB,
    drop_file,
    drop_files,
    sheet_with_row,
    units,
)
from tests.tasks.intake.stand_in_readers import (
    abort_on_negative,
    aborting_reader,
    greedy_reader,
    hanging_reader,
    once_aborting_reader,
)


def test_a_native_abort_makes_only_that_file_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", aborting_reader)
    files = drop_files(tmp_path, ["a.xlsx", "abort.xlsx", "b.xlsx", "c.xlsx"])
    read = read_drop_files(files, 20 * MB, LIMIT, limits=FAST)
    assert [r.kind for r in read] == [PI, UNREADABLE, PI, PI]
    assert [units(read[i]) for i in (0, 2, 3)] == [0, 2, 3]
    assert read[1].message.startswith(f"abort.xlsx: {STOPPED_READER} (the reader aborted on it")
    assert "SIGABRT" in read[1].message
    assert read[1].sha256 == intake.sha256_of(files[1].path.read_bytes())


def test_a_file_that_hangs_the_reader_is_stopped_after_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", hanging_reader)
    files = drop_files(tmp_path, ["a.xlsx", "hang.xlsx", "b.xlsx"])
    started = time.monotonic()
    read = read_drop_files(files, 20 * MB, LIMIT, limits=ReaderLimits(seconds_per_item=1))
    assert [r.kind for r in read] == [PI, UNREADABLE, PI]
    assert "reading it took more than 1 seconds" in read[1].message
    assert time.monotonic() - started < 30


def test_a_file_that_needs_too_much_memory_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", greedy_reader)
    read = read_drop_files(drop_files(tmp_path, ["greedy.xlsx", "a.xlsx"]), 20 * MB, LIMIT, limits=FAST)
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert "needed more than 512 MB of memory" in read[0].message


def test_a_death_that_was_not_the_files_fault_is_not_blamed_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "read_drop_file", once_aborting_reader)
    read = read_drop_files(
        drop_files(tmp_path, ["a.xlsx", "abort.xlsx", "b.xlsx"]), 20 * MB, LIMIT, limits=FAST
    )
    assert [r.kind for r in read] == [PI, PI, PI]


def test_rows_without_references_are_counted() -> None:
    """Calamine numbers rows and cells without a reference by counting them."""
    with pytest.raises(UnreadableWorkbook, match="has 5,002 rows"):
        read_workbook(sheet_with_row(b"<row/>" * 5001), LIMIT)
    with pytest.raises(UnreadableWorkbook, match="500,003 cells"):
        read_workbook(sheet_with_row(b"<row>" + b"<c><v>1</v></c>" * 500_001 + b"</row>"), LIMIT)


def test_a_real_workbook_that_makes_calamine_abort_is_contained(tmp_path: Path) -> None:
    """Two million prefixed rows without numbers and a row of 300 cells, which the tag count does not see:
    calamine asks for a grid of 600 million cells and aborts, in the reader process."""
    rows = b"<x:row/>" * 2_000_000 + b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"
    path = tmp_path / "calamine.xlsx"
    path.write_bytes(sheet_with_row(rows))
    good = drop_files(tmp_path, ["good.xlsx"])
    read = read_drop_files([drop_file(path), *good], 20 * MB, LIMIT, limits=FAST)
    assert [r.kind for r in read] == [UNREADABLE, PI]
    assert STOPPED_READER in read[0].message or "the reader failed on it (MemoryError" in read[0].message


def test_a_file_that_vanished_is_a_failure_of_the_run_not_of_the_file(tmp_path: Path) -> None:
    [missing] = drop_files(tmp_path, ["gone.xlsx"])
    missing.path.unlink()
    with pytest.raises(FileNotFoundError):
        read_drop_files([missing], 20 * MB, LIMIT)


def test_run_contained_keeps_order_and_restarts_after_each_death() -> None:
    items = [1, -1, 2, -1, 3]
    assert run_contained(items, abort_on_negative, FAST) == [
        1,
        Stopped(
            "the reader aborted on it (typically it could not get the memory it asked for); signal SIGABRT"
        ),
        2,
        Stopped(
            "the reader aborted on it (typically it could not get the memory it asked for); signal SIGABRT"
        ),
        3,
    ]
