"""The mutation fuzzer in the normal test suite: a few hundred cases through the reader, and real runs.

``make fuzz N=10000`` runs the long campaign (``bench/fuzz.py``); these tests
run a slice of it on every ``make test``, so a regression in the reader's
defences shows at once. A failing case replays with
``python -m bench.fuzz --seed SEED --replay INDEX``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.fuzz_cases import MUTATIONS, YEAR, make_case, seed_workbooks
from foundation.settings import get_settings
from spmon.sample_data import demo_contracts
from tasks.intake.drop_folder import DropFile
from tasks.intake.poison import ReadingMarks
from tasks.intake.reading import PI, QAF, STOPPED_READER, UNREADABLE, marks_folder, read_drop_files
from tests.flows.ingest_setup import in_process_settings, prefect_harness

SEED = 20251130
READER_CASES = 250
RUN_CASES = 40
MB = 1024 * 1024


def dropped(folder: Path, first: int, count: int) -> list[DropFile]:
    """Cases ``first``.. written into ``folder``, a minute apart."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(first, first + count):
        case = make_case(SEED, index)
        path = folder / case.name
        path.write_bytes(case.data)
        stamp = (datetime(2025, 7, 10, 9, tzinfo=UTC) + timedelta(minutes=index)).timestamp()
        os.utime(path, (stamp, stamp))
        stat = path.stat()
        files.append(DropFile(path, stat.st_size, stat.st_mtime_ns))
    return files


def test_a_case_replays_byte_for_byte() -> None:
    assert make_case(SEED, 7) == make_case(SEED, 7)
    assert make_case(SEED, 7).data != make_case(SEED + 1, 7).data
    assert [name for name, _ in seed_workbooks()] == ["pi-1q", "pi-4q", "pi-0q", "qaf-3s", "qaf-1s"]


def test_the_cases_use_every_mutation() -> None:
    used = {mutation for index in range(READER_CASES) for mutation in make_case(SEED, index).mutations}
    assert used == set(MUTATIONS)


def test_every_case_is_read_or_unreadable_never_an_error(tmp_path: Path) -> None:
    files = dropped(tmp_path / "drop", 0, READER_CASES)
    read = read_drop_files(files, 20 * MB, 200 * MB, tmp_path / "marks")
    assert [r.drop for r in read] == files
    for result, drop in zip(read, files, strict=True):
        assert result.kind in (PI, QAF, UNREADABLE)
        if result.kind == UNREADABLE:
            assert result.message.startswith(f"{drop.name}: ") and len(result.message) > len(drop.name) + 10
    kinds = {r.kind for r in read}
    assert kinds == {PI, QAF, UNREADABLE}, "the mix of cases should give all three outcomes"
    assert not list((tmp_path / "marks").iterdir())


harness = pytest.fixture(scope="module")(prefect_harness)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with in_process_settings(tmp_path, monkeypatch, demo_contracts(YEAR, count=3, seed=5)):
        yield


@pytest.mark.e2e
def test_a_real_run_over_fuzz_cases_accounts_for_every_file(harness: None, settings: None) -> None:
    """Every case ends archived or quarantined (or left in the drop folder, named in the summary)."""
    from flows.ingest_flow import ingest_flow

    drop = get_settings().drop
    files = dropped(drop, READER_CASES, RUN_CASES)
    poison = files[0]
    ReadingMarks(marks_folder(get_settings().quarantine)).leave(poison, attempt=2)

    summary = ingest_flow()

    stored = {
        folder: {p.name for p in getattr(get_settings(), folder).rglob("*") if p.is_file()}
        for folder in ("archive", "quarantine")
    }
    left = {p.name for p in drop.iterdir()}
    for drop_file in files:
        name = drop_file.name
        places = [folder for folder, names in stored.items() if name in names] + (
            ["drop"] if name in left else []
        )
        assert len(places) == 1, (name, places)
        if places == ["drop"]:
            assert name in summary.markdown()
    assert poison.name in stored["quarantine"]
    assert f"{poison.name}: {STOPPED_READER}" in summary.markdown()
    assert not list(marks_folder(get_settings().quarantine).iterdir())
