"""catalogue: reference projects of other territories and this installation's winners;
proposals remember the entry they were started from

Revision ID: d98d6f863fa5
Revises: 6b92902db3df
Create Date: 2026-12-07 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd98d6f863fa5'
down_revision = '6b92902db3df'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalogue_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('licence', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('themes', sa.String(length=700), nullable=False),
    sa.Column('territory_name', sa.String(length=200), nullable=False),
    sa.Column('territory_code', sa.String(length=16), nullable=True),
    sa.Column('population_band', sa.String(length=16), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('selected', sa.Boolean(), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), server_default='', nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('cost >= 0', name=op.f('ck_catalogue_entries_cost_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_catalogue_entries_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_entries')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_catalogue_entries_proposal_id')),
    sa.UniqueConstraint('source', 'external_id', name='uq_catalogue_entries_source_external_id')
    )
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_entries_population_band'), ['population_band'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_catalogue_entries_search_text_french ON catalogue_entries "
                   "USING gin (to_tsvector('french', search_text))")
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inspired_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposals_inspired_by_id_catalogue_entries'), 'catalogue_entries', ['inspired_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_inspired_by_id_catalogue_entries'), type_='foreignkey')
        batch_op.drop_column('inspired_by_id')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_catalogue_entries_search_text_french")
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_entries_population_band'))
    op.drop_table('catalogue_entries')
