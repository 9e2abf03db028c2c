"""Whether an ingestion run has anything to do, asked before Prefect is started.

A run takes the settled files of the drop folder and writes the notices and
letters still waiting in the database (a run stopped after filing its files
leaves them for the next one). With neither, a flow run would only record
that it found nothing: the command line says so and starts none, in well
under a second instead of the seconds Prefect takes to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tasks.intake.drop_folder import settled_entries


@dataclass(frozen=True)
class DropFolderState:
    """What a run would find: a file to take, files still being written, notices waiting."""

    file_to_take: bool
    settling: int
    outbox_waiting: bool

    @property
    def idle(self) -> bool:
        """Nothing to take and nothing to write: a run would change nothing."""
        return not self.file_to_take and not self.outbox_waiting

    def idle_message(self, drop: Path) -> str:
        """What the command line says when it starts no flow run."""
        message = f"nothing to ingest in {drop}: no file to take and no notice waiting; no flow run started"
        if self.settling:
            message += f" ({self.settling} file(s) still being written are left for the next run)"
        return message


def drop_folder_state(drop: Path, settle_seconds: float, database_url: str) -> DropFolderState:
    """Whether a file is to be taken now (the first found is enough); else how many settle, and notices."""
    if next(settled_entries(drop, settle_seconds), None) is not None:
        return DropFolderState(file_to_take=True, settling=0, outbox_waiting=False)
    settling = sum(1 for _ in settled_entries(drop, 0))  # every file there is still being written
    return DropFolderState(False, settling, outbox_waiting(database_url))


def outbox_waiting(database_url: str) -> bool:
    """Whether a returned PI or QAF return, or a current questionnaire reply, has its file still unwritten."""
    from sqlalchemy import exists, select
    from sqlmodel import col

    from data_contracts.feedback_tables import QuestionnaireReply
    from data_contracts.qaf_tables import QafReturn
    from data_contracts.tables import PiReturn
    from foundation.db import session_scope
    from tasks.feedback.responses import CURRENT

    unwritten = [
        (col(PiReturn.notice_path) != "") & col(PiReturn.notice_written).is_(False),
        (col(QafReturn.notice_path) != "") & col(QafReturn.notice_written).is_(False),
        (col(QuestionnaireReply.letter_path) != "")
        & col(QuestionnaireReply.letter_written).is_(False)
        & col(QuestionnaireReply.status).in_(CURRENT),
    ]
    with session_scope(database_url) as session:
        return any(session.execute(select(exists().where(condition))).scalar() for condition in unwritten)
