"""The drop folder: ignored names, the settle rule and the processing order (interface.md)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tasks.intake.drop_folder import (
    DropFile,
    is_ignored,
    move_unchanged,
    settled_files,
    sha256_of,
    still_same,
    stored_path,
)

NOW = datetime(2025, 10, 14, 9, 30, tzinfo=UTC)


def put(folder: Path, name: str, at: datetime, body: bytes = b"x") -> Path:
    path = folder / name
    path.write_bytes(body)
    stamp = at.timestamp()
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize(
    "name",
    [
        "~$PI_SV00123_2025-26_V1.xlsx",
        ".~lock.PI_SV00123_2025-26_V1.xlsx#",
        ".hidden.xlsx",
        ".DS_Store",
        "PI_SV00123.xlsx.tmp",
        "PI_SV00123.xlsx.part",
        "PI_SV00123.XLSX.TMP",
        "download.PART",
    ],
)
def test_ignored_names(name: str) -> None:
    assert is_ignored(name)


@pytest.mark.parametrize(
    "name",
    [
        "PI_SV00123_2025-26_V1.xlsx",
        "PI~$.xlsx",
        "tmp.xlsx",
        "part.xlsx",
        "PI.partial.xlsx",
        "report.tmp.xlsx",
        "a.lock",
    ],
)
def test_taken_names(name: str) -> None:
    assert not is_ignored(name)


def test_ignored_files_are_never_taken(tmp_path: Path) -> None:
    old = NOW - timedelta(hours=1)
    for name in ("~$a.xlsx", ".~lock.a.xlsx#", ".a.xlsx", "a.xlsx.tmp", "a.xlsx.part", "a.xlsx"):
        put(tmp_path, name, old)
    assert [f.name for f in settled_files(tmp_path, 0, now=NOW)] == ["a.xlsx"]


def test_folders_are_not_taken(tmp_path: Path) -> None:
    (tmp_path / "sub.xlsx").mkdir()
    put(tmp_path, "a.xlsx", NOW - timedelta(hours=1))
    assert [f.name for f in settled_files(tmp_path, 0, now=NOW)] == ["a.xlsx"]


def test_settle_rule(tmp_path: Path) -> None:
    put(tmp_path, "fresh.xlsx", NOW - timedelta(seconds=10))
    put(tmp_path, "just.xlsx", NOW - timedelta(seconds=30))
    put(tmp_path, "old.xlsx", NOW - timedelta(minutes=5))
    put(tmp_path, "future.xlsx", NOW + timedelta(minutes=5))
    assert sorted(f.name for f in settled_files(tmp_path, 30, now=NOW)) == ["just.xlsx", "old.xlsx"]


def test_settle_zero_takes_every_file_whatever_its_time(tmp_path: Path) -> None:
    put(tmp_path, "fresh.xlsx", NOW)
    put(tmp_path, "future.xlsx", NOW + timedelta(days=1))
    put(tmp_path, "old.xlsx", NOW - timedelta(days=1))
    assert [f.name for f in settled_files(tmp_path, 0, now=NOW)] == ["old.xlsx", "fresh.xlsx", "future.xlsx"]


def test_order_by_received_time_then_name_in_code_point_order(tmp_path: Path) -> None:
    same = NOW - timedelta(hours=1)
    for name in ("b.xlsx", "a.xlsx", "B.xlsx", "Z.xlsx", "é.xlsx", "_.xlsx", "1.xlsx"):
        put(tmp_path, name, same)
    put(tmp_path, "zz-earlier.xlsx", same - timedelta(seconds=1))
    put(tmp_path, "AA-later.xlsx", same + timedelta(seconds=1))
    names = [f.name for f in settled_files(tmp_path, 0, now=NOW)]
    assert names == [
        "zz-earlier.xlsx",
        "1.xlsx",
        "B.xlsx",
        "Z.xlsx",
        "_.xlsx",
        "a.xlsx",
        "b.xlsx",
        "é.xlsx",
        "AA-later.xlsx",
    ]


def test_received_time_is_the_modification_time_in_utc(tmp_path: Path) -> None:
    at = datetime(2025, 7, 21, 23, 30, 15, tzinfo=UTC)
    put(tmp_path, "a.xlsx", at, b"12345")
    [drop] = settled_files(tmp_path, 0, now=NOW)
    assert drop.received_at == at
    assert drop.received_at.tzinfo is UTC
    assert drop.size == 5


def test_still_same(tmp_path: Path) -> None:
    path = put(tmp_path, "a.xlsx", NOW, b"one")
    [drop] = settled_files(tmp_path, 0, now=NOW)
    assert still_same(drop)
    put(tmp_path, "a.xlsx", NOW + timedelta(seconds=2), b"three")
    assert not still_same(drop)
    path.unlink()
    assert not still_same(drop)
    assert not still_same(DropFile(tmp_path / "never.xlsx", 1, 0))


def test_sha256_and_stored_path(tmp_path: Path) -> None:
    digest = sha256_of(b"")
    assert digest == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert stored_path(tmp_path, digest, "a.xlsx") == tmp_path / "e3" / digest / "a.xlsx"


def test_move_unchanged_keeps_bytes_and_time(tmp_path: Path) -> None:
    source = put(tmp_path, "a.xlsx", NOW - timedelta(days=3), b"body")
    target = tmp_path / "archive" / "ab" / "a.xlsx"
    move_unchanged(source, target)
    assert not source.exists()
    assert target.read_bytes() == b"body"
    assert target.stat().st_mtime == (NOW - timedelta(days=3)).timestamp()


def test_move_unchanged_keeps_an_existing_target(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    target = put(tmp_path / "archive", "a.xlsx", NOW, b"kept")
    source = put(tmp_path, "a.xlsx", NOW, b"kept")
    move_unchanged(source, target)
    assert not source.exists()
    assert target.read_bytes() == b"kept"


def test_a_name_that_is_not_utf8_is_renamed_readably_keeping_bytes_and_time(tmp_path: Path) -> None:
    first, second = (tmp_path / os.fsdecode(raw) for raw in (b"PI_\xff.xlsx", b"PI_\xfe.xlsx"))
    taken = tmp_path / "PI_\ufffd.xlsx"  # the readable name is taken already
    for path, data in ((first, b"first"), (second, b"second"), (taken, b"taken")):
        path.write_bytes(data)
        os.utime(path, (1_750_000_000, 1_750_000_000))
    files = settled_files(tmp_path, settle_seconds=0)
    names = sorted(f.name for f in files)
    assert len(names) == 3 and all(name.encode("utf-8") for name in names)
    renamed = [f for f in files if f.path != taken]
    assert sorted(f.path.read_bytes() for f in renamed) == [b"first", b"second"]
    assert all(f.mtime_ns == 1_750_000_000 * 10**9 for f in files)
    assert taken.read_bytes() == b"taken"
