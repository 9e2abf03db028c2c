"""Contract management: the day a meeting's re-plan was recorded

Created 2026-11-30.
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'


def upgrade() -> None:
    with op.batch_alter_table('cm_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replanned_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('cm_meeting', schema=None) as batch_op:
        batch_op.drop_column('replanned_on')
