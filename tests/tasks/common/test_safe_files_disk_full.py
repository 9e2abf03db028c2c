"""Nothing is lost, whatever the disk does (tasks.common.safe_files, tasks.intake.drop_folder.move_unchanged).

A full or read-only archive stops the move with a SystemFailure naming the
folder and the error in words; the original stays in the drop folder until a
complete, verified copy is in place, and a partial copy left by an earlier
failure is never taken for a finished one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from foundation.errors import SystemFailure
from tasks.common import safe_files
from tasks.common.safe_files import PARTIAL_SUFFIX, write_text_atomically
from tasks.intake.drop_folder import move_unchanged, stored_path
from tests.small_disk import small_disk

FILE_BYTES = 96 * 1024
_REAL_COPY = shutil.copyfileobj


def _drop(folder: Path, count: int) -> dict[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for index in range(count):
        data = os.urandom(FILE_BYTES)
        path = folder / f"PI_SV{index:05d}_2025-26_V1.xlsx"
        path.write_bytes(data)
        os.utime(path, (1_750_000_000 + index, 1_750_000_000 + index))
        files[path] = data
    return files


def _target(archive: Path, data: bytes, source: Path) -> Path:
    return stored_path(archive, hashlib.sha256(data).hexdigest(), source.name)


def _move_all(files: dict[Path, bytes], archive: Path) -> list[str]:
    """Move every file that is still in the drop folder; the failures' messages."""
    failures = []
    for source, data in files.items():
        if source.exists():
            try:
                move_unchanged(source, _target(archive, data, source))
            except SystemFailure as failure:
                failures.append(str(failure))
    return failures


def _nothing_lost(files: dict[Path, bytes], archive: Path) -> None:
    """Every original is in the drop folder or complete in the archive; no partial copy has a final name."""
    for source, data in files.items():
        target = _target(archive, data, source)
        in_archive = target.is_file() and target.read_bytes() == data
        assert source.exists() or in_archive, f"{source.name} is lost"
        if target.exists():
            assert target.read_bytes() == data, f"{target} is a partial copy under its final name"
    assert not list(archive.rglob(f"*{PARTIAL_SUFFIX}"))


def _copy_half_then_fill(reader: Any, writer: Any, length: int = 0) -> None:
    writer.write(reader.read(FILE_BYTES // 2))
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def across_file_systems(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every move a copy, as it is when the archive is on another disk."""
    monkeypatch.setattr(safe_files, "same_file_system", lambda first, second: False)


def test_a_copy_that_fills_the_disk_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, across_file_systems: None
) -> None:
    files = _drop(tmp_path / "drop", 3)
    archive = tmp_path / "archive"
    monkeypatch.setattr(safe_files.shutil, "copyfileobj", _copy_half_then_fill)
    failures = _move_all(files, archive)
    assert len(failures) == 3
    assert f"cannot file PI_SV00000_2025-26_V1.xlsx in {archive}" in failures[0]
    assert "No space left on device (ENOSPC)" in failures[0]
    assert all(source.exists() for source in files)
    _nothing_lost(files, archive)
    monkeypatch.setattr(safe_files.shutil, "copyfileobj", _REAL_COPY)  # space is freed
    assert _move_all(files, archive) == []
    assert not any(source.exists() for source in files)
    _nothing_lost(files, archive)


def test_a_partial_target_from_an_earlier_failure_is_replaced(
    tmp_path: Path, across_file_systems: None
) -> None:
    (source, data), *_ = _drop(tmp_path / "drop", 1).items()
    target = _target(tmp_path / "archive", data, source)
    target.parent.mkdir(parents=True)
    target.write_bytes(data[:12_288])  # what an older spmon left when the disk filled
    move_unchanged(source, target)
    assert target.read_bytes() == data and not source.exists()
    assert target.stat().st_mtime == 1_750_000_000


def test_a_complete_target_is_kept_and_the_source_removed(tmp_path: Path, across_file_systems: None) -> None:
    (source, data), *_ = _drop(tmp_path / "drop", 1).items()
    target = _target(tmp_path / "archive", data, source)
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    move_unchanged(source, target)
    assert target.read_bytes() == data and not source.exists()


def test_a_copy_that_does_not_match_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, across_file_systems: None
) -> None:
    (source, data), *_ = _drop(tmp_path / "drop", 1).items()
    target = _target(tmp_path / "archive", data, source)
    monkeypatch.setattr(safe_files, "is_complete_copy", lambda path, size, sha256: False)
    with pytest.raises(SystemFailure, match="does not match the original"):
        move_unchanged(source, target)
    assert source.read_bytes() == data and not target.exists()


def test_a_full_archive_disk_loses_nothing_and_the_next_run_completes(tmp_path: Path) -> None:
    files = _drop(tmp_path / "drop", 8)
    with small_disk(tmp_path / "archive", "400k") as disk:
        failures = _move_all(files, disk.path)
        assert failures, "the small disk should have filled"
        assert "No space left on device" in failures[0] and str(disk.path) in failures[0]
        _nothing_lost(files, disk.path)
        disk.remount("size=4m")  # space is freed
        assert _move_all(files, disk.path) == []
        assert not any(source.exists() for source in files)
        _nothing_lost(files, disk.path)


def test_a_read_only_archive_is_a_clear_failure(tmp_path: Path) -> None:
    files = _drop(tmp_path / "drop", 1)
    with small_disk(tmp_path / "archive", "1m") as disk:
        disk.remount("ro")
        (failure,) = _move_all(files, disk.path)
        assert f"in {disk.path}" in failure and "Read-only file system (EROFS)" in failure
        assert all(source.read_bytes() == data for source, data in files.items())


def test_a_full_outbox_is_a_clear_failure_and_leaves_no_half_notice(tmp_path: Path) -> None:
    with small_disk(tmp_path / "outbox", "64k") as disk:
        notice = disk.path / "pi" / "PR0042" / "notice.txt"
        with pytest.raises(SystemFailure, match=r"No space left on device \(ENOSPC\)") as raised:
            write_text_atomically(notice, "x" * 200_000)
        assert str(notice.parent) in str(raised.value)
        assert not notice.exists()
        assert not [p for p in disk.path.rglob("*") if p.is_file()]


def test_a_read_only_outbox_is_a_clear_failure(tmp_path: Path) -> None:
    with small_disk(tmp_path / "outbox", "64k") as disk:
        disk.remount("ro")
        with pytest.raises(SystemFailure, match="Read-only file system"):
            write_text_atomically(disk.path / "pi" / "notice.txt", "text")


def test_within_one_file_system_a_partial_target_is_replaced_by_the_rename(tmp_path: Path) -> None:
    (source, data), *_ = _drop(tmp_path / "drop", 1).items()
    target = _target(tmp_path / "archive", data, source)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"")  # a 0-byte copy left by an older spmon
    move_unchanged(source, target)
    assert target.read_bytes() == data and not source.exists()
    assert target.stat().st_mtime == 1_750_000_000
