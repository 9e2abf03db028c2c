from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
from data_contracts.qaf_tables import CurrentQaf, QafReturn
from data_contracts.tables import CurrentReturn, IngestRun, PiReturn, ReceivedFile
from foundation.programme import load_programme
from tasks.common.contract_records import import_contracts
from tasks.intake.drop_folder import DropFile
from tasks.qaf.imports import import_agreed_grades
from tasks.qaf.judge import JudgedQaf, judge_qaf_workbooks
from tasks.qaf.read import QafContent
from tasks.qaf.register import qaf_register_rows
from tasks.qaf.store import QafFileResult, record_qaf_batch
from tests.corpus.build import Corpus
from tests.corpus.expected import compare, expected_qaf_register, expected_register
from tests.corpus.qaf_cases import QAF_CASES
from tests.factories.contracts import contract_record, contracts
from tests.factories.programmes import qaf_programme
from tests.factories.qafs import content, read_content
from tests.factories.returns import add_pi
from tests.factories.sessions import sqlite_session

CONTRACTS = contracts(contract_record("SV00001", "PR0001"), contract_record("SV00002", "PR0001"))


@pytest.fixture
def session() -> Iterator[Session]:
    yield from sqlite_session()


def _run(session: Session) -> int:
    run = IngestRun(name="test", started_at=datetime.now(UTC))
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def _result(name: str, at: datetime, judged: JudgedQaf, data: bytes | None = None) -> QafFileResult:
    data = data if data is not None else name.encode()
    drop = DropFile(Path("/drop") / name, len(data), int(at.timestamp()) * 1_000_000_000)
    sha256 = hashlib.sha256(data).hexdigest()
    return QafFileResult(drop, sha256, Path("/archive") / sha256 / name, judged)


def _judged(*contents: QafContent) -> list[JudgedQaf]:
    return judge_qaf_workbooks(list(contents), CONTRACTS, qaf_programme())


def _rows(session: Session) -> list[QafReturn]:
    return list(session.execute(select(QafReturn).order_by(QafReturn.id)).scalars())  # type: ignore[arg-type]


def at(day: int) -> datetime:
    return datetime(2026, 2, day, 9, 0, tzinfo=UTC)


def test_accepted_duplicate_and_returned_in_one_batch(session: Session):
    good, same, bad = _judged(content(), content(), content({"C1.3.C1": "yes"}))
    ids = record_qaf_batch(
        session,
        _run(session),
        [_result("a.xlsx", at(1), good), _result("b.xlsx", at(2), same), _result("c.xlsx", at(3), bad)],
        qaf_programme(),
    )
    rows = _rows(session)
    assert [row.id for row in rows] == ids
    assert [row.status for row in rows] == ["superseded", "duplicate", "returned"]
    assert [row.reasons for row in rows] == ["", "", "evidence_missing"]
    assert rows[2].notice_path.startswith("qaf/PR0001/QAF_2025-26_")
    assert rows[2].messages and rows[1].messages == []
    assert [row.visit for row in rows] == [False, False, False]
    current = session.execute(select(CurrentQaf)).scalars().one()
    assert (current.provider_id, current.year, current.service_ids, current.return_id) == (
        "PR0001",
        "2025/26",
        "SV00001",
        ids[2],
    )
    kinds = session.execute(select(ReceivedFile.kind)).scalars().all()  # type: ignore[call-overload]
    assert kinds == ["qaf", "qaf", "qaf"]


def test_claimed_grades_are_stored_as_typed(session: Session):
    (judged,) = _judged(content(claimed_c1_5=" B+ "))
    record_qaf_batch(session, _run(session), [_result("a.xlsx", at(1), judged)], qaf_programme())
    (row,) = _rows(session)
    assert (row.status, row.claimed_c1_5, row.claimed_c1_1, row.form) == ("returned", "B+", "C", "Full")


def test_accepted_qaf_gets_its_visit_and_loses_it_when_superseded(session: Session):
    (first,) = _judged(content(claimed_c1_3="A"))
    record_qaf_batch(session, _run(session), [_result("a.xlsx", at(1), first)], qaf_programme())
    (row,) = _rows(session)
    assert (row.status, row.visit, row.visit_reasons) == ("accepted", True, "a_grade_claimed")
    (second,) = _judged(content())
    record_qaf_batch(session, _run(session), [_result("b.xlsx", at(5), second)], qaf_programme())
    old, new = _rows(session)
    assert (old.status, old.visit, old.visit_reasons) == ("superseded", False, "")
    assert (new.status, new.visit) == ("accepted", False)


