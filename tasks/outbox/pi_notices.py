"""Notices to providers: one text file per returned return, written to the outbox.

The notice's path is stored with the return in the same transaction as the
return itself; the files are written afterwards and marked as written, so a
run stopped in between writes them next time (same path, same text). The
stored path holds provider text (IDs as read), so it is rebuilt part by part
under the outbox (``tasks.common.safe_paths.inside``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import Session, col

from data_contracts.tables import PiReturn
from tasks.calendar.dates import LONDON, as_utc
from tasks.common.safe_paths import inside
from tasks.intake.safe_files import write_text_atomically
from tasks.outbox.templating import environment


def render_pi_notice(row: PiReturn, deadline: date | None) -> str:
    """The text of one notice."""
    received = as_utc(row.received_at).astimezone(LONDON).strftime("%d/%m/%Y at %H:%M")
    return (
        environment()
        .get_template("pi_notice.txt.j2")
        .render(
            provider_id=row.provider_id,
            service_id=row.service_id,
            quarter=row.quarter,
            year=row.year,
            source_file=row.source_file,
            received=received,
            messages=row.messages,
            reasons=row.reasons,
            deadline=deadline.strftime("%d/%m/%Y") if deadline else "",
        )
    )


def write_atomically(path: Path, text: str) -> None:
    """Write a file under a temporary name, then rename it into place; disk errors as ``SystemFailure``."""
    write_text_atomically(path, text)


def write_pending_notices(
    session: Session, outbox: Path, deadline_of: Callable[[PiReturn], date | None]
) -> list[Path]:
    """Write every notice not yet written; ``deadline_of(row)`` gives the date shown, or None."""
    rows = (
        session.execute(
            select(PiReturn).where(col(PiReturn.notice_path) != "", col(PiReturn.notice_written).is_(False))
        )
        .scalars()
        .all()
    )
    written = []
    for row in rows:
        path = inside(outbox, row.notice_path, depth=3)
        write_atomically(path, render_pi_notice(row, deadline_of(row)))
        written.append(path)
    if rows:
        ids = [row.id for row in rows]
        session.execute(update(PiReturn).where(col(PiReturn.id).in_(ids)).values(notice_written=True))
    return written
