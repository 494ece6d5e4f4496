"""a polling station's desk checks a voter by the identity provider: their identity is a
declaration without account, marked as voting in person (in_person_at), so the UNIQUE
constraint on the cycle's identity hash keeps it from any online ballot

Revision ID: f1c3a8d5e270
Revises: b54227f7e621
Create Date: 2026-12-07 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c3a8d5e270'
down_revision = 'b54227f7e621'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('eligibility_declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_person_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint('account_or_in_person',
                                         'user_id IS NOT NULL OR in_person_at IS NOT NULL')


def downgrade():
    op.execute("DELETE FROM eligibility_declarations WHERE user_id IS NULL")
    with op.batch_alter_table('eligibility_declarations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_eligibility_declarations_account_or_in_person'),
                                 type_='check')
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('in_person_at')
