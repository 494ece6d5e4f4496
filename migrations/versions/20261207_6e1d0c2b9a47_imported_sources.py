"""imported elections keep their source: the file's facts on cycles, envelopes and proposals;
an unknown population is NULL

Revision ID: 6e1d0c2b9a47
Revises: b2ffd3850a82
Create Date: 2026-12-07 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e1d0c2b9a47'
down_revision = '7f3c2a91b5d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.JSON(), nullable=True))
    with op.batch_alter_table('envelopes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_meta', sa.JSON(), nullable=True))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_columns', sa.JSON(), nullable=True))
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.alter_column('population', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # An unknown population becomes 0 again, which is what it was before this revision.
    op.execute("UPDATE communes SET population = 0 WHERE population IS NULL")
    with op.batch_alter_table('communes', schema=None) as batch_op:
        batch_op.alter_column('population', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('source_columns')
    with op.batch_alter_table('envelopes', schema=None) as batch_op:
        batch_op.drop_column('source_meta')
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.drop_column('source')
