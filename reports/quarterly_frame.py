"""What every quarterly report for the Core Strategy Group shares: its audience and its frame."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from reports.model import Report, Section
from reports.periods import quarter_label, quarter_period_name

QUARTERLY_AUDIENCE = "the Core Strategy Group and the Commissioning Body"


def quarterly_report(
    kind: str,
    title: str,
    quarter: tuple[str, str],
    as_at: date,
    sections: tuple[Section, ...],
    headline: tuple[str, ...] = (),
    audience: str = QUARTERLY_AUDIENCE,
    extra: Mapping[str, str] | None = None,
) -> Report:
    """A quarterly report of ``quarter`` (year and quarter, ``("2025/26", "Q2")``) as at the date."""
    year, name = quarter
    return Report(
        kind=kind,
        title=title,
        period=quarter_period_name(year, name),
        period_label=quarter_label(year, name),
        as_at=as_at,
        sections=sections,
        audience=audience,
        extra=extra or {},
        headline=headline,
    )
