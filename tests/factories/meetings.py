"""Contract-management meetings and improvement-plan actions."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from data_contracts.risk_tables import Action, Meeting
from tests.factories.sessions import stored


def meeting(session: Session, provider_id: str, planned: date, completed: date | None = None) -> None:
    stored(
        session,
        Meeting(provider_id=provider_id, planned_date=planned, completed_date=completed, officer="Jo"),
    )


def action(
    session: Session,
    provider_id: str,
    service_id: str,
    description: str,
    target: date,
    closed: date | None = None,
) -> None:
    stored(
        session,
        Action(
            provider_id=provider_id,
            service_id=service_id,
            description=description,
            owner="Manager",
            target_date=target,
            closed_on=closed,
        ),
    )
