"""Service-user consultations (``feedback.md``): the minimum sample, the warnings, the report date.

The officer's record is imported all or nothing (``spmon feedback
consultations import``); the warnings are worked out from it, never refuse
it. The minimum for interviews and groups is the procedure's table
(percentages rounded up); for questionnaires the sample size of the calculator
the procedure points to (95% confidence, 5% margin, 50% distribution), rounded
up; informal gatherings have none.

``short_notice`` needs the service's priority on the notice date: the caller
passes ``priority_on(service_id, day)`` (``tasks.feedback.priority`` gives one
from the recorded risk changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import ceil
from pathlib import Path

from sqlmodel import Session

from data_contracts.feedback_tables import CONSULTATION_COLUMNS, CONSULTATION_METHODS, Consultation
from foundation.programme import Programme
from tasks.common.contract_records import id_text, one_of
from tasks.feedback.cycle import add_months, on_review_list
from tasks.feedback.priority import PriorityOn
from tasks.feedback.rows import (
    Reader,
    import_service_records,
    optional_count,
    optional_date,
    optional_text,
    required_count,
    yes_no_blank_no,
)

QUESTIONNAIRE, INTERVIEW, GROUP, INFORMAL = CONSULTATION_METHODS
REPORT_WEEKS = 6
NOTICE_MONTHS = 1
QUESTIONNAIRE_ONLY_ABOVE = 500

# (largest number of service users, minimum as a count or a percentage of them) for interviews and groups.
_BANDS: tuple[tuple[int, str, int], ...] = (
    (3, "all", 0),
    (10, "count", 3),
    (20, "count", 5),
    (40, "percent", 25),
    (80, "percent", 20),
    (100, "percent", 15),
    (250, "percent", 10),
    (500, "percent", 5),
)


_Z_SQUARED = Fraction(196, 100) ** 2
_X = _Z_SQUARED * 50 * 50  # 1.96² × 50 × 50 = 9604
_MARGIN_SQUARED = 5**2


def questionnaire_sample(service_users: int) -> int:
    """The calculator's sample size ``n = N·x / ((N − 1)·5² + x)``, rounded up (500 service users: 218)."""
    if service_users <= 0:
        return 0
    n = service_users * _X / ((service_users - 1) * _MARGIN_SQUARED + _X)
    return ceil(n)


def interview_minimum(service_users: int) -> int | None:
    """The procedure's minimum to contact by interview or group; ``None`` above 500 (a questionnaire then)."""
    for largest, kind, amount in _BANDS:
        if service_users <= largest:
            if kind == "all":
                return service_users
            if kind == "count":
                return amount
            return -(-service_users * amount // 100)
    return None


def minimum_sample(method: str, service_users: int) -> int | None:
    """The number to contact for a method; ``None`` for informal gatherings and interviews above 500."""
    if method == QUESTIONNAIRE:
        return questionnaire_sample(service_users)
    if method == INFORMAL:
        return None
    return interview_minimum(service_users)


def held_day(consultation: Consultation) -> date | None:
    """When a consultation counts as held: ``closes_on`` for questionnaires (else ``held_on``)."""
    if consultation.method == QUESTIONNAIRE:
        return consultation.closes_on or consultation.held_on
    return consultation.held_on or consultation.closes_on


def report_due(consultation: Consultation) -> date | None:
    """The written report is due 6 weeks after ``closes_on`` (or ``held_on``)."""
    day = consultation.closes_on or consultation.held_on
    return day + timedelta(weeks=REPORT_WEEKS) if day else None


def report_late(consultation: Consultation, as_at: date) -> bool | None:
    """``None`` while the as-at date is before the due date; then late unless sent by the due date."""
    return late_by(report_due(consultation), consultation.report_sent_on, as_at)


def late_by(due: date | None, sent: date | None, as_at: date) -> bool | None:
    """Whether something due was late as at a date (``feedback.md``: overdue when not sent or sent later).

    ``None`` (blank) exactly while the as-at date is before the due date (or
    there is none); from the due date on, late when nothing was sent by the
    as-at date or it was sent after the due date.
    """
    if due is None or as_at < due:
        return None
    return sent is None or sent > as_at or sent > due


def short_notice(notice_on: date | None, held_on: date | None, red_then: bool) -> bool:
    """Notice given less than one month before the day, unless the service was RED on the notice date."""
    if notice_on is None or held_on is None or red_then:
        return False
    return add_months(notice_on, NOTICE_MONTHS) > held_on


@dataclass(frozen=True)
class WarningContext:
    """What the warnings need beyond the record: the programme file and the priority on a day."""

    programme: Programme
    priority_on: PriorityOn


def consultation_warnings(consultation: Consultation, context: WarningContext) -> list[str]:
    """The warning codes of a consultation, in the order of the spec's table."""
    c, found = consultation, []
    minimum = minimum_sample(c.method, c.service_users)
    if minimum is not None and c.contacted is not None and c.contacted < minimum:
        found.append("sample_too_small")
    face_to_face = c.method in (INTERVIEW, GROUP)
    if face_to_face and c.service_users > QUESTIONNAIRE_ONLY_ABOVE:
        found.append("method_unsuitable")
    if face_to_face and c.contacted is not None and (c.consent_forms or 0) < c.contacted:
        found.append("consent_missing")
    red = c.notice_given_on is not None and context.priority_on(c.service_id, c.notice_given_on) == "RED"
    if short_notice(c.notice_given_on, c.held_on, red):
        found.append("short_notice")
    held = held_day(c)
    if held is not None and on_review_list(context.programme, c.service_id, held):
        found.append("postponed_year")
    return found


def import_consultations(session: Session, path: Path) -> int:
    """Load consultations, upserted by ``consultation_id``; all or nothing. The number of rows."""
    readers: dict[str, Reader] = {
        "consultation_id": id_text,
        "provider_id": id_text,
        "service_id": id_text,
        "method": one_of(CONSULTATION_METHODS),
        "service_users": required_count,
        "adverse": yes_no_blank_no,
        "complaint_raised": yes_no_blank_no,
        "report_approved_by": optional_text,
    }
    for name in ("notice_given_on", "held_on", "closes_on", "report_sent_on"):
        readers[name] = optional_date
    for name in ("contacted", "responses", "consent_forms"):
        readers[name] = optional_count
    return import_service_records(session, path, CONSULTATION_COLUMNS, readers, Consultation, _no_problems)


def _no_problems(_record: dict[str, object]) -> list[str]:
    """``feedback.md`` names no rule between the counts (``responses`` above ``contacted`` is imported)."""
    return []
