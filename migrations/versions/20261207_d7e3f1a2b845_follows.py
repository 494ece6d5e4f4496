"""follows: residents follow proposals; the news waiting for their daily digest

Revision ID: d7e3f1a2b845
Revises: 8a4d2c6e1f37
Create Date: 2026-12-07 14:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7e3f1a2b845'
down_revision = '8a4d2c6e1f37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('with_comments', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('notified_until', sa.DateTime(), nullable=False),
    sa.Column('digest_sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_follows_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('uq_follows_user_id_proposal_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_user_id'), ['user_id'], unique=False)
    op.create_table('follow_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('status', 'stage', 'comment')", name=op.f('ck_follow_news_known_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_follow_news_actor_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_follow_news_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_news'))
    )
    with op.batch_alter_table('follow_news', schema=None) as batch_op:
        batch_op.create_index('ix_follow_news_proposal_created', ['proposal_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('follow_news', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_news_proposal_created')
    op.drop_table('follow_news')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_follows_proposal_id'))
    op.drop_table('follows')
