"""The three feedback clauses of contract management (``feedback.md``), judged as at a date. Pure functions.

Each returns a ``tasks.contract_management.clause_terms.ClauseResult`` (clause, level, detail in
words) from plain facts (``tasks.feedback.facts`` gathers them); the rows in
the facts are data only, never read from the database here. Days past a date
count from the day after it, as in ``tasks.contract_management.clauses``; a
report or written feedback not sent is overdue from its due date on, as the
exports' ``report_late`` and ``feedback_late`` say.

| clause | Medium | High |
|---|---|---|
| ``stakeholder_feedback`` | cycle overdue, or an adverse reply awaiting the provider within its 10 working days | the provider's response is past its due date |
| ``service_user_feedback`` | cycle overdue less than 6 months, or a report overdue | cycle overdue 6 months or more, or a complaint raised and not yet reported |
| ``support_plans`` | latest audit not met and its re-audit not yet due, or feedback overdue | a re-audit overdue, or the re-audit not met |
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from data_contracts.feedback_tables import Audit, Consultation
from data_contracts.risk_tables import HIGH, LOW, MEDIUM
from tasks.contract_management.clause_terms import ClauseResult, Finding, days_text, worst
from tasks.feedback.audits import audit_status, feedback_due, feedback_late, is_alarm, latest_audit
from tasks.feedback.consultations import held_day, report_due, report_late
from tasks.feedback.cycle import add_months

FEEDBACK_CLAUSES: tuple[str, ...] = ("stakeholder_feedback", "service_user_feedback", "support_plans")
CYCLE_HIGH_MONTHS = 6


@dataclass(frozen=True)
class AdverseReply:
    """An adverse questionnaire reply and the provider's response to it."""

    reference: str
    provider_reply_due: date
    provider_replied_on: date | None = None


@dataclass(frozen=True)
class StakeholderFacts:
    """When the service's stakeholders are next due to be asked, and its adverse replies received by then."""

    cycle_due_on: date
    adverse: tuple[AdverseReply, ...] = ()


@dataclass(frozen=True)
class ServiceUserFacts:
    """When the service is next due for consultation (``None``: not due this year, procurement review)."""

    cycle_due_on: date | None
    consultations: tuple[Consultation, ...] = ()


@dataclass(frozen=True)
class SupportPlanFacts:
    """The service's type and audits."""

    service_type: str
    audits: tuple[Audit, ...] = field(default_factory=tuple)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _result(clause: str, findings: Sequence[Finding], all_clear: str) -> ClauseResult:
    if not findings:
        return ClauseResult(clause, LOW, all_clear)
    level = worst(f.level for f in findings)
    return ClauseResult(clause, level, "; ".join(f.text for f in findings if f.level == level))


def _awaiting(reply: AdverseReply, as_at: date) -> bool:
    return reply.provider_replied_on is None or reply.provider_replied_on > as_at


def _overdue(due: date, as_at: date) -> str:
    return f"due {_day(due)}, {days_text((as_at - due).days)} overdue"


def adverse_finding(reply: AdverseReply, as_at: date) -> Finding | None:
    """An adverse reply awaiting the provider: Medium within its 10 working days, High after."""
    if not _awaiting(reply, as_at):
        return None
    due = reply.provider_reply_due
    if as_at > due:
        return Finding(
            HIGH, f"the provider's response to adverse feedback {reply.reference} {_overdue(due, as_at)}"
        )
    return Finding(
        MEDIUM, f"adverse feedback {reply.reference} awaits the provider's response, due {_day(due)}"
    )


def stakeholder_feedback(facts: StakeholderFacts, as_at: date) -> ClauseResult:
    """Low, Medium or High for the stakeholder-feedback clause."""
    findings = []
    if as_at > facts.cycle_due_on:
        findings.append(
            Finding(MEDIUM, f"stakeholders not asked in 24 months: {_overdue(facts.cycle_due_on, as_at)}")
        )
    findings.extend(f for f in (adverse_finding(r, as_at) for r in facts.adverse) if f is not None)
    all_clear = "stakeholders asked within the cycle; no adverse feedback awaiting the provider"
    return _result("stakeholder_feedback", findings, all_clear)


