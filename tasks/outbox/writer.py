"""The one outbox writer: rows that name a file not yet written become that file, then are marked written.

Every notice and letter works the same way: its path (relative to the
outbox) is stored with its row in the transaction that decides it; the file
is written afterwards, under a temporary name then renamed, and the row is
marked written, so a run stopped in between writes it next time (same path,
same text). The stored path may hold provider text, so it is rebuilt part by
part under the outbox (``tasks.common.safe_paths.inside``) before anything is
written. Several rows may share one file (a grade letter lists every grade).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlmodel import Session, col

from tasks.common.safe_files import write_text_atomically
from tasks.common.safe_paths import inside

Render = Callable[[Sequence[Any]], str]


def write_atomically(path: Path, text: str) -> None:
    """Write a file under a temporary name, then rename it into place; disk errors as ``SystemFailure``."""
    write_text_atomically(path, text)


def write_pending(
    session: Session,
    table: Any,
    outbox: Path,
    render: Render,
    path_column: str = "notice_path",
    written_column: str = "notice_written",
    also: Sequence[ColumnElement[bool]] = (),
) -> list[Path]:
    """Write each pending file of ``table`` from its rows (``render`` gets them in key order); the paths."""
    stored_path, written = col(getattr(table, path_column)), col(getattr(table, written_column))
    key = table.__table__.primary_key.columns
    statement = select(table).where(stored_path != "", written.is_(False), *also).order_by(*key)
    by_path: dict[str, list[Any]] = defaultdict(list)
    for row in session.execute(statement).scalars():
        by_path[getattr(row, path_column)].append(row)
    paths = []
    for relative, rows in by_path.items():
        path = inside(outbox, relative, depth=3)
        write_atomically(path, render(rows))
        paths.append(path)
    if by_path:
        session.execute(update(table).where(stored_path.in_(list(by_path))).values({written_column: True}))
    return paths
