"""ballot points: what a cumulative ballot gives each project it names (NULL otherwise)

Revision ID: cd2dd66d6753
Revises: 53650964962e
Create Date: 2026-11-26 11:46:17.061122

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cd2dd66d6753'
down_revision = '53650964962e'
branch_labels = None
depends_on = None

# SQLite adds a CHECK by rebuilding the table: the rebuilt table must stay WITHOUT ROWID, or
# its storage order would follow the casting order again (models/ballot.py).
KEEP_STORAGE_ORDER = {"sqlite_with_rowid": False}


def upgrade():
    with op.batch_alter_table('ballot_selections', schema=None,
                              table_kwargs=KEEP_STORAGE_ORDER) as batch_op:
        batch_op.add_column(sa.Column('points', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_ballot_selections_points_not_negative'),
                                         'points >= 0')


def downgrade():
    with op.batch_alter_table('ballot_selections', schema=None,
                              table_kwargs=KEEP_STORAGE_ORDER) as batch_op:
        batch_op.drop_constraint(op.f('ck_ballot_selections_points_not_negative'), type_='check')
        batch_op.drop_column('points')
