"""supports: an optional supports phase per cycle with its threshold, residents' supports of
proposals, and the status of those left out by the threshold (unsupported)

Revision ID: e3b7d2a9c514
Revises: d7e3f1a2b845
Create Date: 2026-12-07 14:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b7d2a9c514'
down_revision = 'd7e3f1a2b845'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supports_start', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('support_threshold', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('supports_closed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposals_proposal_status'), type_='check')
        batch_op.create_check_constraint('proposal_status', "status IN ('submitted', 'in_review', 'on_ballot', 'rejected', 'merged', 'withdrawn', 'unsupported')")
    op.create_table('proposal_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_supports_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_supports')),
    sa.UniqueConstraint('proposal_id', 'user_id', name='uq_proposal_supports_proposal_id_user_id')
    )
    with op.batch_alter_table('proposal_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_supports_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_supports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_supports_user_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_supports_proposal_id'))
    op.drop_table('proposal_supports')
    op.execute("UPDATE proposals SET status = 'rejected', rejection_reason = "
               "'Non retenue (soutiens insuffisants)' WHERE status = 'unsupported'")
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_proposals_proposal_status'), type_='check')
        batch_op.create_check_constraint('proposal_status', "status IN ('submitted', 'in_review', 'on_ballot', 'rejected', 'merged', 'withdrawn')")
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.drop_column('supports_closed_at')
        batch_op.drop_column('support_threshold')
        batch_op.drop_column('supports_start')
