"""Feedback, involvement and support-plan audits: the tables and columns of ``feedback.md``.

The tables register on the same ``SQLModel.metadata`` as ``data_contracts.tables``;
the Alembic migration 0005 creates them.

- ``Stakeholder``: a referral agency, statutory body or partner asked about a
  service, keyed by the team's own ``stakeholder_id``.
- ``QuestionnaireIssue``: one questionnaire sent (reference, service,
  stakeholder, issued date, reply due 14 days later).
- ``QuestionnaireReply``: one reply, from a returned workbook (source file,
  sha256, received time) or answered by telephone or at a meeting; its status
  (received, incomplete, superseded, duplicate), reason codes, ratings, texts,
  whether it is confidential or adverse, and the provider's reply to adverse
  feedback (due 10 working days after the reply was received).
- ``Consultation``: a consultation of service users, as the officer records it.
- ``Audit``: a support-plan audit and its follow-up.

Also the columns of every import and export of ``feedback.md``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from data_contracts.questionnaire_workbook import ASPECTS

RECEIVED, INCOMPLETE, SUPERSEDED, DUPLICATE = "received", "incomplete", "superseded", "duplicate"
REPLY_STATUSES: tuple[str, ...] = (RECEIVED, INCOMPLETE, SUPERSEDED, DUPLICATE)
FILE, TELEPHONE, MEETING = "file", "telephone", "meeting"
REPLY_METHODS: tuple[str, ...] = (FILE, TELEPHONE, MEETING)
# Reply reason codes, in the order of the spec's table.
REPLY_REASONS: tuple[str, ...] = (
    "unreadable",
    "unknown_questionnaire",
    "rating_missing",
    "rating_invalid",
    "poor_unexplained",
)  # closed: a cell not readable as its type is blank; a confidentiality answer not Yes or No reads as Yes
CONSULTATION_METHODS: tuple[str, ...] = ("questionnaire", "interview", "group", "informal")
CONSULTATION_WARNINGS: tuple[str, ...] = (
    "sample_too_small",
    "method_unsuitable",
    "consent_missing",
    "short_notice",
    "postponed_year",
)
AUDIT_STATUSES: tuple[str, ...] = (
    "met",
    "not_met",
    "reaudit_due",
    "reaudit_overdue",
    "reaudit_met",
    "reaudit_not_met",
    "not_applicable",
)
PLAN_CHECKS: tuple[str, ...] = (
    "plan_in_place",
    "assessment_on_entry",
    "reviewed_in_time",
    "user_contributed",
    "goals_followed_up",
)
DUE_KINDS: tuple[str, ...] = (
    "stakeholders_due",
    "questionnaire_chase",
    "provider_reply_due",
    "consultation_due",
    "consultation_report_due",
    "audit_feedback_due",
    "reaudit_due",
)

STAKEHOLDER_COLUMNS: tuple[str, ...] = (
    "stakeholder_id",
    "provider_id",
    "service_id",
    "name",
    "job_title",
    "organisation",
    "telephone",
    "address",
    "email",
    "relationship",
)
RATING_COLUMNS: tuple[str, ...] = tuple(f"rating_{aspect}" for aspect in ASPECTS)
RESPONSE_COLUMNS: tuple[str, ...] = (
    "sq_reference",
    "respondent",
    "job_title",
    "organisation",
    "relationship",
    *RATING_COLUMNS,
    "reasons",
    "suggestions",
    "helps_objectives",
    "further_comments",
    "confidential",
    "date",
    "method",
)
PROVIDER_REPLY_COLUMNS: tuple[str, ...] = ("sq_reference", "replied_on")
CONSULTATION_COLUMNS: tuple[str, ...] = (
    "consultation_id",
    "provider_id",
    "service_id",
    "method",
    "notice_given_on",
    "held_on",
    "closes_on",
    "service_users",
    "contacted",
    "responses",
    "consent_forms",
    "adverse",
    "complaint_raised",
    "report_sent_on",
    "report_approved_by",
)
AUDIT_COLUMNS: tuple[str, ...] = (
    "audit_id",
    "provider_id",
    "service_id",
    "notified_on",
    "audit_date",
    "plans_viewed",
    *PLAN_CHECKS,
    "procedures_in_place",
    "meets_minimum",
    "feedback_sent_on",
    "remedy_agreed_by",
    "reaudit_on",
    "reaudit_meets_minimum",
)
DUE_EXPORT_COLUMNS: tuple[str, ...] = (
    "kind",
    "provider_id",
    "service_id",
    "reference",
    "due_on",
    "days_overdue",
    "detail",
)
CONSULTATION_EXPORT_COLUMNS: tuple[str, ...] = (
    "consultation_id",
    "provider_id",
    "service_id",
    "method",
    "service_users",
    "minimum",
    "contacted",
    "warnings",
    "report_due",
    "report_sent_on",
    "report_late",
)
AUDIT_EXPORT_COLUMNS: tuple[str, ...] = (
    "audit_id",
    "provider_id",
    "service_id",
    "audit_date",
    "warnings",
    "feedback_due",
    "feedback_late",
    "reaudit_due",
    "status",
)
REGISTER_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sha256",
    "received_at",
    "reference",
    "service_id",
    "provider_id",
    "status",
    "reasons",
    *RATING_COLUMNS,
    "adverse",
    "confidential",
    "provider_reply_due",
    "provider_replied_on",
)


class Stakeholder(SQLModel, table=True):
    """A stakeholder of a service (referral agency, statutory body, partner)."""

    __tablename__ = "fb_stakeholder"

    stakeholder_id: str = Field(primary_key=True, max_length=32)
    provider_id: str = Field(max_length=32, index=True)
    service_id: str = Field(max_length=32, index=True)
    name: str
    job_title: str = ""
    organisation: str = ""
    telephone: str = ""
    address: str = ""
    email: str = ""
    relationship: str = ""


class QuestionnaireIssue(SQLModel, table=True):
    """A questionnaire sent to a stakeholder about a service."""

    __tablename__ = "fb_questionnaire_issue"

    reference: str = Field(primary_key=True, max_length=80)
    service_id: str = Field(max_length=32, index=True)
    provider_id: str = Field(max_length=32)
    stakeholder_id: str = Field(max_length=32)
    issued_on: date
    reply_due: date


class QuestionnaireReply(SQLModel, table=True):
    """A stakeholder's reply: from a returned workbook, or answered by telephone or at a meeting."""

    __tablename__ = "fb_questionnaire_reply"

    id: int | None = Field(default=None, primary_key=True)
    source_file: str = ""
    sha256: str = Field(default="", max_length=64, index=True)
    received_at: datetime
    method: str = Field(default=FILE, max_length=16)
    reference: str = Field(default="", max_length=80, index=True)  # as read
    service_id: str = Field(default="", max_length=32, index=True)
    provider_id: str = Field(default="", max_length=32)
    status: str = Field(max_length=16)
    reasons: str = ""  # codes in the order of REPLY_REASONS, joined by ';'
    rating_strategic_relevance: str = Field(default="", max_length=32)
    rating_demand: str = Field(default="", max_length=32)
    rating_outcomes: str = Field(default="", max_length=32)
    rating_quality: str = Field(default="", max_length=32)
    rating_cost_effectiveness: str = Field(default="", max_length=32)
    respondent: str = ""
    job_title: str = ""
    organisation: str = ""
    relationship: str = ""
    assessment_reasons: str = ""  # sq_reasons, the stakeholder's text
    suggestions: str = ""
    helps_objectives: str = ""
    further_comments: str = ""
    confidential: bool = False
    reply_date: date | None = None  # sq_date as given
    adverse: bool = False
    provider_reply_due: date | None = None
    provider_replied_on: date | None = None
    letter_path: str = ""  # under the outbox; blank when no letter is to be sent
    letter_written: bool = False


