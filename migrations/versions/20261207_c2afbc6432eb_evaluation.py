"""evaluation: residents' answers about a delivered project (one per account and project),
the evaluation text its staff publish, and reports of an answer's comment

Revision ID: c2afbc6432eb
Revises: 6d5d6b1706c0
Create Date: 2026-12-07 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2afbc6432eb'
down_revision = '6d5d6b1706c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('usage', sa.Enum('yes', 'sometimes', 'no', name='evaluation_usage', native_enum=False, length=16, create_constraint=True), nullable=False),
    sa.Column('usefulness', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('usefulness BETWEEN 1 AND 5', name=op.f('ck_evaluation_answers_usefulness_scale')),
    sa.CheckConstraint('(hidden_at IS NULL) = (hidden_reason IS NULL)', name=op.f('ck_evaluation_answers_hidden_with_reason')),
    sa.CheckConstraint('hidden_at IS NULL OR comment IS NOT NULL', name=op.f('ck_evaluation_answers_hides_a_comment')),
    sa.ForeignKeyConstraint(['tracking_id'], ['project_trackings.id'], name=op.f('fk_evaluation_answers_tracking_id_project_trackings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluation_answers_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_evaluation_answers_hidden_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answers')),
    sa.UniqueConstraint('tracking_id', 'user_id', name='uq_evaluation_answers_tracking_id_user_id')
    )
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answers_tracking_id'), ['tracking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answers_user_id'), ['user_id'], unique=False)
    op.create_table('project_evaluations',
    sa.Column('tracking_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tracking_id'], ['project_trackings.id'], name=op.f('fk_project_evaluations_tracking_id_project_trackings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_project_evaluations_published_by_id_users')),
    sa.PrimaryKeyConstraint('tracking_id', name=op.f('pk_project_evaluations'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_answer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_evaluation_answer_id'), ['evaluation_answer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_evaluation_answer_id_evaluation_answers'), 'evaluation_answers', ['evaluation_answer_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_evaluation_answer_id_evaluation_answers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_evaluation_answer_id'))
        batch_op.drop_column('evaluation_answer_id')
    op.drop_table('project_evaluations')
    with op.batch_alter_table('evaluation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answers_tracking_id'))
    op.drop_table('evaluation_answers')
