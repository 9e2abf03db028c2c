"""Publishing: by period, under temporary names, with a manifest and an index; the same content again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

import reports.publish as publish_module
from reports.publish import INDEX, MANIFEST, Publication, ReportFile, publish, read_manifest
from reports.run import publish_monthly, publish_quarterly
from tests.factories.programmes import programme
from tests.factories.sessions import sqlite_session
from tests.reports import scenario
from tests.reports.scan import (
    MONTHLY_KINDS,
    QUARTERLY_KINDS,
    csv_formula_fields,
    formula_cells,
    known_kinds,
    sheet_rows,
)

FIRST = datetime(2025, 11, 3, 7, 0, tzinfo=UTC)
SECOND = datetime(2025, 11, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _publish_all(session: Session, reports: Path, now: datetime) -> None:
    publish_monthly(session, programme(), reports, date(2025, 10, 1), now=now)
    publish_quarterly(session, programme(), reports, "2025/26", "Q2", now=now)


def _digests(reports: Path) -> dict[str, str]:
    return {
        str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, INDEX, ".publish.lock")
    }


def test_publishing_again_gives_the_same_files_and_replaces_the_entries(
    session: Session, tmp_path: Path
) -> None:
    scenario.build(session)
    _publish_all(session, tmp_path, FIRST)
    first, manifest = _digests(tmp_path), read_manifest(tmp_path)
    _publish_all(session, tmp_path, SECOND)
    assert _digests(tmp_path) == first
    again = read_manifest(tmp_path)
    assert known_kinds({e["kind"] for e in manifest}, MONTHLY_KINDS | QUARTERLY_KINDS)
    assert len(again) == len(manifest)
    assert [{k: v for k, v in e.items() if k != "created"} for e in again] == [
        {k: v for k, v in e.items() if k != "created"} for e in manifest
    ]
    assert {e["created"] for e in again} == {"2025-11-04T09:30:00Z"}


def test_the_manifest_lists_every_file_with_its_hash(session: Session, tmp_path: Path) -> None:
    scenario.build(session)
    _publish_all(session, tmp_path, FIRST)
    entries = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert known_kinds({e["kind"] for e in entries}, MONTHLY_KINDS | QUARTERLY_KINDS)
    for entry in entries:
        monthly = entry["kind"] in MONTHLY_KINDS
        expected = ("2025-10", "2025-10-31") if monthly else ("2025-26-Q2", "2025-10-28")
        assert (entry["period"], entry["as_at"]) == expected, entry["kind"]
    listed = set()
    for entry in entries:
        assert entry["created"] == "2025-11-03T07:00:00Z"
        for file in entry["files"]:
            path = tmp_path / file["path"]
            assert file["path"] == f"{entry['period']}/{file['name']}"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == file["sha256"]
            listed.add(file["path"])
    assert listed == set(_digests(tmp_path))  # nothing on disk that the manifest does not list
    for entry in entries:
        suffixes = {Path(f["name"]).suffix for f in entry["files"]}
        assert {".xlsx", ".html"} <= suffixes, entry["kind"]
    extract = next(e for e in entries if e["kind"] == "national-extract")
    assert any(f["name"].endswith(".csv") for f in extract["files"])
    index = (tmp_path / INDEX).read_text(encoding="utf-8")
    for entry in entries:
        assert f"<td>{entry['title']}" in index and entry["created"] in index
        for file in entry["files"]:
            assert f'href="{file["path"]}"' in index and file["sha256"] in index
    # newest period first by its last day: October 2025 ends after Q2 (July to September)
    assert index.index(">October 2025<") < index.index(">Q2 2025/26 (July to September 2025)<")
    # the checksums are folded away, not beside each link
    assert index.index("<details") < index.index(entries[0]["files"][0]["sha256"])
    packs = next(e for e in entries if e["kind"] == "packs")
    if "note" not in packs:  # Chromium present: every pack also as PDF
        assert sorted(f["name"] for f in packs["files"] if f["name"].endswith(".pdf")) == [
            f["name"].replace(".html", ".pdf") for f in packs["files"] if f["name"].endswith(".html")
        ]


def test_no_formula_anywhere_and_no_temporary_file_left(session: Session, tmp_path: Path) -> None:
    scenario.build(session)
    _publish_all(session, tmp_path, FIRST)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    workbooks = list(tmp_path.rglob("*.xlsx"))
    reports = [e for e in read_manifest(tmp_path) if e["kind"] != "packs"]
    assert len(workbooks) == len(reports) + 3  # one a report and three packs
    for path in workbooks:
        assert formula_cells(path) == []
    for path in tmp_path.rglob("*.csv"):
        assert csv_formula_fields(path) == []
    breaches = sheet_rows(
        tmp_path / "2025-26-Q2" / "pi-management-2025-26-Q2-as-at-2025-10-28.xlsx", "Breaches"
    )
    explanations = [r["Provider's explanation"] for r in breaches]
    # the comments are there, made inert
    assert explanations == [
        "'" + scenario.SPI2_COMMENT,
        "'" + scenario.KPI2_COMMENT,
        "'" + scenario.KPI1_COMMENT,
    ]
    completeness = sheet_rows(
        tmp_path / "2025-26-Q2" / "pi-management-2025-26-Q2-as-at-2025-10-28.xlsx", "Completeness"
    )
    assert completeness[2]["Provider"] == "'" + scenario.PR3_NAME


def test_another_as_at_date_is_another_entry(session: Session, tmp_path: Path) -> None:
    scenario.build(session)
    publish_quarterly(session, programme(), tmp_path, "2025/26", "Q2", now=FIRST)
    publish_quarterly(session, programme(), tmp_path, "2025/26", "Q2", as_at=date(2025, 11, 3), now=SECOND)
    entries = read_manifest(tmp_path)
    assert sorted({e["as_at"] for e in entries}) == ["2025-10-28", "2025-11-03"]
    kinds = {e["kind"] for e in entries}
    assert known_kinds(kinds, QUARTERLY_KINDS)  # the monthly ones were not published
    assert len(entries) == 2 * len(kinds)  # each quarterly one twice


def test_a_replaced_entry_loses_the_files_it_no_longer_has(tmp_path: Path) -> None:
    one = ReportFile("a.html", b"a")
    two = ReportFile("b.html", b"b")
    publish(tmp_path, Publication("packs", "Packs", "2025-26-Q2", date(2025, 10, 28), (one, two)), FIRST)
    publish(tmp_path, Publication("packs", "Packs", "2025-26-Q2", date(2025, 10, 28), (one,)), SECOND)
    assert (tmp_path / "2025-26-Q2" / "a.html").exists()
    assert not (tmp_path / "2025-26-Q2" / "b.html").exists()
    (entry,) = read_manifest(tmp_path)
    assert [f["name"] for f in entry["files"]] == ["a.html"]


def test_a_failed_write_leaves_no_temporary_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publication = Publication("x", "X", "2025-10", date(2025, 10, 31), (ReportFile("x.html", b"old"),))
    publish(tmp_path, publication, FIRST)

    def broken(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(publish_module.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(
            tmp_path, Publication("x", "X", "2025-10", date(2025, 10, 31), (ReportFile("x.html", b"new"),))
        )
    assert (tmp_path / "2025-10" / "x.html").read_bytes() == b"old"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.postgres
def test_postgresql_gives_the_same_files_as_sqlite(postgres_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from tests.factories.sessions import sqlite_engine

    engine = create_engine(postgres_url)
    SQLModel.metadata.create_all(engine)
    try:
        for name, database in (("postgres", engine), ("sqlite", sqlite_engine())):
            with Session(database) as session:
                scenario.build(session)
                session.commit()
                _publish_all(session, tmp_path / name, FIRST)
    finally:
        engine.dispose()
    assert _digests(tmp_path / "postgres") == _digests(tmp_path / "sqlite")
