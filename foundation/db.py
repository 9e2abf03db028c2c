"""The database: engine, sessions and schema upgrades (Alembic)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from foundation.errors import SystemFailure

if TYPE_CHECKING:  # Alembic is imported only to upgrade the schema, not by every run
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per database URL (SQLite files get their folder and WAL mode)."""
    if url.startswith("sqlite:///"):
        _make_folder(Path(url.removeprefix("sqlite:///")).parent)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _make_folder(folder: Path) -> None:
    """The SQLite file's folder; one that cannot be made is a failure naming it, not a traceback."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SystemFailure(f"cannot make the database folder {folder}: {error.strerror or error}") from error


def alembic_config(url: str) -> Config:
    """Alembic's configuration for this database, without an ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Create the schema, or bring it up to the newest migration."""
    from alembic import command

    try:
        with engine_for(url).begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        raise SystemFailure(f"cannot reach the database {safe_url(url)}: {error.orig}") from error


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session whose work is committed together, or rolled back on any error."""
    try:
        session = Session(engine_for(url), expire_on_commit=False)
    except OperationalError as error:
        raise SystemFailure(f"cannot reach the database {safe_url(url)}: {error.orig}") from error
    with session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