class Consultation(SQLModel, table=True):
    """A consultation of a service's users, as the officer records it."""

    __tablename__ = "fb_consultation"

    consultation_id: str = Field(primary_key=True, max_length=32)
    provider_id: str = Field(max_length=32, index=True)
    service_id: str = Field(max_length=32, index=True)
    method: str = Field(max_length=16)
    notice_given_on: date | None = None
    held_on: date | None = None
    closes_on: date | None = None
    service_users: int
    contacted: int | None = None
    responses: int | None = None
    consent_forms: int | None = None
    adverse: bool = False
    complaint_raised: bool = False
    report_sent_on: date | None = None
    report_approved_by: str = ""


class Audit(SQLModel, table=True):
    """A support-plan audit: the counts of plans found good, and the follow-up."""

    __tablename__ = "fb_audit"

    audit_id: str = Field(primary_key=True, max_length=32)
    provider_id: str = Field(max_length=32, index=True)
    service_id: str = Field(max_length=32, index=True)
    notified_on: date | None = None
    audit_date: date
    plans_viewed: int
    plan_in_place: int | None = None
    assessment_on_entry: int | None = None
    reviewed_in_time: int | None = None
    user_contributed: int | None = None
    goals_followed_up: int | None = None
    procedures_in_place: bool | None = None
    meets_minimum: bool | None = None
    feedback_sent_on: date | None = None
    remedy_agreed_by: date | None = None
    reaudit_on: date | None = None
    reaudit_meets_minimum: bool | None = None
