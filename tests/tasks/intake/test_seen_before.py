"""Files already recorded are known by their content alone (``tasks/intake/seen_before.py``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from tasks.intake.drop_folder import settled_files
from tasks.intake.reading import ReadFile
from tasks.intake.seen_before import file_sha256, in_drop_order, known_kinds
from tests.factories.returns import add_file
from tests.factories.sessions import sqlite_session, utc


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def test_a_files_hash_is_that_of_its_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"PK\x03\x04 not really a workbook" * 10_000)
    [drop] = settled_files(tmp_path, 0)
    assert file_sha256(drop) == hashlib.sha256(drop.path.read_bytes()).hexdigest()


def test_known_contents_come_back_with_the_kind_they_were_recorded_as(session: Session) -> None:
    pi = add_file(session, "a.xlsx", utc(2025, 7, 8), key="a")
    broken = add_file(session, "b.xlsx", utc(2025, 7, 8), kind="unreadable", key="b")
    never = hashlib.sha256(b"never seen").hexdigest()
    assert known_kinds(session, [pi.sha256, broken.sha256, never, pi.sha256]) == {
        pi.sha256: "pi",
        broken.sha256: "unreadable",
    }
    assert known_kinds(session, []) == {}


def test_known_and_freshly_read_files_keep_the_drop_folders_order(tmp_path: Path) -> None:
    for name in ("1.xlsx", "2.xlsx", "3.xlsx", "4.xlsx"):
        (tmp_path / name).write_bytes(name.encode())
    batch = settled_files(tmp_path, 0)
    known = {
        batch[1]: ReadFile(batch[1], "b" * 64, "pi"),
        batch[2]: ReadFile(batch[2], "c" * 64, "unreadable"),
    }
    read = [ReadFile(batch[0], "a" * 64, "pi"), ReadFile(batch[3], "d" * 64, "qaf")]
    together = in_drop_order(batch, known, read)
    assert [r.drop.name for r in together] == ["1.xlsx", "2.xlsx", "3.xlsx", "4.xlsx"]
    assert [r.sha256[0] for r in together] == ["a", "b", "c", "d"]
