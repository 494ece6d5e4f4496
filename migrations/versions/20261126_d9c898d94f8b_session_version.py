"""session version: raising it revokes every session of a user

Revision ID: d9c898d94f8b
Revises: cd2dd66d6753
Create Date: 2026-11-26 12:15:37.982776

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9c898d94f8b'
down_revision = 'cd2dd66d6753'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0',
                                      nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')

