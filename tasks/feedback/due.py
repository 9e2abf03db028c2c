"""The open feedback items as at a date (``spmon feedback due export``): one row per item.

| kind | open while | due on |
|---|---|---|
| ``stakeholders_due`` | no questionnaire issued for the service in 24 months | 24 months after the last (or the cycle start) |
| ``questionnaire_chase`` | no reply 14 days after issue (telephone follow-up) | the reply due date |
| ``provider_reply_due`` | an adverse reply awaits the provider's response | 10 working days after it was received |
| ``consultation_due`` | no consultation in 24 months (not in a procurement review year) | as for stakeholders |
| ``consultation_report_due`` | a consultation held with no report sent | 6 weeks after it closed (or was held) |
| ``audit_feedback_due`` | an audit held with no written feedback sent | 4 weeks after the audit |
| ``reaudit_due`` | an audit not meeting the minimum, not yet re-audited | the remedy date (blank until agreed) |

The cycle items appear once the service is due, the day after their due date
(the last day of the cycle: a questionnaire issued, or a consultation held,
exactly 24 months before the as-at date still counts), so with at least 1 day
overdue; the chase once due; the others as soon as they are open.
``days_overdue`` counts from the day after the due date (0 until then).
Community alarm services are not audited, so they have no audit items.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from data_contracts.feedback_tables import DUE_KINDS
from tasks.feedback.audits import feedback_due, is_alarm
from tasks.feedback.consultations import held_day, report_due
from tasks.feedback.cycle import FeedbackProgramme
from tasks.feedback.facts import ServiceFeedback, gather_feedback


@dataclass(frozen=True)
class DueItem:
    """One open item."""

    kind: str
    provider_id: str
    service_id: str
    reference: str
    due_on: date | None
    detail: str

    def days_overdue(self, as_at: date) -> int | None:
        """Days past the due date (0 until it has passed; ``None`` without one)."""
        return None if self.due_on is None else max(0, (as_at - self.due_on).days)


def _unsent(day: date | None, as_at: date) -> bool:
    return day is None or day > as_at


def cycle_items(facts: ServiceFeedback, as_at: date) -> Iterator[DueItem]:
    """The service's stakeholders and service users when due, and its questionnaires to chase."""
    s = facts.service
    if facts.stakeholders.cycle_due_on < as_at:
        yield DueItem(
            "stakeholders_due",
            s.provider_id,
            s.service_id,
            "",
            facts.stakeholders.cycle_due_on,
            "no stakeholder questionnaire issued in 24 months",
        )
    for issue in facts.open_issues:
        if issue.reply_due <= as_at:
            yield DueItem(
                "questionnaire_chase",
                s.provider_id,
                s.service_id,
                issue.reference,
                issue.reply_due,
                f"no reply from stakeholder {issue.stakeholder_id}: follow up by telephone",
            )
    due = facts.service_users.cycle_due_on
    if due is not None and due < as_at:
        yield DueItem(
            "consultation_due",
            s.provider_id,
            s.service_id,
            "",
            due,
            "no service-user consultation in 24 months",
        )


def reply_items(facts: ServiceFeedback, as_at: date) -> Iterator[DueItem]:
    """Adverse replies awaiting the provider's response."""
    s = facts.service
    for reply in facts.current_replies:
        if reply.adverse and reply.provider_reply_due and _unsent(reply.provider_replied_on, as_at):
            yield DueItem(
                "provider_reply_due",
                s.provider_id,
                s.service_id,
                reply.reference,
                reply.provider_reply_due,
                "the provider's response to adverse feedback",
            )


def consultation_items(facts: ServiceFeedback, as_at: date) -> Iterator[DueItem]:
    """Consultations held whose report is not yet sent."""
    s = facts.service
    for c in facts.service_users.consultations:
        held = held_day(c)
        if held is not None and held <= as_at and _unsent(c.report_sent_on, as_at):
            detail = f"{c.method} consultation report" + (
                "; a complaint was raised" if c.complaint_raised else ""
            )
            yield DueItem(
                "consultation_report_due",
                s.provider_id,
                s.service_id,
                c.consultation_id,
                report_due(c),
                detail,
            )


def audit_items(facts: ServiceFeedback, as_at: date) -> Iterator[DueItem]:
    """Audits held whose written feedback is not sent, and re-audits not yet held."""
    s = facts.service
    if is_alarm(facts.support_plans.service_type):
        return
    for a in facts.support_plans.audits:
        if a.audit_date > as_at:
            continue
        if _unsent(a.feedback_sent_on, as_at):
            yield DueItem(
                "audit_feedback_due",
                s.provider_id,
                s.service_id,
                a.audit_id,
                feedback_due(a),
                "written feedback on the audit",
            )
        if a.meets_minimum is False and _unsent(a.reaudit_on, as_at):
            detail = "re-audit after the remedy date" if a.remedy_agreed_by else "remedy date not yet agreed"
            yield DueItem("reaudit_due", s.provider_id, s.service_id, a.audit_id, a.remedy_agreed_by, detail)


def due_items(session: Session, fb: FeedbackProgramme, as_at: date) -> list[DueItem]:
    """Every open item as at the date, by kind (spec order), provider, service, reference."""
    items = [
        item
        for facts in gather_feedback(session, fb, as_at)
        for source in (cycle_items, reply_items, consultation_items, audit_items)
        for item in source(facts, as_at)
    ]
    order = {kind: index for index, kind in enumerate(DUE_KINDS)}
    return sorted(items, key=lambda i: (order[i.kind], i.provider_id, i.service_id, i.reference))
