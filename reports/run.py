"""Building and publishing the scheduled reports: what the command line and the flows call.

``monthly_reports`` / ``quarterly_reports`` gather from the database and
build every report of the period; ``publish_monthly`` /
``publish_quarterly`` also write them under the reports folder
(``reports.publish``). Nothing here writes to the database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from foundation.programme import Programme
from foundation.settings import get_settings
from reports.contracts_update import contracts_update_report
from reports.feedback_summary import feedback_summary_report
from reports.gather import (
    gather_contracts_update,
    gather_meeting_schedule,
    gather_packs,
    gather_quarterly,
    gather_returns_status,
    risk_state,
)
from reports.gather_feedback import gather_feedback_summary, with_feedback_items, with_pack_feedback
from reports.late_returns import late_returns_report
from reports.meeting_schedule import meeting_schedule_report
from reports.model import Report
from reports.national_extract import national_extract_report
from reports.packs import pack_report
from reports.periods import default_month_as_at, default_quarter_as_at, first_of_month
from reports.pi_management import pi_management_report
from reports.publish import publication_of, publish, render_all
from reports.returns_status import returns_status_report

PACKS_KIND = "packs"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QuarterlyReports:
    """The quarter's reports for the CSG, and one pack per provider."""

    reports: tuple[Report, ...]
    packs: tuple[Report, ...]


def monthly_reports(
    session: Session, programme: Programme, month: date, as_at: date | None = None
) -> tuple[Report, ...]:
    """The Contracts Update, the meeting schedule and the returns status of a month (as at its last day)."""
    month = first_of_month(month)
    as_at = as_at or default_month_as_at(month)
    _, risks, _ = risk_state(session, programme, as_at)  # one load and judging for the three reports
    return (
        contracts_update_report(gather_contracts_update(session, programme, month, as_at, risks)),
        meeting_schedule_report(gather_meeting_schedule(session, programme, month, as_at, risks)),
        returns_status_report(
            with_feedback_items(session, programme, gather_returns_status(session, programme, month, as_at))
        ),
    )


def quarterly_reports(
    session: Session, programme: Programme, year: str, quarter: str, as_at: date | None = None
) -> QuarterlyReports:
    """The PI management report, late and non-returns, the national extract and the providers' packs.

    The as-at date defaults to the quarter's deadline plus the year's report delay.
    """
    as_at = as_at or default_quarter_as_at(programme, year, quarter)
    data = gather_quarterly(session, programme, year, quarter, as_at)
    reports = (
        pi_management_report(data),
        late_returns_report(data),
        national_extract_report(data),
        feedback_summary_report(gather_feedback_summary(session, programme, year, quarter, as_at)),
    )
    packs = tuple(
        pack_report(pack)
        for pack in with_pack_feedback(session, programme, gather_packs(session, programme, data))
    )
    return QuarterlyReports(reports, packs)


def publish_reports(
    reports_dir: Path, reports: tuple[Report, ...], now: datetime | None = None
) -> list[dict[str, Any]]:
    """Publish each report as its own manifest entry; the entries."""
    rendered = render_all(reports).files
    return [
        publish(reports_dir, publication_of([report], rendered=[files]), now)
        for report, files in zip(reports, rendered, strict=True)
    ]


def publish_monthly(
    session: Session,
    programme: Programme,
    reports_dir: Path,
    month: date,
    as_at: date | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Build and publish the month's reports; their manifest entries."""
    return publish_reports(reports_dir, monthly_reports(session, programme, month, as_at), now)


def publish_quarterly(
    session: Session,
    programme: Programme,
    reports_dir: Path,
    year: str,
    quarter: str,
    as_at: date | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Build and publish the quarter's reports, and the packs as one entry; the manifest entries."""
    built = quarterly_reports(session, programme, year, quarter, as_at)
    # every file, both cores, once gathered; the packs also as PDF (they go to the providers)
    rendered = render_all([*built.reports, *built.packs], pdf_kinds=("pack",) if pdf_wanted() else ())
    if rendered.pdf_problem:
        logger.warning("The packs are published without PDFs: %s", rendered.pdf_problem)
    count = len(built.reports)
    entries = [
        publish(reports_dir, publication_of([report], rendered=[files]), now)
        for report, files in zip(built.reports, rendered.files[:count], strict=True)
    ]
    if built.packs:
        packs = publication_of(
            list(built.packs),
            kind=PACKS_KIND,
            title="Contract-management packs",
            rendered=rendered.files[count:],
            note=f"No PDFs: {rendered.pdf_problem}." if rendered.pdf_problem else "",
        )
        entries.append(publish(reports_dir, packs, now))
    return entries


def pdf_wanted() -> bool:
    """Whether the packs are printed to PDF: yes unless ``SPMON_REPORT_PDF`` is ``0``, ``no`` or ``false``."""
    return get_settings().report_pdf
