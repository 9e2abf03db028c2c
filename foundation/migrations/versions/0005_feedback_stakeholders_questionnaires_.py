"""Feedback and involvement: stakeholders, questionnaires issued and replies, consultations, audits

Created 2026-11-30.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0005'
down_revision = '0004'


def upgrade() -> None:
    op.create_table('fb_audit',
    sa.Column('audit_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('audit_date', sa.Date(), nullable=False),
    sa.Column('plans_viewed', sa.Integer(), nullable=False),
    sa.Column('plan_in_place', sa.Integer(), nullable=True),
    sa.Column('assessment_on_entry', sa.Integer(), nullable=True),
    sa.Column('reviewed_in_time', sa.Integer(), nullable=True),
    sa.Column('user_contributed', sa.Integer(), nullable=True),
    sa.Column('goals_followed_up', sa.Integer(), nullable=True),
    sa.Column('procedures_in_place', sa.Boolean(), nullable=True),
    sa.Column('meets_minimum', sa.Boolean(), nullable=True),
    sa.Column('feedback_sent_on', sa.Date(), nullable=True),
    sa.Column('remedy_agreed_by', sa.Date(), nullable=True),
    sa.Column('reaudit_on', sa.Date(), nullable=True),
    sa.Column('reaudit_meets_minimum', sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint('audit_id')
    )
    with op.batch_alter_table('fb_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fb_audit_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fb_audit_service_id'), ['service_id'], unique=False)

    op.create_table('fb_consultation',
    sa.Column('consultation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('notice_given_on', sa.Date(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('service_users', sa.Integer(), nullable=False),
    sa.Column('contacted', sa.Integer(), nullable=True),
    sa.Column('responses', sa.Integer(), nullable=True),
    sa.Column('consent_forms', sa.Integer(), nullable=True),
    sa.Column('adverse', sa.Boolean(), nullable=False),
    sa.Column('complaint_raised', sa.Boolean(), nullable=False),
    sa.Column('report_sent_on', sa.Date(), nullable=True),
    sa.Column('report_approved_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('consultation_id')
    )
    with op.batch_alter_table('fb_consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fb_consultation_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fb_consultation_service_id'), ['service_id'], unique=False)

    op.create_table('fb_questionnaire_issue',
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('stakeholder_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('reference')
    )
    with op.batch_alter_table('fb_questionnaire_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fb_questionnaire_issue_service_id'), ['service_id'], unique=False)

    op.create_table('fb_questionnaire_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_file', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reasons', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rating_strategic_relevance', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating_demand', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating_outcomes', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating_quality', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rating_cost_effectiveness', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('respondent', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('relationship', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('assessment_reasons', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('suggestions', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('helps_objectives', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('further_comments', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('reply_date', sa.Date(), nullable=True),
    sa.Column('adverse', sa.Boolean(), nullable=False),
    sa.Column('provider_reply_due', sa.Date(), nullable=True),
    sa.Column('provider_replied_on', sa.Date(), nullable=True),
    sa.Column('letter_path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('letter_written', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fb_questionnaire_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fb_questionnaire_reply_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_fb_questionnaire_reply_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fb_questionnaire_reply_sha256'), ['sha256'], unique=False)

    op.create_table('fb_stakeholder',
    sa.Column('stakeholder_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('service_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('telephone', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('relationship', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('stakeholder_id')
    )
    with op.batch_alter_table('fb_stakeholder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fb_stakeholder_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fb_stakeholder_service_id'), ['service_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fb_stakeholder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fb_stakeholder_service_id'))
        batch_op.drop_index(batch_op.f('ix_fb_stakeholder_provider_id'))

    op.drop_table('fb_stakeholder')
    with op.batch_alter_table('fb_questionnaire_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fb_questionnaire_reply_sha256'))
        batch_op.drop_index(batch_op.f('ix_fb_questionnaire_reply_service_id'))
        batch_op.drop_index(batch_op.f('ix_fb_questionnaire_reply_reference'))

    op.drop_table('fb_questionnaire_reply')
    with op.batch_alter_table('fb_questionnaire_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fb_questionnaire_issue_service_id'))

    op.drop_table('fb_questionnaire_issue')
    with op.batch_alter_table('fb_consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fb_consultation_service_id'))
        batch_op.drop_index(batch_op.f('ix_fb_consultation_provider_id'))

    op.drop_table('fb_consultation')
    with op.batch_alter_table('fb_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fb_audit_service_id'))
        batch_op.drop_index(batch_op.f('ix_fb_audit_provider_id'))

    op.drop_table('fb_audit')
