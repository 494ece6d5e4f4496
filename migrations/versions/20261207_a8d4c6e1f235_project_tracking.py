"""project tracking: each winner of a published run followed to its delivery (stages, money,
planned dates, milestones with photos); residents opt in to delivery emails

Revision ID: a8d4c6e1f235
Revises: 6e1d0c2b9a47
Create Date: 2026-12-07 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8d4c6e1f235'
down_revision = '6e1d0c2b9a47'
branch_labels = None
depends_on = None

STAGES = ('studies', 'procurement', 'works', 'delivered', 'abandoned')


def _state_columns():
    return [
        sa.Column('stage', sa.Enum(*STAGES, name='delivery_stage', native_enum=False,
                                   length=16, create_constraint=True), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('committed_eur', sa.Integer(), nullable=False),
        sa.Column('spent_eur', sa.Integer(), nullable=False),
        sa.Column('planned_delivery', sa.Date(), nullable=True),
        sa.Column('delivered_on', sa.Date(), nullable=True),
        sa.Column('abandon_reason', sa.Text(), nullable=True),
    ]


def _state_checks(table):
    return [
        sa.CheckConstraint('progress BETWEEN 0 AND 100',
                           name=op.f(f'ck_{table}_progress_percentage')),
        sa.CheckConstraint('committed_eur >= 0 AND spent_eur >= 0',
                           name=op.f(f'ck_{table}_money_not_negative')),
        sa.CheckConstraint('spent_eur <= committed_eur',
                           name=op.f(f'ck_{table}_spent_within_committed')),
        sa.CheckConstraint("stage != 'abandoned' OR abandon_reason IS NOT NULL",
                           name=op.f(f'ck_{table}_abandoned_has_reason')),
        sa.CheckConstraint("stage != 'delivered' OR delivered_on IS NOT NULL",
                           name=op.f(f'ck_{table}_delivered_has_date')),
    ]


def upgrade():
    op.create_table('project_trackings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('tally_run_id', sa.Integer(), nullable=False),
    sa.Column('envelope_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('amount_voted_eur', sa.Integer(), nullable=False),
    sa.Column('delivering_commune_id', sa.Integer(), nullable=True),
    sa.Column('service', sa.String(length=200), nullable=False),
    *_state_columns(),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    *_state_checks('project_trackings'),
    sa.CheckConstraint('amount_voted_eur > 0',
                       name=op.f('ck_project_trackings_amount_voted_positive')),
    sa.ForeignKeyConstraint(['cycle_id'], ['budget_cycles.id'],
                            name=op.f('fk_project_trackings_cycle_id_budget_cycles')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'],
                            name=op.f('fk_project_trackings_proposal_id_proposals')),
    sa.ForeignKeyConstraint(['tally_run_id'], ['tally_runs.id'],
                            name=op.f('fk_project_trackings_tally_run_id_tally_runs')),
    sa.ForeignKeyConstraint(['envelope_id'], ['envelopes.id'],
                            name=op.f('fk_project_trackings_envelope_id_envelopes')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'],
                            name=op.f('fk_project_trackings_commune_id_communes')),
    sa.ForeignKeyConstraint(['delivering_commune_id'], ['communes.id'],
                            name=op.f('fk_project_trackings_delivering_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_trackings')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_project_trackings_proposal_id'))
    )
    with op.batch_alter_table('project_trackings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_trackings_cycle_id'), ['cycle_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_project_trackings_commune_id'), ['commune_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_project_trackings_stage'), ['stage'],
                              unique=False)

    op.create_table('tracking_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    *_state_columns(),
    *_state_checks('tracking_states'),
    sa.ForeignKeyConstraint(['tracking_id'], ['project_trackings.id'],
                            name=op.f('fk_tracking_states_tracking_id_project_trackings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_states'))
    )
    with op.batch_alter_table('tracking_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_states_tracking_id'), ['tracking_id'],
                              unique=False)

    op.create_table('tracking_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tracking_id'], ['project_trackings.id'],
                            name=op.f('fk_tracking_milestones_tracking_id_project_trackings'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_milestones'))
    )
    with op.batch_alter_table('tracking_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_milestones_tracking_id'),
                              ['tracking_id'], unique=False)

    op.create_table('tracking_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('alt_text', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_tracking_photos_size_positive')),
    sa.ForeignKeyConstraint(['milestone_id'], ['tracking_milestones.id'],
                            name=op.f('fk_tracking_photos_milestone_id_tracking_milestones'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_photos')),
    sa.UniqueConstraint('token', name=op.f('uq_tracking_photos_token'))
    )
    with op.batch_alter_table('tracking_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_photos_milestone_id'), ['milestone_id'],
                              unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_delivery', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notify_delivery')
    op.drop_table('tracking_photos')
    op.drop_table('tracking_milestones')
    op.drop_table('tracking_states')
    op.drop_table('project_trackings')
