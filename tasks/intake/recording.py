"""Bulk writes shared by the PI and QAF stores: received files, returns, current-return pointers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import case, delete, insert, literal, select, tuple_, update
from sqlmodel import Session, SQLModel, col

from data_contracts.tables import ReceivedFile
from tasks.calendar.dates import as_utc
from tasks.intake.drop_folder import DropFile
from tasks.intake.statuses import Current

Key = TypeVar("Key", bound=tuple[str, ...])


class RecordedFile(Protocol):
    """What the stores need to know of a file to record it."""

    drop: DropFile
    sha256: str
    kind: str
    stored_path: Path
    message: str


def insert_files(session: Session, run_id: int, files: Sequence[RecordedFile]) -> list[int]:
    """Insert the files in one statement; their new IDs, in order."""
    rows = [
        {
            "sha256": f.sha256,
            "source_file": f.drop.name,
            "received_at": f.drop.received_at,
            "size_bytes": f.drop.size,
            "kind": f.kind,
            "stored_path": str(f.stored_path),
            "message": f.message,
            "run_id": run_id,
        }
        for f in files
    ]
    return insert_rows(session, ReceivedFile, rows)


def insert_rows(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one statement; their new IDs, in order."""
    if not rows:
        return []
    # The table, not the ORM class: SQLAlchemy's Core insert skips the ORM's per-row bookkeeping.
    core = table.__table__  # type: ignore[attr-defined]
    statement = insert(core).returning(core.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars().all())


def replace_currents(
    session: Session,
    table: type[SQLModel],
    key_columns: tuple[str, str, str],
    currents: Mapping[tuple[str, str, str], int],
) -> None:
    """Point each key at its new current return (``return_id``)."""
    if not currents:
        return
    columns = [col(getattr(table, name)) for name in key_columns]
    session.execute(delete(table).where(tuple_(*columns).in_(list(currents))))
    rows = [
        dict(zip(key_columns, key, strict=True), return_id=return_id) for key, return_id in currents.items()
    ]
    session.execute(insert(table), rows)


def mark_superseded(session: Session, table: Any, ids: Iterable[int], **also: Any) -> None:
    """Mark earlier returns superseded; a notice not yet written for one of them is dropped.

    The provider has already sent the correction, so it must not be told to fix
    the return: this makes the outbox the same whether the correction came in
    the same batch or a later one.
    """
    if not ids:
        return
    pending_notice_dropped = case(
        (col(table.notice_written).is_(True), col(table.notice_path)), else_=literal("")
    )
    session.execute(
        update(table)
        .where(col(table.id).in_(ids))
        .values(status="superseded", notice_path=pending_notice_dropped, **also)
    )


def stored_currents(
    session: Session, current_table: Any, return_table: Any, keys: set[Key]
) -> dict[Key, Current]:
    """The stored current return of each key (``current_table``'s primary key: a PI quarter, a QAF)."""
    if not keys:
        return {}
    key_columns = list(current_table.__table__.primary_key.columns)
    statement = (
        select(
            *key_columns,
            col(return_table.id),
            col(return_table.values),
            col(return_table.received_at),
            col(return_table.source_file),
        )
        .join(return_table, col(return_table.id) == col(current_table.return_id))
        .where(tuple_(*key_columns).in_(list(keys)))
    )
    width = len(key_columns)
    currents: dict[Key, Current] = {}
    for row in session.execute(statement):
        return_id, values, received, name = row[width:]
        key = cast(Key, tuple(row[:width]))
        currents[key] = Current(values, return_id=return_id, received=(as_utc(received), name))
    return currents
