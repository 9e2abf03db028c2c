"""The QAF tables (SQLModel) and the D-grade deadlines (``qaf.md``, Agreed grades, D grades and deadlines).

They register on the same ``SQLModel.metadata`` as ``data_contracts.tables``;
Alembic migrations create them.

- ``QafReturn``: one row per QAF workbook read, with its status, reasons,
  claimed grades and validation-visit decision.
- ``CurrentQaf``: the current (latest) QAF of each provider, year and set of
  services.
- ``AgreedGrade``: the reviewing officer's grade per objective, and the grade
  letter sent when it differs from the claim.
- ``ImprovementPlan``: for a QAF with an agreed D grade, when its improvement
  plan was received, when it was re-validated and whether that found
  improvement. One plan covers every D grade of the QAF (the import has no
  objective column).

What the database must know of a D grade is stored, never derived twice: the
date agreed (``AgreedGrade``), the plan received, the re-validation date and
its finding (``ImprovementPlan``). Due dates are computed from them
(:func:`plan_due`, :func:`revalidation_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import JSON, Column, and_, select
from sqlmodel import Field, Session, SQLModel, col

from data_contracts.tables import utc_column

PLAN_DUE_DAYS = 14
REVALIDATION_MONTHS = 1


class QafReturn(SQLModel, table=True):
    """One QAF workbook read from the drop folder."""

    __tablename__ = "qaf_return"

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="received_file.id", index=True)
    source_file: str
    received_at: datetime = Field(sa_column=utc_column())
    provider_id: str = Field(default="", max_length=64, index=True)
    year: str = Field(default="", max_length=16)
    service_ids: str = ""  # sorted, joined by ';'
    form: str = Field(default="", max_length=16)
    status: str = Field(max_length=16)
    reasons: str = ""  # codes in the order of qaf.md, joined by ';'
    messages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    claimed_c1_1: str = ""
    claimed_c1_2: str = ""
    claimed_c1_3: str = ""
    claimed_c1_4: str = ""
    claimed_c1_5: str = ""
    claimed_c1_6: str = ""
    claimed_c1_7: str = ""
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    visit: bool = False
    visit_reasons: str = ""  # reasons in the order of qaf.md, joined by ';'
    notice_path: str = ""  # the notice to the provider in the outbox, for a returned QAF
    notice_written: bool = False


class CurrentQaf(SQLModel, table=True):
    """The current (latest) QAF of each provider, year and set of services."""

    __tablename__ = "current_qaf"

    provider_id: str = Field(primary_key=True, max_length=64)
    year: str = Field(primary_key=True, max_length=16)
    service_ids: str = Field(primary_key=True)
    return_id: int = Field(foreign_key="qaf_return.id")


class AgreedGrade(SQLModel, table=True):
    """The reviewing officer's grade of one objective of a QAF."""

    __tablename__ = "qaf_agreed_grade"

    provider_id: str = Field(primary_key=True, max_length=64)
    year: str = Field(primary_key=True, max_length=16)
    service_ids: str = Field(primary_key=True)
    objective: str = Field(primary_key=True, max_length=8)
    grade: str = Field(max_length=1)
    date_agreed: date
    method: str = Field(max_length=8)  # desk or visit
    explanation: str = ""
    claimed: str = ""  # the claimed grade of the provider's current QAF when the grade was agreed
    letter_path: str = ""  # the grade letter in the outbox, where the grade differs from the claim
    letter_written: bool = False


class ImprovementPlan(SQLModel, table=True):
    """The improvement plan asked for a QAF with any agreed D grade, and its re-validation."""

    __tablename__ = "qaf_improvement_plan"

    provider_id: str = Field(primary_key=True, max_length=64)
    year: str = Field(primary_key=True, max_length=16)
    service_ids: str = Field(primary_key=True)
    plan_received: date
    revalidated_on: date | None = None
    improved: bool | None = None  # None until re-validated


def plan_due(date_agreed: date) -> date:
    """An improvement plan is due 14 days after the D grade was agreed."""
    return date_agreed + relativedelta(days=PLAN_DUE_DAYS)


def revalidation_due(plan_received: date) -> date:
    """Re-validation is due one month after the plan was received (same day, clamped to month end)."""
    return plan_received + relativedelta(months=REVALIDATION_MONTHS)


@dataclass(frozen=True)
class DGradeFollowUp:
    """An agreed D grade and where its improvement plan and re-validation stand."""

    provider_id: str
    year: str
    service_ids: str
    objective: str
    date_agreed: date
    plan_received: date | None
    revalidated_on: date | None
    improved: bool | None

    @property
    def plan_due(self) -> date:
        """When the improvement plan is due."""
        return plan_due(self.date_agreed)

    @property
    def revalidation_due(self) -> date | None:
        """When re-validation is due (``None`` until the plan is received)."""
        return None if self.plan_received is None else revalidation_due(self.plan_received)

    def state(self, as_at: date) -> str:
        """Where it stands on ``as_at``.

        ``plan_awaited``, ``plan_overdue`` (after its due day), ``revalidation_awaited``,
        ``revalidation_overdue``, ``improved`` or ``not_improved`` (to report to the CSG).
        """
        if self.plan_received is None:
            return "plan_overdue" if as_at > self.plan_due else "plan_awaited"
        if self.revalidated_on is None or self.improved is None:
            due = revalidation_due(self.plan_received)
            return "revalidation_overdue" if as_at > due else "revalidation_awaited"
        return "improved" if self.improved else "not_improved"


def d_grade_follow_ups(
    session: Session, year: str | None = None, provider_id: str | None = None
) -> list[DGradeFollowUp]:
    """Every agreed D grade with its plan and re-validation, by provider, year, services and objective."""
    plan_of_grade = and_(
        col(ImprovementPlan.provider_id) == col(AgreedGrade.provider_id),
        col(ImprovementPlan.year) == col(AgreedGrade.year),
        col(ImprovementPlan.service_ids) == col(AgreedGrade.service_ids),
    )
    statement = (
        select(AgreedGrade, ImprovementPlan)
        .outerjoin(ImprovementPlan, plan_of_grade)
        .where(col(AgreedGrade.grade) == "D")
        .order_by(
            col(AgreedGrade.provider_id),
            col(AgreedGrade.year),
            col(AgreedGrade.service_ids),
            col(AgreedGrade.objective),
        )
    )
    if year is not None:
        statement = statement.where(col(AgreedGrade.year) == year)
    if provider_id is not None:
        statement = statement.where(col(AgreedGrade.provider_id) == provider_id)
    return [_follow_up(grade, plan) for grade, plan in session.execute(statement).all()]


def _follow_up(grade: AgreedGrade, plan: ImprovementPlan | None) -> DGradeFollowUp:
    return DGradeFollowUp(
        provider_id=grade.provider_id,
        year=grade.year,
        service_ids=grade.service_ids,
        objective=grade.objective,
        date_agreed=grade.date_agreed,
        plan_received=plan.plan_received if plan else None,
        revalidated_on=plan.revalidated_on if plan else None,
        improved=plan.improved if plan else None,
    )
