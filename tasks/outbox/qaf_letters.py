"""Notices for returned QAFs and grade letters (written by ``tasks.outbox.writer``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from data_contracts.qaf_tables import AgreedGrade, QafReturn, plan_due
from data_contracts.qaf_workbook import OBJECTIVE_BY_CODE
from tasks.outbox.templating import render, returned_file_values
from tasks.outbox.writer import write_pending


def render_qaf_notice(row: QafReturn) -> str:
    """The text of the notice for one returned QAF."""
    return render("qaf_notice.txt.j2", **returned_file_values(row), service_ids=row.service_ids)


def write_pending_qaf_notices(session: Session, outbox: Path) -> list[Path]:
    """Write every QAF notice not yet written; the paths written."""
    return write_pending(session, QafReturn, outbox, lambda rows: render_qaf_notice(rows[0]))


def render_grade_letter(grades: Sequence[AgreedGrade]) -> str:
    """The letter for agreed grades of one QAF (same date and method): those unlike the claim, and Ds."""
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
    return render(
        "qaf_grade_letter.txt.j2",
        provider_id=first.provider_id,
        service_ids=first.service_ids,
        year=first.year,
        method=first.method,
        date_agreed=first.date_agreed.strftime("%d/%m/%Y"),
        grades=items,
    )


def write_pending_grade_letters(session: Session, outbox: Path) -> list[Path]:
    """Write every grade letter with a grade not yet told; a letter lists all its grades."""
    return write_pending(session, AgreedGrade, outbox, render_grade_letter, "letter_path", "letter_written")
