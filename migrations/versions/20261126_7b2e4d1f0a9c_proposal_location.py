"""proposal location: optional latitude and longitude, chosen on a map

Revision ID: 7b2e4d1f0a9c
Revises: 4f1c2a7e9b3d
Create Date: 2026-11-26 13:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b2e4d1f0a9c'
down_revision = '4f1c2a7e9b3d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_proposals_location_complete'), '(latitude IS NULL) = (longitude IS NULL)')
        batch_op.create_check_constraint(
            op.f('ck_proposals_latitude_range'), 'latitude IS NULL OR latitude BETWEEN -90 AND 90')
        batch_op.create_check_constraint(
            op.f('ck_proposals_longitude_range'),
            'longitude IS NULL OR longitude BETWEEN -180 AND 180')


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_longitude_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_proposals_latitude_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_proposals_location_complete'), type_='check')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
