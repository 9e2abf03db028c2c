"""Adverse-feedback letters: ratings and comments introduced by organisation; never a confidential word."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import RESPONSE_COLUMNS, QuestionnaireReply
from tasks.feedback.letters import CONFIDENTIAL_SENTENCE, write_pending_letters
from tasks.feedback.responses import import_responses
from tests.factories.feedback import feedback_session, issue, stakeholder
from tests.factories.imports import csv_file

HEADER = ",".join(RESPONSE_COLUMNS)
CONFIDENTIAL_TEXTS = (
    "Secret Agency Ltd",
    "Ms Whistle",
    "Chief Whistleblower",
    "the manager shouts at residents",
    "replace the manager",
    "it undermines our work",
    "please do not tell them",
    "Abysmal",
)


def line(reference: str, texts: tuple[str, ...], confidential: str, quality: str = "Poor") -> str:
    organisation, respondent, job, reasons, suggestions, helps, further = texts
    return (
        f"{reference},{respondent},{job},{organisation},Partner,Good,Good,Fair,{quality},Good,"
        f"{reasons},{suggestions},{helps},{further},{confidential},2025-10-20,telephone"
    )


@pytest.fixture
def session() -> Iterator[Session]:
    for session in feedback_session():
        for stakeholder_id in ("ST1", "ST2", "ST3"):
            stakeholder(session, stakeholder_id)
        yield session


def test_a_letter_gives_the_ratings_and_each_comment_introduced_by_organisation(
    session: Session, tmp_path: Path
) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    texts = ("Housing Options", "Jo", "Officer", "waits are far too long", "more staff", "Partly", "")
    import_responses(session, csv_file(tmp_path, HEADER, line(ref, texts, "No")))
    (path,) = write_pending_letters(session, tmp_path / "outbox")
    assert path.parent == tmp_path / "outbox" / "feedback" / "PR1"
    text = path.read_text(encoding="utf-8")
    assert "Service: SV1 Service SV1" in text
    assert "Quality of service delivery: Poor" in text and "Strategic relevance: Good" in text
    assert "Comments from the representative of Housing Options were: waits are far too long" in text
    assert "Comments from the representative of Housing Options were: more staff" in text
    assert "by 03/11/2025" in text
    assert write_pending_letters(session, tmp_path / "outbox") == []  # written once


def test_no_text_of_a_confidential_reply_appears_in_any_letter(session: Session, tmp_path: Path) -> None:
    organisation, respondent, job, reasons, suggestions, helps, further, invalid = CONFIDENTIAL_TEXTS
    refs = [issue(session, s, date(2025, 10, 1)) for s in ("ST1", "ST2", "ST3")]
    confidential = (organisation, respondent, job, reasons, suggestions, helps, further)
    lines = [
        line(refs[0], confidential, "Yes"),
        line(refs[1], confidential, "yes", quality="Very poor"),
        # An answer that is not a rating is the stakeholder's text too.
        line(refs[2], confidential, "Yes").replace(
            ",Good,Good,Fair,Poor,Good,", f",Poor,Good,Fair,{invalid},Good,"
        ),
    ]
    import_responses(session, csv_file(tmp_path, HEADER, *lines))
    letters = write_pending_letters(session, tmp_path / "outbox")
    assert len(letters) == 3
    for path in letters:
        text = path.read_text(encoding="utf-8")
        assert CONFIDENTIAL_SENTENCE in text
        assert "Poor" in text
        for secret in CONFIDENTIAL_TEXTS:
            assert secret.casefold() not in text.casefold(), (path.name, secret)


def test_a_hostile_provider_id_stays_inside_the_outbox(session: Session, tmp_path: Path) -> None:
    ref = issue(session, "ST1", date(2025, 10, 1))
    texts = ("Org", "Jo", "Officer", "far too slow", "", "", "")
    import_responses(session, csv_file(tmp_path, HEADER, line(ref, texts, "No")))
    reply = session.execute(select(QuestionnaireReply)).scalars().one()
    reply.letter_path = "feedback/../../etc/x.txt"
    session.add(reply)
    (path,) = write_pending_letters(session, tmp_path / "outbox")
    assert path.absolute().is_relative_to((tmp_path / "outbox").absolute())