def test_different_services_are_different_qafs(session: Session):
    one, two = _judged(content(service_ids="SV00001"), content(service_ids="SV00002;SV00001"))
    record_qaf_batch(
        session,
        _run(session),
        [_result("a.xlsx", at(1), one), _result("b.xlsx", at(2), two)],
        qaf_programme(),
    )
    assert [row.status for row in _rows(session)] == ["accepted", "accepted"]
    assert [row.service_ids for row in _rows(session)] == ["SV00001", "SV00001;SV00002"]


def _pi_return(session: Session, name: str, received: datetime, status: str, quarter: str = "Q1") -> None:
    reasons = "invalid_value" if status == "returned" else ""
    pi = add_pi(
        session,
        "SV00001",
        quarter,
        received,
        status,
        source_file=name,
        file_key=name,
        provider_id="",
        reasons=reasons,
    )
    assert pi.id is not None
    session.add(CurrentReturn(service_id="SV00001", year="2025/26", quarter=quarter, return_id=pi.id))
    session.flush()


def test_visit_looks_only_at_pi_returns_received_before_the_qaf(session: Session):
    _pi_return(session, "later.xlsx", at(20), "returned")
    (judged,) = _judged(content())
    record_qaf_batch(session, _run(session), [_result("a.xlsx", at(1), judged)], qaf_programme())
    assert _rows(session)[0].visit is False
    _pi_return(session, "earlier.xlsx", datetime(2025, 10, 1, tzinfo=UTC), "returned", "Q2")
    (again,) = _judged(content(completed_by="Someone Else"))
    record_qaf_batch(session, _run(session), [_result("b.xlsx", at(2), again)], qaf_programme())
    assert (_rows(session)[1].visit, _rows(session)[1].visit_reasons) == (True, "service_concerns")


def test_empty_batch_records_nothing(session: Session):
    assert record_qaf_batch(session, _run(session), [], qaf_programme()) == []


# The project-made corpus (tests/corpus): its QAF cases, judged after its PI returns.


def _load_pi_register(session: Session, rows: list[dict[str, str]], drop: Path) -> None:
    """The PI returns of the corpus as the PI side records them (the register the corpus must give)."""
    file_ids: dict[str, int] = {}
    for row in rows:
        received = datetime.fromisoformat(row["received_at"].replace("Z", "+00:00"))
        sha256 = hashlib.sha256((drop / row["source_file"]).read_bytes()).hexdigest()
        if sha256 not in file_ids:
            file = ReceivedFile(
                sha256=sha256,
                source_file=row["source_file"],
                received_at=received,
                size_bytes=1,
                kind="pi" if row["status"] != "quarantined" else "unreadable",
                stored_path=row["source_file"],
            )
            session.add(file)
            session.flush()
            assert file.id is not None
            file_ids[sha256] = file.id
        pi = PiReturn(
            file_id=file_ids[sha256],
            source_file=row["source_file"],
            received_at=received,
            service_id=row["service_id"],
            year=row["year"],
            quarter=row["quarter"],
            status=row["status"],
            reasons=row["reasons"],
            breaches=row["breaches"],
        )
        session.add(pi)
        session.flush()
        if row["quarter"] and row["status"] in ("accepted", "returned"):
            assert pi.id is not None
            session.add(
                CurrentReturn(
                    service_id=row["service_id"], year=row["year"], quarter=row["quarter"], return_id=pi.id
                )
            )
    session.flush()


def test_corpus_qafs_give_the_register_the_cases_say(corpus: Corpus, session: Session):
    import_contracts(session, corpus.root / "contracts.csv")
    import_agreed_grades(session, corpus.root / "qaf_grades_prev.csv")
    _load_pi_register(session, expected_register(), corpus.drop)
    corpus_programme = load_programme(corpus.programme)
    from tasks.pi.store import contract_index

    paths = [corpus.drop / case.name for case in QAF_CASES]
    judged = judge_qaf_workbooks(
        [read_content(path.read_bytes()) for path in paths], contract_index(session), corpus_programme
    )
    results = []
    for path, case, item in zip(paths, QAF_CASES, judged, strict=True):
        data = path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        assert path.stat().st_mtime == case.received.timestamp()
        drop = DropFile(path, len(data), path.stat().st_mtime_ns)
        results.append(QafFileResult(drop, sha256, Path("/archive") / sha256 / path.name, item))
    record_qaf_batch(session, _run(session), results, corpus_programme)
    rows = [{k: str(v) for k, v in row.items()} for row in qaf_register_rows(session)]
    assert compare(rows, expected_qaf_register()) == []
    assert {row["status"] for row in rows} == {"accepted", "returned"}
    assert list(qaf_register_rows(session, year="2024/25")) == []
