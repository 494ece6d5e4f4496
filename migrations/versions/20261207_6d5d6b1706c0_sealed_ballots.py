"""sealed ballots: how many ballots the box held when a tally last sealed it, so that a tally
of an unchanged box does not rewrite it again

Revision ID: 6d5d6b1706c0
Revises: e3b7d2a9c514
Create Date: 2026-12-07 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d5d6b1706c0'
down_revision = 'e3b7d2a9c514'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_ballots', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('budget_cycles', schema=None) as batch_op:
        batch_op.drop_column('sealed_ballots')
