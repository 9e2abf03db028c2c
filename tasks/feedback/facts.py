"""Gathering the feedback facts of every service as the database stood on the as-at date.

The clauses (``tasks.feedback.clauses``) and the due list (``tasks.feedback.due``)
both start here. Only what had happened by the as-at date counts: questionnaires
issued by then, replies received by then (the latest of each reference is its
current reply; duplicates never count), consultations held by then, audits
held by then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from data_contracts.feedback_tables import (
    DUPLICATE,
    Audit,
    Consultation,
    QuestionnaireIssue,
    QuestionnaireReply,
)
from tasks.calendar.dates import as_utc, london_date, year_start
from tasks.contract_management.clause_terms import ClauseResult
from tasks.feedback.audits import feedback_due
from tasks.feedback.clauses import (
    CYCLE_HIGH_MONTHS,
    AdverseReply,
    ServiceUserFacts,
    StakeholderFacts,
    SupportPlanFacts,
    service_user_feedback,
    stakeholder_feedback,
    support_plans,
)
from tasks.feedback.consultations import held_day, report_due
from tasks.feedback.cycle import (
    FeedbackProgramme,
    ServiceRef,
    add_months,
    consultation_due_on,
    current_services,
    due_on,
    years_after_review,
)
from tasks.feedback.cycle import (
    feedback_programme as feedback_programme,  # re-exported: the risk evaluation and reports take it here
)
from tasks.feedback.responses import supersession_key


@dataclass(frozen=True)
class FeedbackRecords:
    """Every feedback row, loaded once."""

    issues: tuple[QuestionnaireIssue, ...]
    replies: tuple[QuestionnaireReply, ...]
    consultations: tuple[Consultation, ...]
    audits: tuple[Audit, ...]

    @classmethod
    def load(cls, session: Session) -> FeedbackRecords:
        """Every row of the four tables."""

        def rows(table: type) -> tuple[Any, ...]:
            return tuple(session.execute(select(table)).scalars())

        return cls(rows(QuestionnaireIssue), rows(QuestionnaireReply), rows(Consultation), rows(Audit))

    def by_service(self) -> dict[str, FeedbackRecords]:
        """The records of each service (the risk history judges one service on many days)."""
        parts: dict[str, list[list[Any]]] = defaultdict(lambda: [[], [], [], []])
        tables: tuple[tuple[Any, ...], ...] = (self.issues, self.replies, self.consultations, self.audits)
        for index, table in enumerate(tables):
            for row in table:
                parts[row.service_id][index].append(row)
        return {sid: FeedbackRecords(*(tuple(rows) for rows in held)) for sid, held in parts.items()}


NO_RECORDS = FeedbackRecords((), (), (), ())


@dataclass(frozen=True)
class ServiceFeedback:
    """One service's facts for the three clauses."""

    service: ServiceRef
    stakeholders: StakeholderFacts
    service_users: ServiceUserFacts
    support_plans: SupportPlanFacts
    open_issues: tuple[QuestionnaireIssue, ...]  # issued by the as-at date with no reply by then
    current_replies: tuple[QuestionnaireReply, ...]


def received_on(reply: QuestionnaireReply) -> date:
    """The Europe/London day a reply was received."""
    return london_date(as_utc(reply.received_at))


def current_replies(replies: Iterable[QuestionnaireReply], as_at: date) -> list[QuestionnaireReply]:
    """Each reference's latest reply received by the as-at date (no duplicates; a blank reference alone)."""
    latest: dict[str, QuestionnaireReply] = {}
    for reply in replies:
        if reply.status == DUPLICATE or received_on(reply) > as_at:
            continue
        held = latest.get(supersession_key(reply))
        if held is None or (as_utc(held.received_at), held.id or 0) <= (
            as_utc(reply.received_at),
            reply.id or 0,
        ):
            latest[supersession_key(reply)] = reply
    return list(latest.values())


