"""Provider text never chooses where spmon writes (tasks.common.safe_paths, and the outbox writers using it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from data_contracts.tables import PiReturn
from tasks.common.safe_paths import file_name, inside, is_plain, path_part
from tasks.contract_management.chasing import reminder_path
from tasks.outbox.pi_notices import write_pending_notices

HOSTILE = [
    "SV" + "9" * 298,
    "SV00101\x00",
    "SV00101\ufffd",
    "../../../etc/passwd",
    "..",
    ".",
    "",
    "a/b",
    "C:\\Windows\\system32",
    "~root",
    "-rf",
    " SV00101 ",
    "SV00101\n",
]


@pytest.mark.parametrize("text", ["SV00123", "PR0042", "2025-26", "QAF_2025-26_ab12cd34ef56"])
def test_plain_ids_are_kept(text: str) -> None:
    assert is_plain(text)
    assert path_part(text) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_becomes_a_short_safe_name(text: str) -> None:
    part = path_part(text, "unknown-service")
    assert part not in {"", ".", ".."}
    assert "/" not in part and "\\" not in part and "\x00" not in part
    assert len(part.encode()) <= 100
    assert is_plain(part)


def test_different_hostile_texts_never_share_a_name() -> None:
    parts = {path_part(text) for text in HOSTILE}
    assert len(parts) == len(HOSTILE)


def test_file_name_keeps_the_suffix() -> None:
    assert file_name("PR0042", ".txt") == "PR0042.txt"
    assert file_name("../x", ".txt").endswith(".txt")


@pytest.mark.parametrize(
    "relative",
    [
        "pi/PR0042/../../../../escaped.txt",
        "/etc/passwd",
        "pi/" + "A" * 300 + "/x.txt",
        "pi/PR\x00/x.txt",
        "..\\..\\escaped.txt",
    ],
)
def test_inside_never_leaves_the_folder(tmp_path: Path, relative: str) -> None:
    outbox = tmp_path / "outbox"
    target = inside(outbox, relative)
    assert target.is_relative_to(outbox)
    assert ".." not in target.relative_to(outbox).parts
    assert all(len(part.encode()) <= 255 for part in target.parts)


def test_a_path_deeper_than_allowed_keeps_its_first_part_and_file_name(tmp_path: Path) -> None:
    target = inside(tmp_path, "pi/../../x/SV1_2025-26_Q1_ab.txt", depth=3)
    kind, who, name = target.relative_to(tmp_path).parts
    assert (kind, name) == ("pi", "SV1_2025-26_Q1_ab.txt") and is_plain(who)


def test_ordinary_paths_are_unchanged(tmp_path: Path) -> None:
    relative = "pi/PR0042/SV00123_2025-26_Q1_ab12cd34ef56.txt"
    assert inside(tmp_path, relative) == tmp_path / relative


def test_reminder_path_of_a_hostile_provider_stays_in_its_folder() -> None:
    path = reminder_path("../../" + "x" * 300, date(2025, 10, 1))
    assert path.startswith("reminders/2025-10-01/")
    assert path.count("/") == 2 and ".." not in path


def test_a_notice_with_a_hostile_stored_path_is_written_inside_the_outbox(tmp_path: Path) -> None:
    from sqlmodel import Session, SQLModel, create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    SQLModel.metadata.create_all(engine)
    outbox = tmp_path / "outbox"
    with Session(engine) as session:
        session.add(
            PiReturn(
                file_id=1,
                source_file="PI.xlsx",
                received_at=datetime(2025, 7, 10, 9, tzinfo=UTC),
                service_id="../../" + "9" * 300,
                status="returned",
                reasons="unknown_service",
                notice_path="pi/../../../escaped/" + "9" * 300 + "_2025-26_Q1_abc.txt",
            )
        )
        session.flush()
        (written,) = write_pending_notices(session, outbox, lambda row: None)
    assert written.is_relative_to(outbox) and written.is_file()
    assert len(written.relative_to(outbox).parts) == 3
    assert not (tmp_path / "escaped").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(outbox)] == [
        tmp_path / "db.sqlite"
    ]
