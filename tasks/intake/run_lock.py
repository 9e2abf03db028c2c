"""One ingestion at a time: two runs started at once never process a file twice.

PostgreSQL: a session-level advisory lock, released if the holder dies.
SQLite: an exclusive ``flock`` on a file beside the database, likewise.
The second run waits for the first, then finds the files already moved.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from foundation.db import engine_for
from foundation.errors import SystemFailure

_LOCK_KEY = 0x5350_4D4F_4E  # "SPMON"


Notify = Callable[[str], object]


@contextmanager
def ingestion_lock(
    database_url: str, wait_seconds: float = 3600, on_wait: Notify = lambda _: None
) -> Iterator[Callable[[], float]]:
    """Hold the ingestion lock of this database for the block; it gets how many seconds it waited.

    ``on_wait`` is told, once, when another run holds the lock and this one starts waiting.
    """
    url = make_url(database_url)
    waited = [0.0]
    if url.get_backend_name() == "sqlite" and url.database:
        with _file_lock(Path(url.database).with_suffix(".ingest.lock"), wait_seconds, on_wait, waited):
            yield lambda: waited[0]
    else:
        with _advisory_lock(database_url, wait_seconds, on_wait, waited):
            yield lambda: waited[0]


@contextmanager
def _file_lock(path: Path, wait_seconds: float, on_wait: Notify, waited: list[float]) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        waited[0] = _wait_for(lambda: _try_flock(handle.fileno()), wait_seconds, str(path), on_wait)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _try_flock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _advisory_lock(
    database_url: str, wait_seconds: float, on_wait: Notify, waited: list[float]
) -> Iterator[None]:
    with engine_for(database_url).connect() as connection:

        def attempt() -> bool:
            got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _LOCK_KEY}).scalar()
            connection.commit()
            return bool(got)

        waited[0] = _wait_for(attempt, wait_seconds, "the PostgreSQL advisory lock", on_wait)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            connection.commit()


def _wait_for(attempt: Callable[[], bool], wait_seconds: float, what: str, on_wait: Notify) -> float:
    """Try until ``attempt`` succeeds; the seconds waited."""
    started = time.monotonic()
    if attempt():
        return 0.0
    on_wait(f"another ingestion run holds {what}: waiting for it to finish (at most {wait_seconds:.0f} s)")
    while not attempt():
        if time.monotonic() - started > wait_seconds:
            raise SystemFailure(f"another ingestion run still holds {what} after {wait_seconds:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started
