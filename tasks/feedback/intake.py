"""Taking a returned questionnaire workbook: what the ingestion run calls for a file that is one.

The ingestion run recognises a questionnaire by content
(:func:`tasks.feedback.questionnaire.is_questionnaire`: it has an
``sq_reference`` cell), then calls :func:`take_questionnaire` in its
transaction with the file's name, sha256 and received time; after the commit
it writes the letters (:func:`tasks.feedback.letters.write_pending_letters`).
An unreadable file stays the run's business (``unreadable``, as for PI
workbooks).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from data_contracts.feedback_tables import QuestionnaireReply
from tasks.feedback.questionnaire import read_questionnaire
from tasks.feedback.responses import record_reply, reply_from_answers
from tasks.intake.workbook_reader import Workbook


def take_questionnaire(
    session: Session, workbook: Workbook, source_file: str, sha256: str, received_at: datetime
) -> QuestionnaireReply:
    """Read, judge and record one returned questionnaire; the reply recorded."""
    answers = read_questionnaire(workbook)
    return record_reply(session, reply_from_answers(answers, source_file, sha256, received_at))
