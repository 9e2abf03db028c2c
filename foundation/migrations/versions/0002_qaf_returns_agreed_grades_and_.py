"""QAF returns, agreed grades and improvement plans

Created 2026-11-23.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0002'
down_revision = '0001'


def upgrade() -> None:
    op.create_table('qaf_agreed_grade',
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('year', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('service_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('objective', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('date_agreed', sa.Date(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('explanation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('letter_path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('letter_written', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('provider_id', 'year', 'service_ids', 'objective')
    )
    op.create_table('qaf_improvement_plan',
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('year', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('service_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('plan_received', sa.Date(), nullable=False),
    sa.Column('revalidated_on', sa.Date(), nullable=True),
    sa.Column('improved', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('provider_id', 'year', 'service_ids')
    )
    op.create_table('qaf_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('source_file', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('year', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('service_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reasons', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('messages', sa.JSON(), nullable=False),
    sa.Column('claimed_c1_1', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_2', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_3', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_4', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_5', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_6', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('claimed_c1_7', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('visit', sa.Boolean(), nullable=False),
    sa.Column('visit_reasons', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notice_path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notice_written', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['received_file.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('qaf_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qaf_return_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qaf_return_provider_id'), ['provider_id'], unique=False)

    op.create_table('current_qaf',
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('year', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('service_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['qaf_return.id'], ),
    sa.PrimaryKeyConstraint('provider_id', 'year', 'service_ids')
    )


def downgrade() -> None:
    op.drop_table('current_qaf')
    with op.batch_alter_table('qaf_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qaf_return_provider_id'))
        batch_op.drop_index(batch_op.f('ix_qaf_return_file_id'))

    op.drop_table('qaf_return')
    op.drop_table('qaf_improvement_plan')
    op.drop_table('qaf_agreed_grade')
