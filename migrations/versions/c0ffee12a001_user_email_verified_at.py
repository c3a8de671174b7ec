"""user.email_verified_at: commenting needs a verified e-mail address

Revision ID: c0ffee12a001
Revises: 815e00b787aa
Create Date: 2026-12-02 08:40:00

Existing accounts (staff, organisations' people, members) were all created by the secretariat or
through a set-password link sent to their address, so they count as verified from now on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = 'c0ffee12a001'
down_revision = '815e00b787aa'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', portal.models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        sa.text('UPDATE "user" SET email_verified_at = created_at WHERE password_hash <> :unset')
        .bindparams(unset='!unset')
    )


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
