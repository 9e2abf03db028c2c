"""Notices for returned QAFs and grade letters, written to the outbox.

As for PI notices (``tasks.outbox.pi_notices``), the path is stored with the row in the
same transaction as the row itself; the files are written afterwards and
marked as written, so an interrupted run writes them next time (same path,
same text).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import Session, col

from data_contracts.qaf_tables import AgreedGrade, QafReturn, plan_due
from data_contracts.qaf_workbook import OBJECTIVE_BY_CODE
from tasks.calendar.dates import LONDON, as_utc
from tasks.common.safe_paths import inside
from tasks.outbox.pi_notices import write_atomically
from tasks.outbox.templating import environment


def render_qaf_notice(row: QafReturn) -> str:
    """The text of the notice for one returned QAF."""
    received = as_utc(row.received_at).astimezone(LONDON).strftime("%d/%m/%Y at %H:%M")
    return (
        environment()
        .get_template("qaf_notice.txt.j2")
        .render(
            provider_id=row.provider_id,
            service_ids=row.service_ids,
            year=row.year,
            source_file=row.source_file,
            received=received,
            messages=row.messages,
            reasons=row.reasons,
        )
    )


def write_pending_qaf_notices(session: Session, outbox: Path) -> list[Path]:
    """Write every QAF notice not yet written; the paths written."""
    statement = select(QafReturn).where(
        col(QafReturn.notice_path) != "", col(QafReturn.notice_written).is_(False)
    )
    rows = session.execute(statement).scalars().all()
    written = []
    for row in rows:
        path = inside(outbox, row.notice_path, depth=3)
        write_atomically(path, render_qaf_notice(row))
        written.append(path)
    if rows:
        ids = [row.id for row in rows]
        session.execute(update(QafReturn).where(col(QafReturn.id).in_(ids)).values(notice_written=True))
    return written


def render_grade_letter(grades: list[AgreedGrade]) -> str:
    """The letter for agreed grades of one QAF (same date and method): those differing from the claim, and Ds."""
    first = grades[0]
    items = [
        {
            "title": OBJECTIVE_BY_CODE[grade.objective].title,
            "claimed": grade.claimed,
            "grade": grade.grade,
            "explanation": grade.explanation,
            "plan_due": plan_due(grade.date_agreed).strftime("%d/%m/%Y"),
        }
        for grade in sorted(grades, key=lambda grade: grade.objective)
    ]
    return (
        environment()
        .get_template("qaf_grade_letter.txt.j2")
        .render(
            provider_id=first.provider_id,
            service_ids=first.service_ids,
            year=first.year,
            method=first.method,
            date_agreed=first.date_agreed.strftime("%d/%m/%Y"),
            grades=items,
        )
    )


def write_pending_grade_letters(session: Session, outbox: Path) -> list[Path]:
    """Write every grade letter with a grade not yet told; a letter lists all its grades."""
    pending = select(col(AgreedGrade.letter_path)).where(
        col(AgreedGrade.letter_path) != "", col(AgreedGrade.letter_written).is_(False)
    )
    paths = sorted(set(session.execute(pending).scalars()))
    if not paths:
        return []
    by_letter: dict[str, list[AgreedGrade]] = defaultdict(list)
    for grade in session.execute(
        select(AgreedGrade).where(col(AgreedGrade.letter_path).in_(paths))
    ).scalars():
        by_letter[grade.letter_path].append(grade)
    written = []
    for letter_path in paths:
        path = inside(outbox, letter_path, depth=3)
        write_atomically(path, render_grade_letter(by_letter[letter_path]))
        written.append(path)
    session.execute(
        update(AgreedGrade).where(col(AgreedGrade.letter_path).in_(paths)).values(letter_written=True)
    )
    return written
