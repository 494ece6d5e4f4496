"""ballot inbox: online ballots wait there before the box; ballots keep no day

Revision ID: 5f1c2a9e7b30
Revises: b2ffd3850a82
Create Date: 2026-12-07 07:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f1c2a9e7b30'
down_revision = 'b2ffd3850a82'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ballot_inbox',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('cycle_id', sa.Integer(), nullable=False),
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.Column('receipt_hash', sa.String(length=64), nullable=False),
        sa.Column('selections', sa.JSON(), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['commune_id'], ['communes.id'],
                                name=op.f('fk_ballot_inbox_commune_id_communes')),
        sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'],
                                name=op.f('fk_ballot_inbox_cycle_id_budget_cycles')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_inbox')),
        sa.UniqueConstraint('receipt_hash', name=op.f('uq_ballot_inbox_receipt_hash')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_column('cast_on')


def downgrade():
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cast_on', sa.Date(), nullable=False,
                                      server_default=sa.text('CURRENT_DATE')))
    op.drop_table('ballot_inbox')
