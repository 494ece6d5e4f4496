"""tracking: a winning project can be merged into another of the same cycle (stage 'merged'
naming its target; both stay visible); the follows made for residents who opted in to
delivery news

Revision ID: b54227f7e621
Revises: d98d6f863fa5
Create Date: 2026-12-07 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b54227f7e621'
down_revision = 'd98d6f863fa5'
branch_labels = None
depends_on = None

OLD_STAGES = "('studies', 'procurement', 'works', 'delivered', 'abandoned')"
NEW_STAGES = "('studies', 'procurement', 'works', 'delivered', 'abandoned', 'merged')"
TARGET_CHECKS = (
    ("merged_names_target", "stage != 'merged' OR merged_into_id IS NOT NULL"),
    ("only_merged_has_target", "stage = 'merged' OR merged_into_id IS NULL"),
)


def _stages(batch_op, table, stages):
    batch_op.drop_constraint(batch_op.f(f'ck_{table}_delivery_stage'), type_='check')
    batch_op.create_check_constraint('delivery_stage', f"stage IN {stages}")


def upgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_delivery_opt_in', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    with op.batch_alter_table('project_trackings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_project_trackings_merged_into_id'),
                              ['merged_into_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_project_trackings_cycle_id_id'),
                                          ['cycle_id', 'id'])
        batch_op.create_foreign_key('fk_project_trackings_merged_into_same_cycle',
                                    'project_trackings', ['cycle_id', 'merged_into_id'],
                                    ['cycle_id', 'id'])
        batch_op.create_check_constraint('not_merged_into_itself',
                                         "merged_into_id IS NULL OR merged_into_id != id")
        _stages(batch_op, 'project_trackings', NEW_STAGES)
        for name, sql in TARGET_CHECKS:
            batch_op.create_check_constraint(name, sql)
    with op.batch_alter_table('tracking_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_tracking_states_merged_into_id_project_trackings'),
            'project_trackings', ['merged_into_id'], ['id'])
        _stages(batch_op, 'tracking_states', NEW_STAGES)
        for name, sql in TARGET_CHECKS:
            batch_op.create_check_constraint(name, sql)


def downgrade():
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_column('by_delivery_opt_in')
    # A merged project goes back to studies, its target forgotten (the stage did not exist).
    op.execute("UPDATE project_trackings SET stage = 'studies', merged_into_id = NULL "
               "WHERE stage = 'merged'")
    op.execute("UPDATE tracking_states SET stage = 'studies', merged_into_id = NULL "
               "WHERE stage = 'merged'")
    with op.batch_alter_table('tracking_states', schema=None) as batch_op:
        for name, _sql in TARGET_CHECKS:
            batch_op.drop_constraint(batch_op.f(f'ck_tracking_states_{name}'), type_='check')
        _stages(batch_op, 'tracking_states', OLD_STAGES)
        batch_op.drop_constraint(
            batch_op.f('fk_tracking_states_merged_into_id_project_trackings'),
            type_='foreignkey')
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('project_trackings', schema=None) as batch_op:
        for name, _sql in TARGET_CHECKS:
            batch_op.drop_constraint(batch_op.f(f'ck_project_trackings_{name}'), type_='check')
        _stages(batch_op, 'project_trackings', OLD_STAGES)
        batch_op.drop_constraint(batch_op.f('ck_project_trackings_not_merged_into_itself'),
                                 type_='check')
        batch_op.drop_constraint('fk_project_trackings_merged_into_same_cycle',
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_project_trackings_cycle_id_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_project_trackings_merged_into_id'))
        batch_op.drop_column('merged_into_id')
