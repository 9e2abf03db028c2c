"""Migration 0005 creates exactly the feedback tables of ``data_contracts.feedback_tables``, and goes back down."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import data_contracts.feedback_tables  # noqa: F401  (registers the tables)
from foundation.db import alembic_config, upgrade

FEEDBACK_TABLES = {
    "fb_stakeholder",
    "fb_questionnaire_issue",
    "fb_questionnaire_reply",
    "fb_consultation",
    "fb_audit",
}


def _mentions_feedback(difference: object) -> bool:
    return "fb_" in repr(difference)


def test_upgrade_matches_the_tables_and_downgrade_removes_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'foundation.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        assert FEEDBACK_TABLES <= set(inspect(connection).get_table_names())
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert [d for d in differences if _mentions_feedback(d)] == []
    command.downgrade(alembic_config(url), "0004")
    with engine.connect() as connection:
        assert not FEEDBACK_TABLES & set(inspect(connection).get_table_names())
    engine.dispose()
