"""results notification: users may ask to be emailed when results are published

Revision ID: 4f1c2a7e9b3d
Revises: 5b1e0c7d2a94
Create Date: 2026-11-26 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f1c2a7e9b3d'
down_revision = '5b1e0c7d2a94'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_results', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notify_results')
