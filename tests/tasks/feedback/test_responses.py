"""Recording replies: telephone and meeting answers, supersession, duplicates, provider replies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import RESPONSE_COLUMNS, QuestionnaireReply
from foundation.errors import BadInput
from tasks.feedback.responses import (
    ReplyInput,
    import_provider_replies,
    import_responses,
    provider_reply_due,
    record_reply,
)
from tests.factories.feedback import feedback_session, issue, stakeholder
from tests.factories.imports import csv_file

HEADER = ",".join(RESPONSE_COLUMNS)
GOOD5 = "Good,Good,Good,Good,Good"


def row(
    reference: str,
    ratings: str = GOOD5,
    reasons: str = "",
    confidential: str = "No",
    day: str = "2025-10-20",
    method: str = "telephone",
) -> str:
    return f"{reference},Jo Bloggs,Officer,Housing Options,Referrer,{ratings},{reasons},Faster,Yes,None,{confidential},{day},{method}"


@pytest.fixture
def session() -> Iterator[Session]:
    for session in feedback_session():
        stakeholder(session, "ST1")
        stakeholder(session, "ST2")
        yield session


def replies(session: Session) -> list[QuestionnaireReply]:
    return list(session.execute(select(QuestionnaireReply).order_by(col(QuestionnaireReply.id))).scalars())


def test_telephone_answers_are_judged_like_a_workbook(session: Session, tmp_path: Path) -> None:
    ref1 = issue(session, "ST1", date(2025, 10, 1))
    ref2 = issue(session, "ST2", date(2025, 10, 1))
    path = csv_file(
        tmp_path, HEADER, row(ref1), row(ref2, "Poor,Good,Good,Dont know,Good", "slow", method="meeting")
    )
    assert import_responses(session, path) == 2
    first, second = replies(session)
    assert (first.status, first.reasons, first.method, first.adverse) == ("received", "", "telephone", False)
    assert (second.status, second.reasons, second.adverse) == ("incomplete", "poor_unexplained", True)
    assert second.rating_quality == "Don't know"
    assert (second.service_id, second.provider_id, second.organisation) == ("SV1", "PR1", "Housing Options")
    assert second.provider_reply_due == date(2025, 11, 3)  # 10 working days after Monday 20 October
    assert second.letter_path.startswith("feedback/PR1/")
    assert first.letter_path == "" and first.provider_reply_due is None


def test_importing_the_same_file_again_changes_nothing(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    path = csv_file(tmp_path, HEADER, row(ref))
    import_responses(session, path)
    import_responses(session, path)
    assert [r.status for r in replies(session)] == ["received"]


@pytest.mark.parametrize(
    ("first_day", "second_day", "statuses"),
    [
        ("2025-10-20", "2025-10-27", ["superseded", "received"]),  # a later reply supersedes the earlier
        ("2025-10-27", "2025-10-20", ["received", "superseded"]),  # an earlier one recorded later: superseded
    ],
)
def test_the_latest_reply_is_current_whatever_the_order_recorded(
    session: Session, tmp_path: Path, first_day: str, second_day: str, statuses: list[str]
) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    import_responses(session, csv_file(tmp_path, HEADER, row(ref, day=first_day)))
    import_responses(
        session, csv_file(tmp_path, HEADER, row(ref, "Fair,Good,Good,Good,Good", day=second_day))
    )
    assert [r.status for r in replies(session)] == statuses


def test_an_identical_file_is_a_duplicate(session: Session) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    given = ReplyInput(
        ref,
        "SQ.xlsx",
        "ab" * 32,
        datetime(2025, 10, 20, 9, tzinfo=UTC),
        "file",
        dict.fromkeys(["strategic_relevance", "demand", "outcomes", "quality", "cost_effectiveness"], "Poor"),
        comments={"reasons": "not good at all"},
    )
    first = record_reply(session, given)
    again = record_reply(session, given)
    assert (first.status, again.status) == ("received", "duplicate")
    assert again.letter_path == "" and again.provider_reply_due is None


def test_a_reply_to_a_reference_never_issued_from_the_intake_is_unknown(session: Session) -> None:
    given = ReplyInput(
        "SQ-SV1-ST9-20250101", "x.xlsx", "cd" * 32, datetime(2025, 10, 20, tzinfo=UTC), "file", {}
    )
    reply = record_reply(session, given)
    assert reply.status == "incomplete"
    assert reply.reasons.split(";")[0] == "unknown_questionnaire"
    assert reply.letter_path == ""


def test_an_unknown_reference_in_the_import_is_recorded_unknown(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    assert import_responses(session, csv_file(tmp_path, HEADER, row(ref), row("SQ-NOPE"))) == 2
    assert [(r.reference, r.status, r.reasons) for r in replies(session)] == [
        (ref, "received", ""),
        ("SQ-NOPE", "incomplete", "unknown_questionnaire"),
    ]
    assert (replies(session)[1].service_id, replies(session)[1].provider_id) == ("", "")


def test_a_bad_method_or_date_is_bad_input_and_nothing_is_imported(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    path = csv_file(tmp_path, HEADER, row(ref), row(ref, method="email"), row(ref, day=""))
    with pytest.raises(BadInput) as caught:
        import_responses(session, path)
    assert "row 3, column method" in str(caught.value)
    assert "row 4, column date: is blank" in str(caught.value)
    assert replies(session) == []


def test_provider_reply_due_is_ten_working_days_skipping_bank_holidays() -> None:
    # Friday 19 December 2025: Christmas Day, Boxing Day and New Year's Day are skipped.
    assert provider_reply_due(datetime(2025, 12, 19, 10, tzinfo=UTC)) == date(2026, 1, 7)
    # Received late on a Sunday evening in London (BST): the London day counts.
    assert provider_reply_due(datetime(2025, 10, 19, 23, 30, tzinfo=UTC)) == date(2025, 11, 3)


def test_provider_replies_import(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    import_responses(
        session, csv_file(tmp_path, HEADER, row(ref, "Poor,Good,Good,Good,Good", "staff are often late"))
    )
    assert (
        import_provider_replies(
            session, csv_file(tmp_path, "sq_reference,replied_on", f"{ref},2025-10-30", name="r.csv")
        )
        == 1
    )
    assert replies(session)[0].provider_replied_on == date(2025, 10, 30)


def test_a_provider_reply_to_no_adverse_reply_is_bad_input(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    import_responses(session, csv_file(tmp_path, HEADER, row(ref)))
    path = csv_file(tmp_path, "sq_reference,replied_on", f"{ref},2025-10-30", name="r.csv")
    with pytest.raises(BadInput, match="row 2, column sq_reference: .* has no adverse reply"):
        import_provider_replies(session, path)