def service_feedback(
    service: ServiceRef, records: FeedbackRecords, fb: FeedbackProgramme, as_at: date
) -> ServiceFeedback:
    """One service's facts as at the date."""
    sid = service.service_id
    issues = [i for i in records.issues if i.service_id == sid and i.issued_on <= as_at]
    replies = [r for r in current_replies(records.replies, as_at) if r.service_id == sid]
    answered = {r.reference for r in replies}
    consultations = tuple(c for c in records.consultations if c.service_id == sid)
    last_consulted = max((d for d in map(held_day, consultations) if d and d <= as_at), default=None)
    consultation_due = consultation_due_on(fb.programme, sid, last_consulted, fb.cycle_start, as_at)
    adverse = tuple(
        AdverseReply(r.reference, r.provider_reply_due, r.provider_replied_on)
        for r in replies
        if r.adverse and r.provider_reply_due is not None
    )
    last_issued = max((i.issued_on for i in issues), default=None)
    return ServiceFeedback(
        service=service,
        stakeholders=StakeholderFacts(due_on(last_issued, fb.cycle_start), adverse),
        service_users=ServiceUserFacts(consultation_due, consultations),
        support_plans=SupportPlanFacts(
            service.service_type, tuple(a for a in records.audits if a.service_id == sid)
        ),
        open_issues=tuple(i for i in issues if i.reference not in answered),
        current_replies=tuple(replies),
    )


def gather_feedback(session: Session, fb: FeedbackProgramme, as_at: date) -> list[ServiceFeedback]:
    """Every service under contract in the as-at's year, with its feedback facts."""
    records = FeedbackRecords.load(session)
    return [service_feedback(service, records, fb, as_at) for service in current_services(session, as_at)]


FEEDBACK_RULES: dict[str, Callable[[ServiceFeedback, date], ClauseResult]] = {
    "stakeholder_feedback": lambda facts, as_at: stakeholder_feedback(facts.stakeholders, as_at),
    "service_user_feedback": lambda facts, as_at: service_user_feedback(facts.service_users, as_at),
    "support_plans": lambda facts, as_at: support_plans(facts.support_plans, as_at),
}


def judge_feedback(facts: ServiceFeedback, as_at: date) -> list[ClauseResult]:
    """The three clauses of one service."""
    return [rule(facts, as_at) for rule in FEEDBACK_RULES.values()]


def judge_all(session: Session, fb: FeedbackProgramme, as_at: date) -> dict[str, list[ClauseResult]]:
    """The three clauses of every service, by service ID (for the risk evaluation)."""
    return {f.service.service_id: judge_feedback(f, as_at) for f in gather_feedback(session, fb, as_at)}


def _plus_one(day: date | None) -> date | None:
    return day + timedelta(days=1) if day is not None else None


def candidate_days(records: FeedbackRecords, service_id: str, fb: FeedbackProgramme) -> dict[str, set[date]]:
    """The days on which each feedback clause of a service can change level (for the risk history).

    A level changes only on a day something happened (issued, received,
    replied, held, sent, audited), on a report or feedback due date, the day
    after a date passed (a cycle, a reply or re-audit due date), or six months
    after a consultation cycle fell due. Judging the clause on these days finds every change.
    """
    issues = [i for i in records.issues if i.service_id == service_id]
    replies = [r for r in records.replies if r.service_id == service_id]
    consultations = [c for c in records.consultations if c.service_id == service_id]
    audits = [a for a in records.audits if a.service_id == service_id]
    stakeholder: set[date | None] = {i.issued_on for i in issues}
    stakeholder |= {received_on(r) for r in replies}
    stakeholder |= {d for r in replies for d in (_plus_one(r.provider_reply_due), r.provider_replied_on)}
    stakeholder |= {_plus_one(due_on(day, fb.cycle_start)) for day in (None, *(i.issued_on for i in issues))}
    held = [held_day(c) for c in consultations]
    users = {d for c in consultations for d in (held_day(c), report_due(c), c.report_sent_on)}
    for day in (None, *held):
        cycle = due_on(day, fb.cycle_start)
        users |= {_plus_one(cycle), add_months(cycle, CYCLE_HIGH_MONTHS)}
    users |= {date(year_start(y), 4, 1) for y in fb.programme.years}  # procurement review years start
    for next_start in years_after_review(fb.programme, service_id):  # a due date moved past a review year
        users |= {_plus_one(next_start), add_months(next_start, CYCLE_HIGH_MONTHS)}
    plans = {d for a in audits for d in (a.audit_date, feedback_due(a), a.feedback_sent_on)}
    plans |= {d for a in audits for d in (_plus_one(a.remedy_agreed_by), a.reaudit_on)}
    return {
        "stakeholder_feedback": {d for d in stakeholder if d is not None},
        "service_user_feedback": {d for d in users if d is not None},
        "support_plans": {d for d in plans if d is not None},
    }
