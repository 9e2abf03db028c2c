"""Re-ingesting one archived or quarantined file on demand (``spmon ingest --file NAME``).

The file's earlier outcome is forgotten and it is judged again with today's
contract records and settings, at its original received time. Forgetting,
recording and re-deciding the statuses of every quarter it touches happen in
one transaction, so the statuses read as if the file had been judged this way
in the first place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlmodel import Session, col

from data_contracts.qaf_tables import CurrentQaf, QafReturn
from data_contracts.tables import CurrentReturn, PiReturn, ReceivedFile
from foundation.errors import BadInput
from tasks.calendar.dates import as_utc
from tasks.intake.recording import replace_currents
from tasks.intake.statuses import Incoming, plan_statuses


def find_stored_file(name: str, folders: Sequence[Path]) -> Path:
    """The one stored copy of a file by its name in the archive or quarantine."""
    found = sorted(
        path for folder in folders for path in folder.glob(f"*/*/{_glob_safe(name)}") if path.is_file()
    )
    if not found:
        raise BadInput(f"{name}: no archived or quarantined file of that name")
    if len(found) > 1:
        listed = ", ".join(str(path) for path in found)
        raise BadInput(
            f"{name}: several files have that name ({listed}); move the one to re-ingest into the drop folder"
        )
    return found[0]


def _glob_safe(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[]" else char for char in name)


def forget_file(session: Session, sha256: str) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """Delete a file's record and its returns; the PI and QAF keys whose statuses must be re-decided."""
    file_id = session.execute(select(col(ReceivedFile.id)).where(col(ReceivedFile.sha256) == sha256)).scalar()
    if file_id is None:
        return set(), set()
    pi_rows = session.execute(select(PiReturn).where(col(PiReturn.file_id) == file_id)).scalars().all()
    qaf_rows = session.execute(select(QafReturn).where(col(QafReturn.file_id) == file_id)).scalars().all()
    pi_keys = {(r.service_id, r.year, r.quarter) for r in pi_rows if r.service_id and r.quarter}
    qaf_keys = {(r.provider_id, r.year, r.service_ids) for r in qaf_rows if r.provider_id}
    session.execute(delete(CurrentReturn).where(col(CurrentReturn.return_id).in_([r.id for r in pi_rows])))
    session.execute(delete(CurrentQaf).where(col(CurrentQaf.return_id).in_([r.id for r in qaf_rows])))
    session.execute(delete(PiReturn).where(col(PiReturn.file_id) == file_id))
    session.execute(delete(QafReturn).where(col(QafReturn.file_id) == file_id))
    session.execute(delete(ReceivedFile).where(col(ReceivedFile.id) == file_id))
    return pi_keys, qaf_keys


def _in_received_order(rows: Sequence[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: (as_utc(row.received_at), row.source_file, row.id))


def _redecide(rows: list[Any], key: tuple[str, str, str]) -> int | None:
    """Set each row's status from the whole sequence of its key; the current row's id."""
    incoming = [
        Incoming(
            key, row.values, failed=bool(row.reasons), received=(as_utc(row.received_at), row.source_file)
        )
        for row in rows
    ]
    plan = plan_statuses(incoming, {})
    for row, status in zip(rows, plan.statuses, strict=True):
        row.status = status
        if status != "returned" and not row.notice_written:
            row.notice_path = ""  # no notice for a return that is no longer returned
        if hasattr(row, "visit") and status != "accepted":
            row.visit, row.visit_reasons = False, ""
    index = plan.currents.get(key)
    return None if index is None else rows[index].id


def rebuild_statuses(
    session: Session,
    table: type[PiReturn] | type[QafReturn],
    current_table: type[CurrentReturn] | type[CurrentQaf],
    key_columns: tuple[str, str, str],
    keys: set[tuple[str, str, str]],
) -> None:
    """Re-decide the statuses and current return of these keys from all their returns."""
    if not keys:
        return
    key_of = attrgetter(*key_columns)
    by_key: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    where = tuple_(*(col(getattr(table, name)) for name in key_columns)).in_(list(keys))
    statement = select(table).where(where, col(table.status) != "quarantined")
    for row in session.execute(statement).scalars():
        by_key[key_of(row)].append(row)
    currents = {}
    for key, rows in by_key.items():
        current_id = _redecide(_in_received_order(rows), key)
        if current_id is not None:
            currents[key] = current_id
    session.flush()
    replace_currents(session, current_table, key_columns, currents)


def rebuild_pi_statuses(session: Session, keys: set[tuple[str, str, str]]) -> None:
    """Re-decide the statuses and current return of these quarters."""
    rebuild_statuses(session, PiReturn, CurrentReturn, ("service_id", "year", "quarter"), keys)


def rebuild_qaf_statuses(session: Session, keys: set[tuple[str, str, str]]) -> None:
    """Re-decide the statuses and current QAF of these providers' sets of services."""
    rebuild_statuses(session, QafReturn, CurrentQaf, ("provider_id", "year", "service_ids"), keys)
