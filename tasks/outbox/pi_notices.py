"""Notices to providers: one text file per returned PI return (written by ``tasks.outbox.writer``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from data_contracts.tables import PiReturn
from tasks.calendar.dates import LONDON, as_utc
from tasks.outbox.templating import environment
from tasks.outbox.writer import write_pending


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


def write_pending_notices(
    session: Session, outbox: Path, deadline_of: Callable[[PiReturn], date | None]
) -> list[Path]:
    """Write every notice not yet written; ``deadline_of(row)`` gives the date shown, or None."""
    return write_pending(
        session, PiReturn, outbox, lambda rows: render_pi_notice(rows[0], deadline_of(rows[0]))
    )
