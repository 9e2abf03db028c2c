"""Files whose content was taken before: known by their sha256 alone, so they are never read again.

A drop folder may hold thousands of files already recorded (a provider's
"send everything again", or a run stopped after recording and before filing).
Hashing a file costs a fraction of parsing it, so each batch is hashed first
and only the contents the database does not know go to the reader; the rest
are only filed, as before (``tasks.intake.batch``: identical files).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlmodel import Session, col, select

from data_contracts.tables import ReceivedFile
from tasks.intake.drop_folder import DropFile
from tasks.intake.reading import ReadFile


def file_sha256(drop: DropFile) -> str:
    """The hex SHA-256 of a drop file's bytes, read in chunks (a file may be over the size limit)."""
    with drop.path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def known_kinds(session: Session, hashes: Iterable[str]) -> dict[str, str]:
    """The contents already recorded among ``hashes``: sha256 -> the kind it was recorded as."""
    wanted = list(set(hashes))
    if not wanted:
        return {}
    rows = session.execute(
        select(col(ReceivedFile.sha256), col(ReceivedFile.kind)).where(col(ReceivedFile.sha256).in_(wanted))
    )
    return {sha256: kind for sha256, kind in rows.tuples()}


def in_drop_order(
    batch: list[DropFile], known: dict[DropFile, ReadFile], read: list[ReadFile]
) -> list[ReadFile]:
    """The known files (taken as read: their kind says archive or quarantine) and the freshly read ones."""
    fresh = iter(read)
    return [known[drop] if drop in known else next(fresh) for drop in batch]
