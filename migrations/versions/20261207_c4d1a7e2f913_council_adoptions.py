"""council adoptions: a council's decision on a published tally run, with its deliberation

Revision ID: c4d1a7e2f913
Revises: a8d4c6e1f235
Create Date: 2026-12-07 13:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d1a7e2f913'
down_revision = 'a8d4c6e1f235'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('council_adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tally_run_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=16), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('deliberation_number', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('pdf_token', sa.String(length=32), nullable=True),
    sa.Column('pdf_bytes', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("body IN ('community', 'municipal')", name=op.f('ck_council_adoptions_body_known')),
    sa.CheckConstraint("outcome IN ('adopted', 'adopted_amended', 'rejected', 'adjourned')", name=op.f('ck_council_adoptions_outcome_known')),
    sa.CheckConstraint("(body = 'municipal') = (commune_id IS NOT NULL)", name=op.f('ck_council_adoptions_commune_of_municipal_body')),
    sa.CheckConstraint('length(deliberation_number) > 0', name=op.f('ck_council_adoptions_deliberation_number_given')),
    sa.CheckConstraint('(pdf_token IS NULL) = (pdf_bytes IS NULL)', name=op.f('ck_council_adoptions_pdf_token_and_size')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_council_adoptions_commune_id_communes')),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'], name=op.f('fk_council_adoptions_cycle_id_budget_cycles')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_council_adoptions_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['tally_run_id'], ['tally_runs.id'], name=op.f('fk_council_adoptions_tally_run_id_tally_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_adoptions')),
    sa.UniqueConstraint('pdf_token', name=op.f('uq_council_adoptions_pdf_token'))
    )
    with op.batch_alter_table('council_adoptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_adoptions_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_adoptions_tally_run_id'), ['tally_run_id'], unique=False)


def downgrade():
    with op.batch_alter_table('council_adoptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_adoptions_tally_run_id'))
        batch_op.drop_index(batch_op.f('ix_council_adoptions_cycle_id'))
    op.drop_table('council_adoptions')
