"""consultation responses can be edited with history

Revision ID: 3b8f6a1e2d47
Revises: 9d4e2b7f1c30
Create Date: 2026-12-02 12:33:39.311807
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = '3b8f6a1e2d47'
down_revision = '9d4e2b7f1c30'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('response_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Enum('supports', 'supports_with_changes', 'opposes', 'other', name='responseposition', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edited_by_id'], ['user.id'], name=op.f('fk_response_edit_edited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_response.id'], name=op.f('fk_response_edit_response_id_consultation_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_edit'))
    )
    with op.batch_alter_table('response_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_edit_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('consultation_response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', portal.models.base.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('consultation_response', schema=None) as batch_op:
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('response_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_edit_response_id'))

    op.drop_table('response_edit')
