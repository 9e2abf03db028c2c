"""The feedback tables shared by the returns status, the feedback summary and the provider packs.

A pack goes to the provider, so its feedback sections hold its own services'
ratings (the five answers, averaged) and open items, and **no text a
stakeholder wrote**: nothing here can carry a comment, confidential or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from data_contracts.questionnaire_workbook import ASPECTS, RATING_CELLS
from reports.columns import columns
from reports.model import Column, Section, Table
from tasks.feedback.due import DueItem

ASPECT_COLUMNS: tuple[Column, ...] = tuple(
    Column(aspect, cell.label, "number") for aspect, cell in zip(ASPECTS, RATING_CELLS, strict=True)
)
KIND_WORDS: dict[str, str] = {
    "stakeholders_due": "Stakeholder questionnaires due",
    "questionnaire_chase": "Questionnaire to chase by telephone",
    "provider_reply_due": "Provider's response to adverse feedback",
    "consultation_due": "Service-user consultation due",
    "consultation_report_due": "Consultation report to send",
    "audit_feedback_due": "Audit feedback to send",
    "reaudit_due": "Re-audit due",
}


@dataclass(frozen=True)
class RatingRow:
    """Average score per aspect over a group's replies (Excellent 5 .. V.Poor 1), with the counts."""

    group: str
    replies: int
    adverse: int
    averages: Mapping[str, float | None]

    def row(self, key: str) -> dict[str, object]:
        """The table row, the group under ``key``; averages to two decimals."""
        rounded = {a: None if v is None else round(v, 2) for a, v in self.averages.items()}
        return {key: self.group, "replies": self.replies, "adverse": self.adverse, **rounded}


@dataclass(frozen=True)
class PackFeedback:
    """A provider's ratings by service and its open feedback and audit items."""

    ratings: tuple[RatingRow, ...] = ()
    open_items: tuple[DueItem, ...] = ()


def ratings_table(rows: Sequence[RatingRow], key: str | Column, sheet: str, title: str, note: str) -> Table:
    """Average score per aspect by group, with replies and adverse replies counted."""
    name = key if isinstance(key, str) else key.key
    return Table(
        sheet=sheet,
        title=title,
        columns=columns(key, "replies", "adverse", *ASPECT_COLUMNS),
        rows=tuple(r.row(name) for r in rows),
        note=note,
        empty="No questionnaire reply.",
    )


def open_items_table(items: Sequence[DueItem], as_at: date, sheet: str = "Feedback items") -> Table:
    """Open feedback and audit items as at the date (``spmon feedback due export``)."""
    return Table(
        sheet=sheet,
        title="Open feedback and audit items",
        columns=columns(
            "kind", "provider_id", "service_id", "reference", "due", "days_overdue", "detail", "kind_code"
        ),  # fmt: skip
        rows=tuple(
            {
                "kind": KIND_WORDS.get(i.kind, i.kind),
                "provider_id": i.provider_id,
                "service_id": i.service_id,
                "reference": i.reference,
                "due": i.due_on,
                "days_overdue": i.days_overdue(as_at),
                "detail": i.detail,
                "kind_code": i.kind,
            }
            for i in items
        ),
        note=f"As at {as_at.isoformat()}; days overdue count from the day after the due date.",
        empty="No open feedback or audit item.",
    )


def pack_feedback_sections(feedback: PackFeedback, as_at: date) -> tuple[Section, ...]:
    """The pack's feedback sections: its services' ratings, and its open items."""
    ratings = ratings_table(
        feedback.ratings,
        "service_id",
        "Stakeholder ratings",
        "Stakeholder ratings of your services",
        "Replies received in the 24 months to the pack's date; the comments are not shown.",
    )
    return (
        Section("Stakeholder feedback", tables=(ratings,)),
        Section("Feedback and audit items", tables=(open_items_table(feedback.open_items, as_at),)),
    )
