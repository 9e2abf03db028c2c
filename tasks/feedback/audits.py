"""Support-plan audits (``feedback.md``): the import, the notice, feedback and re-audit dates, the status.

- Notice: at least one month before the audit, else ``short_notice`` (unless
  the service was RED on the notice date).
- Written feedback is due 4 weeks after the audit date.
- An audit that does not meet the minimum needs a remedy date and a re-audit:
  the re-audit is due on ``remedy_agreed_by`` and overdue from the day after.
- Alarm services (``Community alarm``) are not audited: ``not_applicable``.

Everything is judged as at a date: a date after it (feedback sent, re-audit
held) has not happened yet. An audit whose result is not yet known (or that is
after the as-at date) has no status (blank).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from data_contracts.feedback_tables import AUDIT_COLUMNS, PLAN_CHECKS, Audit
from data_contracts.pi_workbook import COMMUNITY_ALARM
from tasks.common.contract_records import id_text
from tasks.feedback.consultations import late_by, short_notice
from tasks.feedback.priority import PriorityOn
from tasks.feedback.rows import (
    Reader,
    counts_above,
    import_service_records,
    optional_count,
    optional_date,
    required_count,
    required_date,
    yes_no,
)

FEEDBACK_WEEKS = 4


def _by(day: date | None, as_at: date) -> date | None:
    """A date that has happened by the as-at date, else ``None``."""
    return day if day is not None and day <= as_at else None


def is_alarm(service_type: str | None) -> bool:
    """Community alarm services are not audited."""
    return (service_type or "").strip().casefold() == COMMUNITY_ALARM.casefold()


def feedback_due(audit: Audit) -> date:
    """Written feedback is due 4 weeks after the audit date."""
    return audit.audit_date + timedelta(weeks=FEEDBACK_WEEKS)


def feedback_late(audit: Audit, as_at: date) -> bool | None:
    """``None`` while the as-at date is before the due date; then late unless sent by the due date."""
    return late_by(feedback_due(audit), audit.feedback_sent_on, as_at)


def reaudit_due(audit: Audit) -> date | None:
    """The re-audit of an audit that did not meet the minimum is due on the remedy date."""
    return audit.remedy_agreed_by if audit.meets_minimum is False else None


def audit_status(audit: Audit, service_type: str | None, as_at: date) -> str:
    """An audit's status as at a date (``AUDIT_STATUSES``).

    ``""`` while the audit or its result is not yet known as at the date.
    """
    if is_alarm(service_type):
        return "not_applicable"
    if audit.audit_date > as_at or audit.meets_minimum is None:
        return ""
    if audit.meets_minimum:
        return "met"
    if _by(audit.reaudit_on, as_at) is not None and audit.reaudit_meets_minimum is not None:
        return "reaudit_met" if audit.reaudit_meets_minimum else "reaudit_not_met"
    due = reaudit_due(audit)
    if due is None:
        return "not_met"
    return "reaudit_overdue" if as_at > due and _by(audit.reaudit_on, as_at) is None else "reaudit_due"


def audit_warnings(audit: Audit, priority_on: PriorityOn) -> list[str]:
    """``short_notice`` when notice was less than a month before the audit (unless RED that day)."""
    notice = audit.notified_on
    red = notice is not None and priority_on(audit.service_id, notice) == "RED"
    return ["short_notice"] if short_notice(notice, audit.audit_date, red) else []


def latest_audit(audits: Sequence[Audit], as_at: date) -> Audit | None:
    """The latest audit held by the as-at date."""
    held = [a for a in audits if a.audit_date <= as_at]
    return max(held, key=lambda a: (a.audit_date, a.audit_id), default=None)


def import_audits(session: Session, path: Path) -> int:
    """Load audits, upserted by ``audit_id``; all or nothing. The number of rows."""
    readers: dict[str, Reader] = {
        "audit_id": id_text,
        "provider_id": id_text,
        "service_id": id_text,
        "notified_on": optional_date,
        "audit_date": required_date,
        "plans_viewed": required_count,
        "feedback_sent_on": optional_date,
        "remedy_agreed_by": optional_date,
        "reaudit_on": optional_date,
    }
    readers.update(dict.fromkeys(PLAN_CHECKS, optional_count))
    readers.update(dict.fromkeys(("procedures_in_place", "meets_minimum", "reaudit_meets_minimum"), yes_no))
    return import_service_records(session, path, AUDIT_COLUMNS, readers, Audit, count_problems)


def count_problems(record: Mapping[str, object]) -> list[str]:
    """A plan check counting more plans than were viewed is bad input naming its column."""
    return counts_above(record, "plans_viewed", PLAN_CHECKS, "plans viewed")
