"""Notices to providers: one text file per returned PI return (written by ``tasks.outbox.writer``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from data_contracts.tables import PiReturn
from tasks.outbox.templating import render, returned_file_values
from tasks.outbox.writer import write_pending


def render_pi_notice(row: PiReturn, deadline: date | None) -> str:
    """The text of one notice."""
    return render(
        "pi_notice.txt.j2",
        **returned_file_values(row),
        service_id=row.service_id,
        quarter=row.quarter,
        deadline=deadline.strftime("%d/%m/%Y") if deadline else "",
    )


def write_pending_notices(
    session: Session, outbox: Path, deadline_of: Callable[[PiReturn], date | None]
) -> list[Path]:
    """Write every notice not yet written; ``deadline_of(row)`` gives the date shown, or None."""
    return write_pending(
        session, PiReturn, outbox, lambda rows: render_pi_notice(rows[0], deadline_of(rows[0]))
    )
