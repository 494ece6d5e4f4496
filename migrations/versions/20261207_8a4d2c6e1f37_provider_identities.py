"""provider identities: accounts linked to an OpenID Connect identity (a keyed hash of its
subject, the certified date of birth), and one declaration per verified identity per cycle

Revision ID: 8a4d2c6e1f37
Revises: a4d9c3e1f702
Create Date: 2026-12-07 13:12:58.219152

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8a4d2c6e1f37'
down_revision = 'a4d9c3e1f702'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('provider_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_hash', sa.String(length=64), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('linked_at', sa.DateTime(), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_provider_identities_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_identities')),
    sa.UniqueConstraint('subject_hash', name=op.f('uq_provider_identities_subject_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_provider_identities_user_id'))
    )
    with op.batch_alter_table('eligibility_declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_eligibility_declarations_identity', ['cycle_id', 'identity_hash'])



def downgrade():
    with op.batch_alter_table('eligibility_declarations', schema=None) as batch_op:
        batch_op.drop_constraint('uq_eligibility_declarations_identity', type_='unique')
        batch_op.drop_column('identity_hash')

    op.drop_table('provider_identities')
