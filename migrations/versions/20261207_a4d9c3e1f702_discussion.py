"""discussion: comments, reports, blocks, charters

Revision ID: a4d9c3e1f702
Revises: 4b8e1f0c9d21
Create Date: 2026-12-07 12:53:16.492413

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d9c3e1f702'
down_revision = '4b8e1f0c9d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('charter_acceptances',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'], name=op.f('fk_charter_acceptances_cycle_id_budget_cycles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_charter_acceptances_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'cycle_id', name=op.f('pk_charter_acceptances'))
    )
    op.create_table('charters',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'], name=op.f('fk_charters_cycle_id_budget_cycles')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_charters_updated_by_id_users')),
    sa.PrimaryKeyConstraint('cycle_id', name=op.f('pk_charters'))
    )
    op.create_table('comment_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('intercommunality_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_comment_blocks_commune_id_communes')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_comment_blocks_created_by_id_users')),
    sa.ForeignKeyConstraint(['intercommunality_id'], ['intercommunalities.id'], name=op.f('fk_comment_blocks_intercommunality_id_intercommunalities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_comment_blocks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_blocks'))
    )
    with op.batch_alter_table('comment_blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_blocks_user_id'), ['user_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(hidden_at IS NULL) = (hidden_reason IS NULL)', name=op.f('ck_comments_hidden_with_reason')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id != id', name=op.f('ck_comments_not_its_own_reply')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_comments_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_comments_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comments_proposal_created', ['proposal_id', 'created_at'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('hidden', 'dismissed')", name=op.f('ck_reports_known_outcome')),
    sa.CheckConstraint('(resolved_at IS NULL) = (outcome IS NULL)', name=op.f('ck_reports_resolved_outcome')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_reports_comment_id_comments')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_reports_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_reports_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_reporter_id'), ['reporter_id'], unique=False)

    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_phases', sa.JSON(), server_default='["proposals", "review"]', nullable=False))



def downgrade():
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.drop_column('comment_phases')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_reports_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_reports_comment_id'))

    op.drop_table('reports')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_proposal_created')
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    with op.batch_alter_table('comment_blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_blocks_user_id'))

    op.drop_table('comment_blocks')
    op.drop_table('charters')
    op.drop_table('charter_acceptances')
