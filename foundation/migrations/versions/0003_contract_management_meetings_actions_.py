"""Contract management: meetings, actions, risk levels and changes

Created 2026-11-23.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0003'
down_revision = '0002'


def upgrade() -> None:
    op.create_table('cm_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('validated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider_id', 'service_id', 'description', name='uq_cm_action_provider_service_text')
    )
    with op.batch_alter_table('cm_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cm_action_provider_id'), ['provider_id'], unique=False)

    op.create_table('cm_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('completed_date', sa.Date(), nullable=True),
    sa.Column('officer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('replanned_from', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider_id', 'planned_date', name='uq_cm_meeting_provider_planned')
    )
    with op.batch_alter_table('cm_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cm_meeting_provider_id'), ['provider_id'], unique=False)

    op.create_table('risk_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('from_level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('to_level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'subject', 'changed_on', name='uq_risk_change_service_subject_day')
    )
    with op.batch_alter_table('risk_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_change_changed_on'), ['changed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_change_service_id'), ['service_id'], unique=False)

    op.create_table('risk_level',
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('service_id', 'subject')
    )


def downgrade() -> None:
    op.drop_table('risk_level')
    with op.batch_alter_table('risk_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_change_service_id'))
        batch_op.drop_index(batch_op.f('ix_risk_change_changed_on'))

    op.drop_table('risk_change')
    with op.batch_alter_table('cm_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cm_meeting_provider_id'))

    op.drop_table('cm_meeting')
    with op.batch_alter_table('cm_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cm_action_provider_id'))

    op.drop_table('cm_action')
