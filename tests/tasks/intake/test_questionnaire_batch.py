"""Questionnaires in a batch: recognised, checked once, recorded in the batch's transaction, filed,
lettered after the commit; a batch stopped before filing and taken again equals one clean run;
re-ingesting a questionnaire judges it again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from data_contracts.feedback_tables import QuestionnaireReply
from foundation.db import session_scope, upgrade
from foundation.programme import Programme
from spmon.sample_data import demo_programme
from tasks.calendar.dates import as_utc
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tasks.intake.batch import BatchPlan, file_away, plan_batch, record, write_notices
from tasks.intake.reading import read_drop_file
from tasks.intake.run_report import run_report
from tasks.pi.store import known_sha256, start_run
from tests.factories.contracts import add_contract
from tests.factories.questionnaires import GOOD_RATINGS, returned_questionnaire
from tests.tasks.intake.hostile_workbooks import drop_file

MB = 1024 * 1024
ISSUED = date(2025, 10, 1)
RECEIVED = datetime(2025, 10, 20, 9, 30, tzinfo=UTC)
ISSUED_TARGET = IssueTarget("SV1", "Service SV1", "PR1", "ST1")
UNKNOWN_TARGET = IssueTarget("SV1", "Service SV1", "PR1", "ST2")  # not recorded as issued
ADVERSE = {**GOOD_RATINGS, "sq_rating_quality": "Poor", "sq_reasons": "staff rarely on site"}


@dataclass
class Scene:
    url: str
    root: Path
    programme: Programme

    @property
    def folders(self) -> dict[str, Path]:
        return {"archive": self.root / "archive", "quarantine": self.root / "quarantine"}

    def plan(self, names: list[str], seen: set[str] | None = None) -> BatchPlan:
        reads = [read_drop_file(drop_file(self.root / "drop" / name), 20 * MB, 200 * MB) for name in names]
        if seen is None:
            with session_scope(self.url) as session:
                seen = known_sha256(session, [read.sha256 for read in reads])
        return plan_batch(reads, seen, {}, self.programme, self.folders, {})

    def run(self, name: str) -> int:
        with session_scope(self.url) as session:
            return start_run(session, name)

    def replies(self) -> list[dict[str, Any]]:
        with session_scope(self.url) as session:
            rows = session.exec(select(QuestionnaireReply).order_by(QuestionnaireReply.source_file)).all()
            return [row.model_dump(exclude={"id"}) for row in rows]


def _scene(root: Path, url: str = "") -> Scene:
    url = url or f"sqlite:///{root / 'spmon.db'}"
    upgrade(url)
    with session_scope(url) as session:
        add_contract(session, "SV1", "PR1")
        session.add(issue_record(ISSUED_TARGET, ISSUED))
    drop = root / "drop"
    returned_questionnaire(drop / "adverse.xlsx", ISSUED_TARGET, ISSUED, ADVERSE, received_at=RECEIVED)
    returned_questionnaire(drop / "unknown.xlsx", UNKNOWN_TARGET, ISSUED, GOOD_RATINGS, received_at=RECEIVED)
    return Scene(url, root, demo_programme(["2025/26"]))


@pytest.fixture(params=["sqlite", "postgresql"])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Scene]:
    yield _scene(tmp_path, request.getfixturevalue("postgres_url") if request.param == "postgresql" else "")


NAMES = ["adverse.xlsx", "unknown.xlsx"]


def test_a_batch_records_files_replies_and_letters(scene: Scene) -> None:
    plan = scene.plan(NAMES)
    assert [q.codes for q in plan.questionnaires] == [set(), set()]  # the issue is looked up when recorded
    statuses = record(scene.url, scene.run("run"), plan, scene.programme)
    assert statuses == {"questionnaire received": 1, "questionnaire incomplete": 1}
    assert file_away(plan) == []
    assert sorted(p.name for p in scene.folders["archive"].rglob("*.xlsx")) == NAMES
    (letter,) = write_notices(scene.url, scene.programme, scene.root / "outbox")
    assert letter.parts[-3:-1] == ("feedback", "PR1")
    assert write_notices(scene.url, scene.programme, scene.root / "outbox") == []
    with session_scope(scene.url) as session:
        report = run_report(session, "run", 1)
    assert report.statuses == {"questionnaire received": 1, "questionnaire incomplete": 1}
    assert [p.source_file for p in report.follow_up] == ["unknown.xlsx"]
    assert report.follow_up[0].reasons == "unknown_questionnaire"


def test_a_batch_stopped_before_filing_and_taken_again_equals_a_clean_run(
    scene: Scene, tmp_path_factory: pytest.TempPathFactory
) -> None:
    record(scene.url, scene.run("stopped"), scene.plan(NAMES), scene.programme)  # stopped: nothing filed
    again = scene.plan(NAMES)
    assert [r.drop.name for r in again.identical] == NAMES and not again.questionnaires
    assert record(scene.url, scene.run("again"), again, scene.programme) == {}
    file_away(again)
    write_notices(scene.url, scene.programme, scene.root / "outbox")

    clean = _scene(tmp_path_factory.mktemp("clean"))
    plan = clean.plan(NAMES)
    record(clean.url, clean.run("clean"), plan, clean.programme)
    file_away(plan)
    write_notices(clean.url, clean.programme, clean.root / "outbox")
    assert _without_hashes(scene.replies()) == _without_hashes(clean.replies())
    letters = [
        sorted(p.relative_to(s.root / "outbox") for p in (s.root / "outbox").rglob("*.txt"))
        for s in (scene, clean)
    ]
    assert letters[0] == letters[1] and len(letters[0]) == 1


def _without_hashes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two scenes' files differ in the time openpyxl stamps into them, so in their hashes.

    Times are compared in UTC (PostgreSQL gives them with their zone, SQLite without).
    """
    return [
        {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row.items() if k != "sha256"}
        for row in rows
    ]


def test_reingesting_a_questionnaire_forgets_and_judges_it_again(scene: Scene) -> None:
    record(scene.url, scene.run("first"), scene.plan(NAMES), scene.programme)
    with session_scope(scene.url) as session:
        session.add(issue_record(UNKNOWN_TARGET, ISSUED))
    statuses = record(
        scene.url,
        scene.run("again"),
        scene.plan(["unknown.xlsx"], seen=set()),
        scene.programme,
        reingest=True,
    )
    assert statuses == {"questionnaire received": 1}
    replies = {row["source_file"]: (row["status"], row["reasons"]) for row in scene.replies()}
    assert replies == {"adverse.xlsx": ("received", ""), "unknown.xlsx": ("received", "")}


def test_reingesting_an_earlier_reply_leaves_the_later_one_current(scene: Scene) -> None:
    drop = scene.root / "drop"
    later = {**ADVERSE, "sq_reasons": "staff rarely on site, calls not returned"}
    returned_questionnaire(
        drop / "later.xlsx", ISSUED_TARGET, ISSUED, later, received_at=datetime(2025, 10, 22, tzinfo=UTC)
    )
    record(scene.url, scene.run("first"), scene.plan(["adverse.xlsx", "later.xlsx"]), scene.programme)
    record(
        scene.url,
        scene.run("again"),
        scene.plan(["adverse.xlsx"], seen=set()),
        scene.programme,
        reingest=True,
    )
    replies = {row["source_file"]: row["status"] for row in scene.replies()}
    assert replies == {"adverse.xlsx": "superseded", "later.xlsx": "received"}
