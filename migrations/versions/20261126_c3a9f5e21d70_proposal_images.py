"""proposal images: up to a few re-encoded photos per proposal, files on disk

Revision ID: c3a9f5e21d70
Revises: 7b2e4d1f0a9c
Create Date: 2026-11-26 13:25:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a9f5e21d70'
down_revision = '7b2e4d1f0a9c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposal_images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('alt_text', sa.String(length=200), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('width > 0 AND height > 0',
                           name=op.f('ck_proposal_images_size_positive')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                                name=op.f('fk_proposal_images_proposal_id_proposals'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_images')),
        sa.UniqueConstraint('token', name=op.f('uq_proposal_images_token')),
    )
    with op.batch_alter_table('proposal_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_images_proposal_id'), ['proposal_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('proposal_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_images_proposal_id'))
    op.drop_table('proposal_images')
