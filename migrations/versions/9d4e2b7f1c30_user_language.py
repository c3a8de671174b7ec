"""users get the language of their e-mails; the unused lock-out columns go (ADR 0102)

Revision ID: 9d4e2b7f1c30
Revises: 7c0a11c2e5d1
Create Date: 2026-12-02 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "9d4e2b7f1c30"
down_revision = "7c0a11c2e5d1"
branch_labels = None
depends_on = None


def _drop_email_index() -> None:
    op.drop_index("uq_user_email_lower", table_name="user")


def _create_email_index() -> None:
    # SQLite's batch mode copies the table and would lose the expression index: build it again.
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)


def upgrade() -> None:
    _drop_email_index()
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=2), nullable=False, server_default="da")
        )
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")
    with op.batch_alter_table("user") as batch:
        batch.alter_column("language", server_default=None)
    _create_email_index()


def downgrade() -> None:
    _drop_email_index()
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column(
                "locked_until", portal.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch.drop_column("language")
    _create_email_index()
