"""Contract-management meetings and improvement-plan actions."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from data_contracts.risk_tables import Action, Meeting
from tests.factories.sessions import stored


def meeting_record(
    provider_id: str,
    planned: date,
    completed: date | None = None,
    officer: str = "",
    first: date | None = None,
    replanned_on: date | None = None,
) -> Meeting:
    """A meeting, not stored; ``first``: the date first planned, when re-planned (recorded ``replanned_on``)."""
    return Meeting(
        provider_id=provider_id,
        planned_date=planned,
        completed_date=completed,
        officer=officer,
        replanned_from=first,
        replanned_on=replanned_on,
    )


def meeting(
    session: Session,
    provider_id: str,
    planned: date,
    completed: date | None = None,
    officer: str = "Jo",
    **replanning: date | None,
) -> None:
    """A stored :func:`meeting_record`, Jo's unless told; ``replanning`` gives its ``first`` and ``replanned_on``."""
    stored(session, meeting_record(provider_id, planned, completed, officer, **replanning))


def action(
    session: Session,
    provider_id: str,
    service_id: str,
    description: str,
    target: date,
    closed: date | None = None,
    owner: str = "Manager",
) -> None:
    stored(
        session,
        Action(
            provider_id=provider_id,
            service_id=service_id,
            description=description,
            owner=owner,
            target_date=target,
            closed_on=closed,
        ),
    )
