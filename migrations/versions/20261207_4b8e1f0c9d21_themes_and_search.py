"""themes per cycle (proposals have one or more) and a searchable text of each proposal

Revision ID: 4b8e1f0c9d21
Revises: c4d1a7e2f913
Create Date: 2026-12-07 13:00:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b8e1f0c9d21'
down_revision = 'c4d1a7e2f913'
branch_labels = None
depends_on = None

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def _searchable(*texts):
    """budget/domain/search_text.searchable as it was when this migration was written (a
    migration keeps its own copy: later changes to the app must not change what it did)."""
    found = []
    for text in texts:
        decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        found += re.findall(r"[a-z0-9]+", plain)
    return " " + " ".join(found)


def upgrade():
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('icon', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'], name=op.f('fk_themes_cycle_id_budget_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('cycle_id', 'name', name='uq_themes_cycle_id_name')
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('proposal_themes',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_themes_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_proposal_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'theme_id', name=op.f('pk_proposal_themes'))
    )
    with op.batch_alter_table('proposal_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_themes_theme_id'), ['theme_id'], unique=False)

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False,
                                      server_default=''))
    proposals = sa.table('proposals', sa.column('id', sa.Integer), sa.column('title', sa.String),
                         sa.column('description', sa.Text), sa.column('search_text', sa.Text))
    connection = op.get_bind()
    for row in connection.execute(sa.select(proposals.c.id, proposals.c.title,
                                            proposals.c.description)).all():
        connection.execute(proposals.update().where(proposals.c.id == row.id).values(
            search_text=_searchable(row.title, row.description)))
    if connection.dialect.name == 'postgresql':
        # What services/search.py asks PostgreSQL for, indexed.
        op.execute("CREATE INDEX ix_proposals_search_text_french ON proposals "
                   "USING gin (to_tsvector('french', search_text))")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_proposals_search_text_french")
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('search_text')
    with op.batch_alter_table('proposal_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_themes_theme_id'))
    op.drop_table('proposal_themes')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_cycle_id'))
    op.drop_table('themes')
