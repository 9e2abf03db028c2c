"""A small, fully known database for the report tests: contracts, returns with raw counts, the rest.

Every figure a test asserts is computed again in the test from the raw counts
given here, by hand, never by the project's own functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlmodel import Session, SQLModel

import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
import data_contracts.risk_tables  # noqa: F401
from data_contracts.qaf_tables import AgreedGrade, ImprovementPlan, QafReturn
from data_contracts.risk_tables import Action, Meeting
from data_contracts.tables import ContractRecord, Extension, PiReturn, ReceivedFile
from foundation.programme import Programme, parse_programme
from tasks.calendar.dates import days_in_quarter
from tasks.pi.rules import breaches, compute_pis

YEAR = "2025/26"
TRIGGERS = "KPI1 = 90.0\nKPI2 = 70.0\nSPI1 = 90.0\nSPI2 = 90.0\nSPI3 = 90.0\nSPI4 = 15.0\n"
PROGRAMME_TOML = f"""
[years."2024/25"]
code = "DCC-2425-AAA"
[years."2024/25".triggers]
{TRIGGERS}
[years."2025/26"]
code = "DCC-2526-K7Q"
[years."2025/26".triggers]
{TRIGGERS}
"""
ACCOMMODATION, FLOATING, ALARM = "Accommodation based", "Floating support", "Community alarm"
LOCAL = {
    "new_service_users": 2,
    "referrals_received": 4,
    "referrals_accepted": 2,
    "referrals_declined": 1,
    "referrals_withdrawn": 1,
    "referrals_pending": 0,
    "referrals_eth_white": 4,
    "referrals_eth_mixed": 0,
    "referrals_eth_asian": 0,
    "referrals_eth_black": 0,
    "referrals_eth_other": 0,
    "referrals_eth_not_known": 0,
}


def programme() -> Programme:
    """2024/25 and 2025/26, 15 working days to each deadline, report delay 7 days."""
    return parse_programme(PROGRAMME_TOML)


def sqlite_engine() -> Engine:
    """An in-memory SQLite database with every table."""
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    return engine


def sqlite_session() -> Iterator[Session]:
    """A session on a fresh in-memory database (for a fixture)."""
    with Session(sqlite_engine()) as session:
        yield session


def utc(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


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
    record = ContractRecord(
        year=year,
        service_id=service_id,
        service_name=f"Service {service_id}",
        provider_id=provider_id,
        provider_name=provider_name or f"Provider {provider_id}",
        client_group=client_group,
        service_type=service_type,
        administering_authority="Test Council",
        contracted_units=units,
        planned_duration=duration,
        out_of_hours_cover="No",
        contract_manager="A Manager",
        contract_manager_contact="manager@example.org",
        frontline_staff_fte=1.0,
        frontline_hours_per_week=hours,
        management_staff_fte=0.2,
        management_hours_per_week=5.0,
        other_staff_fte=0.0,
    )
    session.add(record)
    session.flush()
    return record


def pi_return(
    session: Session,
    record: ContractRecord,
    quarter: str,
    received: datetime,
    values: dict[str, Any],
    status: str = "accepted",
    comments: str = "",
    reasons: str = "",
    name: str | None = None,
) -> PiReturn:
    """A stored return whose PIs and breaches are computed as the ingestion does."""
    name = name or f"PI_{record.service_id}_{quarter}_{received:%Y%m%d%H%M}.xlsx"
    file = ReceivedFile(
        sha256=hashlib.sha256(f"{name}{received.isoformat()}".encode()).hexdigest(),
        source_file=name,
        received_at=received,
        size_bytes=1,
        kind="pi",
        stored_path=name,
    )
    session.add(file)
    session.flush()
    assert file.id is not None
    full = {**LOCAL, **values, "comments": comments}
    pis = compute_pis(full, record, days_in_quarter(record.year, quarter))
    triggers = programme().year(record.year).triggers
    row = PiReturn(
        file_id=file.id,
        source_file=name,
        received_at=received,
        service_id=record.service_id,
        year=record.year,
        quarter=quarter,
        provider_id=record.provider_id,
        status=status,
        reasons=reasons,
        values=full,
        comments=comments,
        breaches=";".join(breaches(pis, triggers)),
    )
    for pi, value in pis.items():
        setattr(row, pi.lower(), value)
    session.add(row)
    session.flush()
    return row


def extension(session: Session, service_id: str, quarter: str, until: date, year: str = YEAR) -> None:
    session.add(Extension(service_id=service_id, year=year, quarter=quarter, until=until))
    session.flush()


def meeting(session: Session, provider_id: str, planned: date, completed: date | None = None) -> None:
    session.add(
        Meeting(provider_id=provider_id, planned_date=planned, completed_date=completed, officer="Jo")
    )
    session.flush()


def action(
    session: Session,
    provider_id: str,
    service_id: str,
    description: str,
    target: date,
    closed: date | None = None,
) -> None:
    session.add(
        Action(
            provider_id=provider_id,
            service_id=service_id,
            description=description,
            owner="Manager",
            target_date=target,
            closed_on=closed,
        )
    )
    session.flush()


def qaf_return(
    session: Session,
    provider_id: str,
    service_ids: str,
    received: datetime,
    status: str = "accepted",
    visit: bool = False,
    year: str = YEAR,
    reasons: str = "",
    **claimed: str,
) -> QafReturn:
    name = f"QAF_{provider_id}_{received:%Y%m%d%H%M}.xlsx"
    file = ReceivedFile(
        sha256=hashlib.sha256(name.encode()).hexdigest(),
        source_file=name,
        received_at=received,
        size_bytes=1,
        kind="qaf",
        stored_path=name,
    )
    session.add(file)
    session.flush()
    assert file.id is not None
    grades: dict[str, Any] = {f"claimed_c1_{n}": "C" for n in range(1, 8)} | claimed
    row = QafReturn.model_validate(
        {
            "file_id": file.id,
            "source_file": name,
            "received_at": received,
            "provider_id": provider_id,
            "year": year,
            "service_ids": service_ids,
            "form": "Full",
            "status": status,
            "reasons": reasons,
            "visit": visit,
            "visit_reasons": "a_grade_claimed" if visit else "",
            **grades,
        }
    )
    session.add(row)
    session.flush()
    return row


def agreed_grade(
    session: Session, provider_id: str, service_ids: str, objective: str, grade: str, agreed: date
) -> None:
    session.add(
        AgreedGrade(
            provider_id=provider_id,
            year=YEAR,
            service_ids=service_ids,
            objective=objective,
            grade=grade,
            date_agreed=agreed,
            method="desk",
        )
    )
    session.flush()


def improvement_plan(
    session: Session,
    provider_id: str,
    service_ids: str,
    received: date,
    revalidated: date | None = None,
    improved: bool | None = None,
) -> None:
    session.add(
        ImprovementPlan(
            provider_id=provider_id,
            year=YEAR,
            service_ids=service_ids,
            plan_received=received,
            revalidated_on=revalidated,
            improved=improved,
        )
    )
    session.flush()
