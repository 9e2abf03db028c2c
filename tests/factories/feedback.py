"""The feedback tests' databases: contract records, stakeholders, questionnaires issued, CSV imports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlmodel import Session

from data_contracts.feedback_tables import Stakeholder
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tests.factories.contracts import add_contract, pr1_session
from tests.factories.sessions import stored


def feedback_session() -> Iterator[Session]:
    """A fresh in-memory database with every table, SV1 and SV2 of PR1 and an alarm service SV9 of PR2."""
    for session in pr1_session():
        add_contract(session, "SV9", "PR2", service_type="Community alarm")
        yield session


def stakeholder(
    session: Session, stakeholder_id: str, service_id: str = "SV1", provider_id: str = "PR1"
) -> None:
    """A stakeholder of a service."""
    stored(
        session,
        Stakeholder(
            stakeholder_id=stakeholder_id,
            provider_id=provider_id,
            service_id=service_id,
            name=f"Person {stakeholder_id}",
            organisation=f"Org {stakeholder_id}",
        ),
    )


def issue(
    session: Session, stakeholder_id: str, issued: date, service_id: str = "SV1", provider_id: str = "PR1"
) -> str:
    """Record a questionnaire issued; its reference."""
    record = issue_record(
        IssueTarget(service_id, f"Service {service_id}", provider_id, stakeholder_id), issued
    )
    return stored(session, record).reference
