"""Contract management: meetings, actions, clause risk levels and their history (``risk.md``).

The tables register on the same ``SQLModel.metadata`` as ``data_contracts.tables``;
an Alembic migration creates them.

- ``Meeting``: a provider's contract-management meeting, planned, completed,
  possibly re-planned. A provider has one *open* meeting at a time, its next
  meeting; re-planning moves that meeting to a new date and keeps the date
  it was first planned for in ``replanned_from`` (rules in
  ``tasks.contract_management.imports``) and the day the re-plan was recorded in
  ``replanned_on`` (the QAF timetable needs it: ``tasks.contract_management.meetings``).
- ``Action``: an improvement-plan action, for one service or, with a blank
  ``service_id``, for every service of the provider.
- ``RiskLevel``: each service's current level of each subject (the nine
  clauses, ``overall`` and ``priority``), its detail, since when it holds and
  the as-at date of the evaluation that last wrote it.
- ``RiskChange``: every change of a subject's level, with the as-at date it was
  seen on; the first evaluation of a subject is recorded with no
  ``from_level``. At most one change per service, subject and date.

Also the export columns of ``spmon risk export`` and the import columns of
``spmon meetings import`` and ``spmon actions import`` (``interface.md``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

LOW, MEDIUM, HIGH = "Low", "Medium", "High"
LEVELS: tuple[str, ...] = (LOW, MEDIUM, HIGH)
RED, AMBER, GREEN = "RED", "AMBER", "GREEN"
PRIORITIES: tuple[str, ...] = (GREEN, AMBER, RED)

# The clauses of risk.md, in the order of its table, then those of feedback.md.
CLAUSES: tuple[str, ...] = (
    "pi_timeliness",
    "pi_completeness",
    "staffing",
    "availability_utilisation",
    "outcomes",
    "departures",
    "qaf_return",
    "qaf_grades",
    "actions",
    "stakeholder_feedback",  # the three of feedback.md
    "service_user_feedback",
    "support_plans",
)
OVERALL, PRIORITY = "overall", "priority"
SUBJECTS: tuple[str, ...] = (*CLAUSES, OVERALL, PRIORITY)

RISK_EXPORT_COLUMNS: tuple[str, ...] = ("service_id", "provider_id", "clause", "level", "detail")
MEETING_COLUMNS: tuple[str, ...] = ("provider_id", "planned_date", "completed_date", "officer")
ACTION_COLUMNS: tuple[str, ...] = (
    "provider_id",
    "service_id",
    "description",
    "owner",
    "target_date",
    "closed_on",
)
ACTION_OPTIONAL_COLUMNS: tuple[str, ...] = ("validated_by",)


class Meeting(SQLModel, table=True):
    """A contract-management meeting with a provider (covering its services)."""

    __tablename__ = "cm_meeting"
    __table_args__ = (UniqueConstraint("provider_id", "planned_date", name="uq_cm_meeting_provider_planned"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: str = Field(max_length=32, index=True)
    planned_date: date
    completed_date: date | None = None
    officer: str = ""
    replanned_from: date | None = None  # the date first planned, once re-planned
    replanned_on: date | None = None  # the day the latest re-plan was recorded (None: not known)


class Action(SQLModel, table=True):
    """An improvement-plan action agreed at a contract-management meeting."""

    __tablename__ = "cm_action"
    __table_args__ = (
        UniqueConstraint(
            "provider_id", "service_id", "description", name="uq_cm_action_provider_service_text"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: str = Field(max_length=32, index=True)
    service_id: str = Field(default="", max_length=32)  # blank: every service of the provider
    description: str
    owner: str
    target_date: date
    closed_on: date | None = None
    validated_by: str = ""


class RiskLevel(SQLModel, table=True):
    """The current level of one subject (clause, ``overall`` or ``priority``) of a service."""

    __tablename__ = "risk_level"

    service_id: str = Field(primary_key=True, max_length=32)
    subject: str = Field(primary_key=True, max_length=32)
    level: str = Field(max_length=8)  # Low/Medium/High, or RED/AMBER/GREEN for priority
    since: date  # the as-at date on which this level was first seen
    detail: str = ""
    evaluated_on: date  # the as-at date of the evaluation that last wrote this row


class RiskChange(SQLModel, table=True):
    """A change of level of one subject of a service, seen on an as-at date."""

    __tablename__ = "risk_change"
    __table_args__ = (
        UniqueConstraint("service_id", "subject", "changed_on", name="uq_risk_change_service_subject_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    service_id: str = Field(max_length=32, index=True)
    subject: str = Field(max_length=32)
    from_level: str | None = Field(default=None, max_length=8)  # None: the first evaluation
    to_level: str = Field(max_length=8)
    changed_on: date = Field(index=True)
    detail: str = ""
