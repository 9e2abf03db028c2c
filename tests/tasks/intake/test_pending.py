"""Whether a run would do anything: files to take, or notices and letters still to write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, SQLModel

from tasks.intake.pending import drop_folder_state
from tests.factories.returns import add_pi
from tests.factories.sessions import utc


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A SQLite file with every table (``tests.factories.sessions`` registers them)."""
    url = f"sqlite:///{tmp_path / 'spmon.db'}"
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def _returned(database: str, written: bool) -> None:
    engine = create_engine(database)
    with Session(engine) as session:
        add_pi(
            session,
            "SV1",
            "Q1",
            utc(2025, 7, 10),
            "returned",
            notice_path="pi/PR1/n.txt",
            notice_written=written,
        )
        session.commit()
    engine.dispose()


def test_an_empty_drop_folder_is_idle(drop: Path, database: str) -> None:
    (drop / ".~lock.return.xlsx#").write_bytes(b"")
    state = drop_folder_state(drop, 0, database)
    assert state.idle
    assert state.idle_message(drop) == (
        f"nothing to ingest in {drop}: no file to take and no notice waiting; no flow run started"
    )


def test_a_settled_file_is_work(drop: Path, database: str) -> None:
    (drop / "return.xlsx").write_bytes(b"x")
    assert not drop_folder_state(drop, 0, database).idle


def test_a_file_still_being_written_is_left_and_named(drop: Path, database: str) -> None:
    (drop / "return.xlsx").write_bytes(b"x")
    state = drop_folder_state(drop, 3600, database)
    assert state.idle
    assert state.settling == 1
    assert "1 file(s) still being written" in state.idle_message(drop)


def test_a_notice_waiting_is_work_until_written(drop: Path, database: str) -> None:
    _returned(database, written=False)
    assert not drop_folder_state(drop, 0, database).idle
    assert drop_folder_state(drop, 0, database).outbox_waiting


def test_a_notice_written_is_not_work(drop: Path, database: str) -> None:
    _returned(database, written=True)
    assert drop_folder_state(drop, 0, database).idle


def test_an_old_file_is_settled(drop: Path, database: str) -> None:
    path = drop / "return.xlsx"
    path.write_bytes(b"x")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert drop_folder_state(drop, 3600, database).file_to_take
