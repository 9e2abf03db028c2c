"""Alembic environment: runs migrations on the connection spmon hands it (or on the URL)."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import data_contracts.feedback_tables  # noqa: F401  (registers the tables)
import data_contracts.qaf_tables  # noqa: F401  (registers the tables)
import data_contracts.risk_tables  # noqa: F401
import data_contracts.tables  # noqa: F401

target_metadata = SQLModel.metadata
config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        with create_engine(config.get_main_option("sqlalchemy.url") or "").begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
