"""email verified at: accounts confirm their address before voting or proposing

Revision ID: 5b1e0c7d2a94
Revises: 3fb0a7dec2ed
Create Date: 2026-11-26 13:00:00

Accounts created before this revision count as verified (at their creation): they were opened
when no confirmation existed, and must not lose their vote in the middle of a cycle.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d2a94'
down_revision = '3fb0a7dec2ed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
