"""PI returns: contracts, extensions, files, returns, runs

Created 2026-11-22.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "contract",
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("service_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("provider_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("client_group", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("service_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("administering_authority", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contracted_units", sa.Integer(), nullable=False),
        sa.Column("planned_duration", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("out_of_hours_cover", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contract_manager", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contract_manager_contact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("frontline_staff_fte", sa.Float(), nullable=False),
        sa.Column("frontline_hours_per_week", sa.Float(), nullable=False),
        sa.Column("management_staff_fte", sa.Float(), nullable=False),
        sa.Column("management_hours_per_week", sa.Float(), nullable=False),
        sa.Column("other_staff_fte", sa.Float(), nullable=False),
        sa.Column("workbook_version", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.PrimaryKeyConstraint("year", "service_id"),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "extension",
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("quarter", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("service_id", "year", "quarter"),
    )
    op.create_table(
        "ingest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("files_seen", sa.Integer(), nullable=False),
        sa.Column("files_processed", sa.Integer(), nullable=False),
        sa.Column("files_quarantined", sa.Integer(), nullable=False),
        sa.Column("files_identical", sa.Integer(), nullable=False),
        sa.Column("returns_recorded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "received_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("stored_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["ingest_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", name="uq_received_file_sha256"),
    )
    op.create_table(
        "pi_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("quarter", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("provider_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("kpi1", sa.Float(), nullable=True),
        sa.Column("kpi2", sa.Float(), nullable=True),
        sa.Column("spi1", sa.Float(), nullable=True),
        sa.Column("spi2", sa.Float(), nullable=True),
        sa.Column("spi3", sa.Float(), nullable=True),
        sa.Column("spi4", sa.Float(), nullable=True),
        sa.Column("breaches", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("comments", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notice_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notice_written", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["received_file.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pi_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pi_return_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pi_return_service_id"), ["service_id"], unique=False)

    op.create_table(
        "current_return",
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("quarter", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["pi_return.id"],
        ),
        sa.PrimaryKeyConstraint("service_id", "year", "quarter"),
    )


def downgrade() -> None:
    op.drop_table("current_return")
    with op.batch_alter_table("pi_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pi_return_service_id"))
        batch_op.drop_index(batch_op.f("ix_pi_return_file_id"))

    op.drop_table("pi_return")
    op.drop_table("received_file")
    op.drop_table("ingest_run")
    op.drop_table("extension")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_provider_id"))

    op.drop_table("contract")
