"""A returned questionnaire workbook taken as the ingestion run will take it: read, judged, recorded, lettered."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from data_contracts.feedback_tables import QuestionnaireReply
from tasks.feedback.intake import forget_replies, rebuild_reply_statuses, take_questionnaire
from tasks.feedback.letters import write_pending_letters
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tasks.intake.workbook_reader import read_workbook
from tests.factories.feedback import feedback_session
from tests.factories.questionnaires import GOOD_RATINGS, returned_questionnaire
from tests.factories.zips import Member, rezipped

ISSUED = date(2025, 10, 1)
TARGET = IssueTarget("SV1", "Service SV1", "PR1", "ST1")
RECEIVED = datetime(2025, 10, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def session() -> Iterator[Session]:
    for session in feedback_session():
        session.add(issue_record(TARGET, ISSUED))
        session.flush()
        yield session


def returned(tmp_path: Path, values: Mapping[str, object], name: str = "returned.xlsx") -> bytes:
    return returned_questionnaire(tmp_path / name, TARGET, ISSUED, values).read_bytes()


def take(
    session: Session, data: bytes, name: str = "returned.xlsx", received: datetime = RECEIVED
) -> QuestionnaireReply:
    workbook = read_workbook(data, 50 * 1024 * 1024)
    return take_questionnaire(session, workbook, name, hashlib.sha256(data).hexdigest(), received)


def test_a_complete_reply_is_received(session: Session, tmp_path: Path) -> None:
    reply = take(
        session, returned(tmp_path, {**GOOD_RATINGS, "sq_organisation": "Org", "sq_confidential": "No"})
    )
    assert (reply.status, reply.reasons, reply.service_id, reply.adverse) == ("received", "", "SV1", False)
    assert (reply.rating_demand, reply.rating_quality, reply.organisation) == (
        "Excellent",
        "Don't know",
        "Org",
    )
    assert (reply.source_file, reply.method) == ("returned.xlsx", "file")


def test_a_blank_workbook_is_incomplete_with_rating_missing(session: Session, tmp_path: Path) -> None:
    reply = take(session, returned(tmp_path, {}))
    assert (reply.status, reply.reasons) == ("incomplete", "rating_missing")


def test_an_adverse_confidential_reply_gets_a_letter_without_its_text(
    session: Session, tmp_path: Path
) -> None:
    values = {**GOOD_RATINGS, "sq_rating_quality": "Very Poor", "sq_reasons": "residents feel unsafe at night",
              "sq_organisation": "Probation Office", "sq_confidential": "Yes"}  # fmt: skip
    reply = take(session, returned(tmp_path, values))
    assert (reply.status, reply.adverse, reply.confidential) == ("received", True, True)
    assert reply.provider_reply_due == date(2025, 11, 3)
    (letter,) = write_pending_letters(session, tmp_path / "outbox")
    text = letter.read_text("utf-8")
    assert "Quality of service delivery: V.Poor" in text
    assert "unsafe" not in text and "Probation" not in text


def test_the_same_file_again_is_a_duplicate_and_a_later_one_supersedes(
    session: Session, tmp_path: Path
) -> None:
    data = returned(tmp_path, GOOD_RATINGS)
    first = take(session, data)
    assert take(session, data, "copy.xlsx").status == "duplicate"
    later = take(session, returned(tmp_path, {**GOOD_RATINGS, "sq_rating_outcomes": "Good"}, "v2.xlsx"), "v2.xlsx",
                 datetime(2025, 10, 21, tzinfo=UTC))  # fmt: skip
    assert (first.status, later.status) == ("superseded", "received")


def test_forgetting_a_reply_makes_the_earlier_one_current_again(session: Session, tmp_path: Path) -> None:
    first = take(session, returned(tmp_path, GOOD_RATINGS))
    later = take(session, returned(tmp_path, {**GOOD_RATINGS, "sq_rating_outcomes": None}, "v2.xlsx"), "v2.xlsx",
                 datetime(2025, 10, 21, tzinfo=UTC))  # fmt: skip
    assert (first.status, later.status) == ("superseded", "incomplete")
    assert forget_replies(session, later.sha256) == {first.reference}
    rebuild_reply_statuses(session, {first.reference})
    assert first.status == "received"


def restored(data: bytes) -> bytes:
    """The same workbook packed again with other member times: other bytes, the same answers."""

    def later(item: zipfile.ZipInfo, content: bytes) -> Member:
        item.date_time = (2025, 10, 21, 12, 0, 0)
        return item, content

    return rezipped(data, later)


def test_the_same_answers_in_another_file_are_a_duplicate_and_supersede_nothing(
    session: Session, tmp_path: Path
) -> None:
    data = returned(tmp_path, {**GOOD_RATINGS, "sq_organisation": "Org"})
    first = take(session, data)
    again = restored(data)
    assert hashlib.sha256(again).digest() != hashlib.sha256(data).digest()
    second = take(session, again, "again.xlsx", datetime(2025, 10, 21, tzinfo=UTC))
    assert (first.status, second.status) == ("received", "duplicate")


ADVERSE = {**GOOD_RATINGS, "sq_rating_quality": "Poor", "sq_reasons": "staff rarely answer the phone"}


def test_a_reply_superseded_before_its_letter_was_written_gets_none(session: Session, tmp_path: Path) -> None:
    first = take(session, returned(tmp_path, ADVERSE))
    take(session, returned(tmp_path, GOOD_RATINGS, "v2.xlsx"), "v2.xlsx", datetime(2025, 10, 21, tzinfo=UTC))
    assert (first.status, write_pending_letters(session, tmp_path / "outbox")) == ("superseded", [])


def test_the_current_reply_still_gets_its_letter_when_an_earlier_one_is_superseded(
    session: Session, tmp_path: Path
) -> None:
    take(session, returned(tmp_path, ADVERSE))
    values = {**ADVERSE, "sq_rating_demand": "V.Poor"}
    later = take(
        session, returned(tmp_path, values, "v2.xlsx"), "v2.xlsx", datetime(2025, 10, 21, tzinfo=UTC)
    )
    (letter,) = write_pending_letters(session, tmp_path / "outbox")
    assert letter.relative_to(tmp_path / "outbox").as_posix() == later.letter_path
