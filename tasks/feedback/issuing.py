"""Issuing questionnaires for services from the database: stakeholders, service names, the issue records.

An issue already recorded (the same service, stakeholder and day: the same
reference) is written again and its record kept; nothing is recorded twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from data_contracts.feedback_tables import Stakeholder
from foundation.errors import BadInput
from tasks.feedback.letters import service_names
from tasks.feedback.questionnaire import issue_questionnaires, targets_for


def issue_for_services(
    session: Session, service_ids: Sequence[str], issued: date, out_dir: Path
) -> list[Path]:
    """Write a questionnaire for every stakeholder of the services and record each issue."""
    names = service_names(session)
    unknown = sorted(set(service_ids) - set(names))
    if unknown:
        raise BadInput(f"--service: not in the contract records: {', '.join(unknown)}")
    statement = select(Stakeholder).where(col(Stakeholder.service_id).in_(sorted(set(service_ids))))
    stakeholders = list(session.execute(statement).scalars())
    without = sorted(set(service_ids) - {s.service_id for s in stakeholders})
    if without:
        raise BadInput(f"--service: no stakeholders recorded for {', '.join(without)}")
    targets = targets_for(stakeholders, {sid: n.service_name for sid, n in names.items()})
    paths, issues = issue_questionnaires(targets, issued, out_dir)
    for issue in issues:
        session.merge(issue)
    session.flush()
    return paths
