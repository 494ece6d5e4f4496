"""proposal external id: a project's id in the Pabulib file it was imported from

Revision ID: 53650964962e
Revises: 0e83596dc1c7
Create Date: 2026-11-26 11:28:14.215627

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '53650964962e'
down_revision = '0e83596dc1c7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_proposals_envelope_external_id', ['envelope_id', 'external_id'])



def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint('uq_proposals_envelope_external_id', type_='unique')
        batch_op.drop_column('external_id')

