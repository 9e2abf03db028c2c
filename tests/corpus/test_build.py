"""The project-made corpus is the same every time, and has every kind of file it claims to."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from tests.corpus.build import Corpus, build
from tests.corpus.cases import BOMB_UNPACKED_MB, CASES
from tests.corpus.qaf_cases import QAF_CASES


def _files(root: Path) -> dict[str, tuple[str, int]]:
    """Each file's sha256 and, in the drop folder (received times), its modification time."""
    return {
        str(p.relative_to(root)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns if p.parent.name == "drop" else 0,
        )
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_deterministic(corpus: Corpus, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    assert _files(again.root) == _files(corpus.root)


def test_every_file_has_its_received_time_and_kind(corpus: Corpus) -> None:
    names = sorted(p.name for p in corpus.drop.iterdir())
    assert names == sorted([c.name for c in CASES] + [q.name for q in QAF_CASES])
    received = {c.name: c.received for c in CASES} | {q.name: q.received for q in QAF_CASES}
    for name, at in received.items():
        assert (corpus.drop / name).stat().st_mtime == at.timestamp(), name
    assert [c.received for c in CASES] == sorted(c.received for c in CASES)
    copy = next(c for c in CASES if c.make == "copy")
    assert (corpus.drop / copy.name).read_bytes() == (corpus.drop / copy.extra["of"]).read_bytes()
    assert (corpus.drop / "SV00104 Q2 return.xlsx").stat().st_size == 0
    bomb = corpus.drop / "PI_SV00101_2025-26_V1 final.xlsx"
    assert bomb.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) > BOMB_UNPACKED_MB * 1024 * 1024
    truncated = corpus.drop / "PI_SV00105_2025-26_V1 (truncated).xlsx"
    assert not zipfile.is_zipfile(truncated)
    statuses = {row.status for case in CASES for row in case.rows}
    assert statuses == {"accepted", "returned", "superseded", "duplicate", "quarantined"}
    reasons = {row.reasons for case in CASES for row in case.rows if row.status in ("returned", "superseded")}
    assert len(reasons) >= 10
