"""Contract records: built (``contract_record``), or stored with the defaults each kind of test wants."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session

from data_contracts.tables import ContractRecord
from tests.factories.programmes import YEAR
from tests.factories.sessions import sqlite_session, stored

ACCOMMODATION, FLOATING, ALARM = "Accommodation based", "Floating support", "Community alarm"


def contract_record(
    service_id: str,
    provider_id: str = "PR0001",
    service_type: str = FLOATING,
    year: str = YEAR,
    provider_name: str = "Test Provider",
    *,
    client_group: str = "Older people",
    planned_duration: str = "Long term",
    units: int = 10,
    hours: float = 10.0,
) -> ContractRecord:
    """A contract record with plausible values, not stored."""
    return ContractRecord(
        year=year,
        service_id=service_id,
        service_name=f"Service {service_id}",
        provider_id=provider_id,
        provider_name=provider_name,
        client_group=client_group,
        service_type=service_type,
        administering_authority="Test Council",
        contracted_units=units,
        planned_duration=planned_duration,
        out_of_hours_cover="No",
        contract_manager="A Manager",
        contract_manager_contact="manager@example.org",
        frontline_staff_fte=1.0,
        frontline_hours_per_week=hours,
        management_staff_fte=0.2,
        management_hours_per_week=5.0,
        other_staff_fte=0.0,
    )


def contracts(*records: ContractRecord) -> dict[tuple[str, str], ContractRecord]:
    """Contract records by (year, service ID)."""
    return {(r.year, r.service_id): r for r in records}


def add_contract(
    session: Session,
    service_id: str,
    provider_id: str = "PR1",
    year: str = YEAR,
    service_type: str = ACCOMMODATION,
    planned_duration: str = "Short term",
    hours: float = 10.0,
) -> ContractRecord:
    """A stored contract of a short-term accommodation based service of PR1, unless told otherwise."""
    return contract(
        session, service_id, provider_id, "Older people", service_type, planned_duration, 10, hours, year
    )


def contract(
    session: Session,
    service_id: str,
    provider_id: str,
    client_group: str,
    service_type: str,
    duration: str = "Long term",
    units: int = 10,
    hours: float = 35.0,
    year: str = YEAR,
    provider_name: str | None = None,
) -> ContractRecord:
    """A stored contract with its client group and type given (the reports' tests)."""
    record = contract_record(
        service_id,
        provider_id,
        service_type,
        year,
        provider_name or f"Provider {provider_id}",
        client_group=client_group,
        planned_duration=duration,
        units=units,
        hours=hours,
    )
    return stored(session, record)


def pr1_session() -> Iterator[Session]:
    """A fresh in-memory database with every table and PR1's SV1 and SV2 (:func:`add_contract`'s)."""
    for session in sqlite_session():
        add_contract(session, "SV1", "PR1")
        add_contract(session, "SV2", "PR1")
        yield session
