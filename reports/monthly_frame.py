"""What every monthly report shares: its audience, its frame (period, as-at date) and its wording."""

from __future__ import annotations

from datetime import date

from reports.model import Report, Section
from reports.periods import month_label, month_period

MONTHLY_AUDIENCE = "the Core Strategy Group"


def counted(number: int, noun: str) -> str:
    """``1 service``, ``2 services``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def monthly_report(
    kind: str,
    title: str,
    month: date,
    as_at: date,
    sections: tuple[Section, ...],
    headline: tuple[str, ...] = (),
) -> Report:
    """A monthly report of ``month`` for the Core Strategy Group (``headline``: what needs attention)."""
    return Report(
        kind=kind,
        title=title,
        period=month_period(month),
        period_label=month_label(month),
        as_at=as_at,
        sections=sections,
        audience=MONTHLY_AUDIENCE,
        headline=headline,
    )


def listed(items: list[str], most: int = 8) -> str:
    """``a, b and c``; past ``most`` items, ``a, b, ... and 5 more``."""
    if len(items) > most:
        return f"{', '.join(items[:most])} and {len(items) - most} more"
    if len(items) > 1:
        return f"{', '.join(items[:-1])} and {items[-1]}"
    return "".join(items)
