"""kiosks: polling stations, the devices turned into kiosks, the desk's one-time unlocks, and
the channel of a ballot waiting in the inbox (online or kiosk)

Revision ID: 6b92902db3df
Revises: c2afbc6432eb
Create Date: 2026-12-07 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b92902db3df'
down_revision = "c2afbc6432eb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('polling_stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_polling_stations_commune_id_communes')),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'], name=op.f('fk_polling_stations_cycle_id_budget_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polling_stations')),
    sa.UniqueConstraint('cycle_id', 'commune_id', 'name', name='uq_polling_stations_name')
    )
    with op.batch_alter_table('polling_stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polling_stations_cycle_id'), ['cycle_id'], unique=False)
    op.create_table('kiosks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_kiosks_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['station_id'], ['polling_stations.id'], name=op.f('fk_kiosks_station_id_polling_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosks_token_hash'))
    )
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosks_station_id'), ['station_id'], unique=False)
    op.create_table('kiosk_unlocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('held_until', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('used_at IS NULL OR kiosk_id IS NOT NULL', name=op.f('ck_kiosk_unlocks_used_on_a_kiosk')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_kiosk_unlocks_kiosk_id_kiosks')),
    sa.ForeignKeyConstraint(['station_id'], ['polling_stations.id'], name=op.f('fk_kiosk_unlocks_station_id_polling_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_unlocks')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_kiosk_unlocks_code_hash'))
    )
    with op.batch_alter_table('kiosk_unlocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_unlocks_station_id'), ['station_id'], unique=False)
    with op.batch_alter_table('ballot_inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='online', nullable=False))


def downgrade():
    with op.batch_alter_table('ballot_inbox', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('kiosk_unlocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_unlocks_station_id'))
    op.drop_table('kiosk_unlocks')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosks_station_id'))
    op.drop_table('kiosks')
    with op.batch_alter_table('polling_stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polling_stations_cycle_id'))
    op.drop_table('polling_stations')
