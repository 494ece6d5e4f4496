"""census lists per commune: one identity may be on several communes' lists of a cycle

A commune's upload is checked against its own list only, so that its staff learn nothing of
the others' lists (issue 15, finding 11). The columns' order lets the same index find every
list that has an identity (cycle_id, identifier_hash), which claims and paper votes lock.

Downgrading fails while an identity is on two lists of one cycle.

Revision ID: 193dc7bc64d8
Revises: b2ffd3850a82
Create Date: 2026-12-07 07:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '193dc7bc64d8'
down_revision = '5f1c2a9e7b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('census_entries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_census_entries_identity', type_='unique')
        batch_op.create_unique_constraint('uq_census_entries_commune_identity',
                                          ['cycle_id', 'identifier_hash', 'commune_id'])


def downgrade():
    with op.batch_alter_table('census_entries', schema=None) as batch_op:
        batch_op.drop_constraint('uq_census_entries_commune_identity', type_='unique')
        batch_op.create_unique_constraint('uq_census_entries_identity',
                                          ['cycle_id', 'identifier_hash'])
