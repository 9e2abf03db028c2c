"""In-memory databases with every table, times, and storing a row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import TypeVar

from sqlalchemy import Engine, create_engine
from sqlmodel import Session, SQLModel

import data_contracts.feedback_tables  # noqa: F401  (registers the tables)
import data_contracts.qaf_tables  # noqa: F401
import data_contracts.risk_tables  # noqa: F401

Row = TypeVar("Row", bound=SQLModel)


def sqlite_engine() -> Engine:
    """An in-memory SQLite database with every table."""
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    return engine


def sqlite_session() -> Iterator[Session]:
    """A session on a fresh in-memory database (for a fixture)."""
    engine = sqlite_engine()
    with Session(engine) as session:
        yield session
    engine.dispose()


def stored(session: Session, row: Row) -> Row:
    """The row, added and flushed (so it has its ID)."""
    session.add(row)
    session.flush()
    return row


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def day(text: str) -> date:
    return date.fromisoformat(text)
