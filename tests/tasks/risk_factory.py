"""Building databases for the contract-management tests: contracts, PI and QAF rows, a programme."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlmodel import Session, SQLModel

import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
import data_contracts.risk_tables  # noqa: F401
from data_contracts.qaf_tables import QafReturn
from data_contracts.tables import ContractRecord, PiReturn, ReceivedFile
from foundation.programme import Programme, parse_programme

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
[meeting_interval_months]
RED = 3
AMBER = 6
GREEN = 12
"""


def programme() -> Programme:
    """Two years, 2024/25 and 2025/26, 15 working days to each deadline."""
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


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def add_contract(
    session: Session,
    service_id: str,
    provider_id: str = "PR1",
    year: str = YEAR,
    service_type: str = "Accommodation based",
    planned_duration: str = "Short term",
    hours: float = 10.0,
) -> ContractRecord:
    record = ContractRecord(
        year=year,
        service_id=service_id,
        service_name=f"Service {service_id}",
        provider_id=provider_id,
        provider_name=f"Provider {provider_id}",
        client_group="Older people",
        service_type=service_type,
        administering_authority="Test Council",
        contracted_units=10,
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
    session.add(record)
    session.flush()
    return record


def add_file(session: Session, name: str, received: datetime, kind: str = "pi") -> ReceivedFile:
    file = ReceivedFile(
        sha256=hashlib.sha256(f"{name}{received.isoformat()}".encode()).hexdigest(),
        source_file=name,
        received_at=received,
        size_bytes=1,
        kind=kind,
        stored_path=name,
    )
    session.add(file)
    session.flush()
    return file


def add_pi(
    session: Session,
    service_id: str,
    quarter: str,
    received: datetime,
    status: str = "accepted",
    year: str = YEAR,
    **fields: Any,
) -> PiReturn:
    """A PI return row (and its file); ``fields`` set reasons, breaches, values, ..."""
    name = fields.pop("source_file", f"PI_{service_id}_{quarter}_{received:%Y%m%d%H%M}.xlsx")
    file = add_file(session, name, received)
    assert file.id is not None
    row = PiReturn(
        file_id=file.id,
        source_file=name,
        received_at=received,
        service_id=service_id,
        year=year,
        quarter=quarter,
        provider_id=fields.pop("provider_id", "PR1"),
        status=status,
        **fields,
    )
    session.add(row)
    session.flush()
    return row


def add_qaf(
    session: Session,
    provider_id: str,
    service_ids: str,
    received: datetime,
    status: str = "accepted",
    year: str = YEAR,
    **claimed: str,
) -> QafReturn:
    """A QAF row (and its file) claiming C everywhere unless told (``claimed_c1_4="D"``)."""
    name = f"QAF_{provider_id}_{received:%Y%m%d%H%M}.xlsx"
    file = add_file(session, name, received, kind="qaf")
    assert file.id is not None
    grades: dict[str, Any] = {f"claimed_c1_{n}": "C" for n in range(1, 8)} | claimed
    row = QafReturn(
        file_id=file.id,
        source_file=name,
        received_at=received,
        provider_id=provider_id,
        year=year,
        service_ids=service_ids,
        form="Full",
        status=status,
        **grades,
    )
    session.add(row)
    session.flush()
    return row


def day(text: str) -> date:
    return date.fromisoformat(text)
