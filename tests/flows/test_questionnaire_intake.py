"""Returned questionnaires through the real ingestion flow: recognised by content, checked once per
batch, recorded in the batch's transaction, filed, lettered; hostile workbooks give a reason."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from data_contracts.feedback_tables import QuestionnaireReply
from data_contracts.tables import ContractRecord
from foundation.db import session_scope
from foundation.settings import Settings
from spmon.sample_data import demo_contracts
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tests.factories.questionnaires import GOOD_RATINGS, returned_questionnaire
from tests.flows.ingest_setup import YEAR, in_process_settings, prefect_harness

pytestmark = pytest.mark.e2e
harness = pytest.fixture(scope="module")(prefect_harness)
ISSUED = date(2025, 10, 1)
RECEIVED = datetime(2025, 10, 20, 9, 30, tzinfo=UTC)
CONFIDENTIAL_REASONS = "residents feel unsafe at night"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    with in_process_settings(tmp_path, monkeypatch, demo_contracts(YEAR, count=2)) as settings:
        yield settings


def _contracts(settings: Settings) -> list[ContractRecord]:
    with session_scope(settings.database) as session:
        return list(session.exec(select(ContractRecord).order_by(ContractRecord.service_id)).all())


def _target(contract: ContractRecord, stakeholder_id: str) -> IssueTarget:
    return IssueTarget(contract.service_id, contract.service_name, contract.provider_id, stakeholder_id)


def _issue(settings: Settings, *targets: IssueTarget) -> None:
    with session_scope(settings.database) as session:
        session.add_all([issue_record(target, ISSUED) for target in targets])


def _replies(settings: Settings) -> dict[str, QuestionnaireReply]:
    with session_scope(settings.database) as session:
        replies = session.exec(select(QuestionnaireReply)).all()
        for reply in replies:
            Session.expunge(session, reply)
        return {reply.source_file: reply for reply in replies}


def _drop_hostile_batch(settings: Settings) -> dict[str, IssueTarget]:
    """One questionnaire of each kind a stakeholder can get wrong, plus a good adverse one."""
    first, second = _contracts(settings)
    targets = {
        name: _target(first, f"ST{n}") for n, name in enumerate(["adverse", "renamed", "hostile", "pasted"])
    }
    targets["other"] = _target(second, "ST9")
    targets["invalid"] = _target(second, "ST8")
    _issue(settings, *targets.values())
    targets["unknown"] = _target(first, "ST7")  # never issued
    targets["not_issued"] = IssueTarget("SV99999", "No such service", "PR999", "ST6")
    drop = settings.drop
    adverse = {**GOOD_RATINGS, "sq_rating_quality": "Very poor", "sq_rating_demand": "good ", "sq_reasons": CONFIDENTIAL_REASONS,
               "sq_organisation": "Probation Office", "sq_confidential": "yes"}  # fmt: skip
    files: dict[str, Mapping[str, object]] = {
        "adverse": adverse,
        "renamed": GOOD_RATINGS,
        "hostile": {
            **GOOD_RATINGS,
            "sq_rating_outcomes": None,
            "sq_further_comments": "x" * 1_048_576,
            "sq_suggestions": '=HYPERLINK("http://evil.example","click")',
        },
        "pasted": {**GOOD_RATINGS, "sq_service_id": second.service_id},
        "invalid": {**GOOD_RATINGS, "sq_rating_demand": "Brilliant", "sq_confidential": "maybe"},
        "unknown": GOOD_RATINGS,
        "not_issued": GOOD_RATINGS,
    }
    for minutes, (name, values) in enumerate(files.items()):
        sheet = "My answers" if name == "renamed" else "Questionnaire"
        received = RECEIVED + timedelta(minutes=minutes)
        returned_questionnaire(drop / f"{name}.xlsx", targets[name], ISSUED, values, sheet, received)
    copy = shutil.copy2(drop / "adverse.xlsx", drop / "adverse copy.xlsx")  # the same content, later
    os.utime(copy, (RECEIVED.timestamp() + 3600, RECEIVED.timestamp() + 3600))
    return targets


def test_hostile_questionnaires_each_give_a_reason_or_are_read(harness: None, settings: Settings) -> None:
    from flows.ingest_flow import ingest_flow

    _drop_hostile_batch(settings)
    summary = ingest_flow()

    assert summary.statuses == {
        "questionnaire incomplete": 5, "questionnaire received": 2, "questionnaire duplicate": 1}  # fmt: skip
    assert summary.files_identical == 1 and summary.files_quarantined == 0
    assert sorted(path.name for path in settings.drop.iterdir()) == []
    replies = _replies(settings)
    reasons = {name.removesuffix(".xlsx"): reply.reasons for name, reply in replies.items()}
    assert reasons == {
        "adverse": "",
        "adverse copy": "",  # an identical file: a duplicate, no reasons, no second letter
        "renamed": "",
        "hostile": "rating_missing",
        "pasted": "unknown_questionnaire",
        "invalid": "rating_invalid",
        "unknown": "unknown_questionnaire",
        "not_issued": "unknown_questionnaire",
    }
    adverse, renamed, hostile = replies["adverse.xlsx"], replies["renamed.xlsx"], replies["hostile.xlsx"]
    assert (adverse.rating_quality, adverse.rating_demand, adverse.adverse, adverse.confidential) == (
        "V.Poor", "Good", True, True)  # fmt: skip
    assert (renamed.rating_demand, renamed.rating_quality) == ("Excellent", "Don't know")
    assert hostile.suggestions == '=HYPERLINK("http://evil.example","click")'  # kept as text, never evaluated
    assert hostile.further_comments == ""  # a cell Excel could not hold is not half-read
    assert replies["invalid.xlsx"].confidential  # neither Yes nor No: kept back from the provider
    (letter,) = (settings.outbox / "feedback").rglob("*.txt")
    text = letter.read_text("utf-8")
    assert "Quality of service delivery: V.Poor" in text
    assert "unsafe" not in text and "Probation" not in text
    assert "questionnaire incomplete 5" in summary.markdown()
    assert "## Questionnaires to follow up by telephone" in summary.markdown()
    assert sum(1 for _ in settings.archive.rglob("*.xlsx")) == 8


def test_a_later_reply_supersedes_and_a_copy_is_a_duplicate_recorded_once(
    harness: None, settings: Settings
) -> None:
    from flows.ingest_flow import ingest_flow

    first, _ = _contracts(settings)
    target = _target(first, "ST1")
    _issue(settings, target)
    drop = settings.drop
    returned_questionnaire(drop / "reply.xlsx", target, ISSUED, GOOD_RATINGS, received_at=RECEIVED)
    kept = drop.parent / "kept.xlsx"
    shutil.copy2(drop / "reply.xlsx", kept)
    assert ingest_flow().statuses == {"questionnaire received": 1}

    shutil.copy2(kept, drop / "reply again.xlsx")
    later = {**GOOD_RATINGS, "sq_rating_outcomes": "Excellent"}
    returned_questionnaire(
        drop / "later.xlsx", target, ISSUED, later, received_at=RECEIVED + timedelta(days=1)
    )
    summary = ingest_flow()

    # The run's summary counts the replies of the files it recorded: the copy's original is an earlier run's.
    assert summary.statuses == {"questionnaire received": 1}
    assert summary.files_identical == 1
    statuses = {name: reply.status for name, reply in _replies(settings).items()}
    assert statuses == {"reply.xlsx": "superseded", "later.xlsx": "received", "reply again.xlsx": "duplicate"}
    copy = _replies(settings)["reply again.xlsx"]
    assert (copy.sha256, copy.rating_outcomes) == (_replies(settings)["reply.xlsx"].sha256, "Fair")

    shutil.copy2(kept, drop / "reply again.xlsx")  # the same copy again (a run stopped before filing it)
    assert ingest_flow().statuses == {}
    assert len(_replies(settings)) == 3


def test_reingesting_a_questionnaire_judges_it_again(harness: None, settings: Settings) -> None:
    from flows.ingest_flow import ingest_flow

    first, _ = _contracts(settings)
    target = _target(first, "ST5")
    returned_questionnaire(settings.drop / "early.xlsx", target, ISSUED, GOOD_RATINGS, received_at=RECEIVED)
    assert ingest_flow().statuses == {"questionnaire incomplete": 1}  # not yet recorded as issued

    _issue(settings, target)
    summary = ingest_flow(file="early.xlsx")

    assert summary.statuses == {"questionnaire received": 1}
    (reply,) = _replies(settings).values()
    assert (reply.status, reply.reasons, reply.service_id) == ("received", "", first.service_id)
