"""The database tables (SQLModel). Alembic migrations in ``spmon/migrations`` create them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_column(nullable: bool = False) -> Any:
    """A timezone-aware timestamp column (stored as UTC)."""
    return Column(DateTime(timezone=True), nullable=nullable)


class ContractRecord(SQLModel, table=True):
    """A service's contract for one year, as the authority holds it."""

    __tablename__ = "contract"

    year: str = Field(primary_key=True, max_length=7)
    service_id: str = Field(primary_key=True, max_length=32)
    service_name: str
    provider_id: str = Field(index=True, max_length=32)
    provider_name: str
    client_group: str
    service_type: str
    administering_authority: str
    contracted_units: int
    planned_duration: str
    out_of_hours_cover: str
    contract_manager: str
    contract_manager_contact: str
    frontline_staff_fte: float
    frontline_hours_per_week: float
    management_staff_fte: float
    management_hours_per_week: float
    other_staff_fte: float
    workbook_version: str = Field(default="V1", max_length=8)


class Extension(SQLModel, table=True):
    """An agreed extension: the quarter's deadline for the service becomes ``until``."""

    __tablename__ = "extension"

    service_id: str = Field(primary_key=True, max_length=32)
    year: str = Field(primary_key=True, max_length=7)
    quarter: str = Field(primary_key=True, max_length=2)
    until: date
    reason: str = Field(default="", max_length=500)  # why the provider was late, as the officer agreed it


class IngestRun(SQLModel, table=True):
    """One run of the ingestion flow."""

    __tablename__ = "ingest_run"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    started_at: datetime = Field(sa_column=utc_column())
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    files_seen: int = 0
    files_processed: int = 0
    files_quarantined: int = 0
    files_identical: int = 0
    returns_recorded: int = 0


class ReceivedFile(SQLModel, table=True):
    """A file taken from the drop folder; its bytes are kept unchanged under ``stored_path``."""

    __tablename__ = "received_file"
    __table_args__ = (UniqueConstraint("sha256", name="uq_received_file_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    source_file: str
    received_at: datetime = Field(sa_column=utc_column())
    size_bytes: int
    kind: str = Field(max_length=16)  # pi, qaf or unreadable
    stored_path: str
    message: str = ""
    run_id: int | None = Field(default=None, foreign_key="ingest_run.id")


class PiReturn(SQLModel, table=True):
    """One quarter read from a PI file, or one file-level row for a file that yielded no quarter."""

    __tablename__ = "pi_return"

    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="received_file.id", index=True)
    source_file: str
    received_at: datetime = Field(sa_column=utc_column())
    service_id: str = Field(default="", max_length=64, index=True)
    year: str = Field(default="", max_length=16)
    quarter: str = Field(default="", max_length=2)  # blank for a file-level row
    provider_id: str = Field(default="", max_length=64)
    status: str = Field(max_length=16)
    reasons: str = ""  # codes in the order of pi-rules.md, joined by ';'
    messages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    kpi1: float | None = None
    kpi2: float | None = None
    spi1: float | None = None
    spi2: float | None = None
    spi3: float | None = None
    spi4: float | None = None
    breaches: str = ""
    comments: str = ""
    notice_path: str = ""  # the notice to the provider in the outbox, for a returned return
    notice_written: bool = False


class CurrentReturn(SQLModel, table=True):
    """The current (latest) return of each service, year and quarter."""

    __tablename__ = "current_return"

    service_id: str = Field(primary_key=True, max_length=64)
    year: str = Field(primary_key=True, max_length=16)
    quarter: str = Field(primary_key=True, max_length=2)
    return_id: int = Field(foreign_key="pi_return.id")