def consultation_finding(consultation: Consultation, as_at: date) -> Finding | None:
    """A complaint not yet reported is High; a report past its due date Medium."""
    held = held_day(consultation)
    if held is None or held > as_at:
        return None
    sent = consultation.report_sent_on
    unsent = sent is None or sent > as_at
    name = f"consultation {consultation.consultation_id}"
    if consultation.complaint_raised and unsent:
        return Finding(HIGH, f"{name} raised a complaint not yet reported")
    due = report_due(consultation)
    if due is not None and unsent and report_late(consultation, as_at):
        return Finding(MEDIUM, f"the report of {name} {_overdue(due, as_at)}")
    return None


def service_user_feedback(facts: ServiceUserFacts, as_at: date) -> ClauseResult:
    """Low, Medium or High for the service-user-feedback clause."""
    findings = []
    due_on = facts.cycle_due_on
    if due_on is not None and as_at > due_on:
        level = HIGH if as_at >= add_months(due_on, CYCLE_HIGH_MONTHS) else MEDIUM
        findings.append(
            Finding(level, f"service users not consulted in 24 months: {_overdue(due_on, as_at)}")
        )
    findings.extend(f for f in (consultation_finding(c, as_at) for c in facts.consultations) if f is not None)
    if due_on is None:
        all_clear = "consultation postponed this year (procurement review)"
    else:
        all_clear = "service users consulted within the cycle; reports sent on time"
    return _result("service_user_feedback", findings, all_clear)


def latest_audit_finding(latest: Audit, service_type: str, as_at: date) -> Finding | None:
    """The latest audit's standing: re-audit overdue or not met High, not met Medium."""
    status = audit_status(latest, service_type, as_at)
    name = f"audit {latest.audit_id}"
    if status == "reaudit_overdue" and latest.remedy_agreed_by is not None:
        return Finding(HIGH, f"the re-audit after {name} {_overdue(latest.remedy_agreed_by, as_at)}")
    if status == "reaudit_not_met":
        return Finding(HIGH, f"the re-audit after {name} did not meet the minimum")
    if status in ("not_met", "reaudit_due"):
        return Finding(MEDIUM, f"{name} did not meet the minimum; its re-audit is not yet due")
    return None


def feedback_finding(audit: Audit, as_at: date) -> Finding | None:
    """Written feedback on an audit past its due date and not sent: Medium."""
    sent = audit.feedback_sent_on
    if audit.audit_date > as_at or (sent is not None and sent <= as_at) or not feedback_late(audit, as_at):
        return None
    return Finding(
        MEDIUM, f"written feedback on audit {audit.audit_id} {_overdue(feedback_due(audit), as_at)}"
    )


def support_plans(facts: SupportPlanFacts, as_at: date) -> ClauseResult:
    """Low, Medium or High for the support-plans clause."""
    if is_alarm(facts.service_type):
        return ClauseResult("support_plans", LOW, "community alarm services are not audited")
    latest = latest_audit(facts.audits, as_at)
    if latest is None:
        return ClauseResult("support_plans", LOW, "no support-plan audit yet")
    findings = [latest_audit_finding(latest, facts.service_type, as_at)]
    findings.extend(feedback_finding(audit, as_at) for audit in facts.audits)
    return _result("support_plans", [f for f in findings if f is not None], _audit_standing(latest, as_at))


def _audit_standing(latest: Audit, as_at: date) -> str:
    status = audit_status(latest, "", as_at)
    if status == "reaudit_met":
        return f"the re-audit after audit {latest.audit_id} met the minimum"
    if status == "met":
        return f"audit {latest.audit_id} met the minimum"
    return f"audit {latest.audit_id}: result not yet recorded"
