"""Building databases for the feedback tests: contract records, stakeholders, issued questionnaires."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlmodel import Session

import data_contracts.feedback_tables  # noqa: F401  (registers the tables)
from data_contracts.feedback_tables import Stakeholder
from tasks.feedback.questionnaire import IssueTarget, issue_record
from tests.tasks.risk_factory import PROGRAMME_TOML, add_contract, sqlite_session

__all__ = ["PROGRAMME_TOML", "add_contract", "csv_file", "feedback_session", "issue", "stakeholder"]


def feedback_session() -> Iterator[Session]:
    """A fresh in-memory database with every table, SV1 and SV2 of PR1 and an alarm service SV9 of PR2."""
    for session in sqlite_session():
        add_contract(session, "SV1", "PR1")
        add_contract(session, "SV2", "PR1")
        add_contract(session, "SV9", "PR2", service_type="Community alarm")
        yield session


def csv_file(tmp_path: Path, header: str, *lines: str, name: str = "import.csv") -> Path:
    """A CSV import file."""
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def stakeholder(
    session: Session, stakeholder_id: str, service_id: str = "SV1", provider_id: str = "PR1"
) -> None:
    """A stakeholder of a service."""
    session.add(
        Stakeholder(
            stakeholder_id=stakeholder_id,
            provider_id=provider_id,
            service_id=service_id,
            name=f"Person {stakeholder_id}",
            organisation=f"Org {stakeholder_id}",
        )
    )
    session.flush()


def issue(
    session: Session, stakeholder_id: str, issued: date, service_id: str = "SV1", provider_id: str = "PR1"
) -> str:
    """Record a questionnaire issued; its reference."""
    record = issue_record(
        IssueTarget(service_id, f"Service {service_id}", provider_id, stakeholder_id), issued
    )
    session.add(record)
    session.flush()
    return record.reference
