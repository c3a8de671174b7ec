"""resident accounts (verified e-mail, district) and server-side login sessions; login throttle by device

Revision ID: 7a3c9e1d5b20
Revises: 815e00b787aa
Create Date: 2026-12-02 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "7a3c9e1d5b20"
down_revision = "815e00b787aa"
branch_labels = None
depends_on = None


# SQLite's batch mode rebuilds the table and cannot reflect the expression index on lower(email),
# so it is dropped before and created again after every batch on "user".
def _drop_email_index() -> None:
    op.drop_index("uq_user_email_lower", table_name="user")


def _create_email_index() -> None:
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)


def upgrade() -> None:
    _drop_email_index()
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column(
                "email_verified_at", portal.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch.add_column(
            sa.Column("district", sa.String(length=120), nullable=False, server_default="")
        )
    with op.batch_alter_table("user") as batch:
        batch.alter_column("district", server_default=None)
    _create_email_index()
    # Accounts made before self-service sign-up were created by staff and set their password from
    # an e-mailed link (or will): they count as verified from their creation.
    op.execute('UPDATE "user" SET email_verified_at = created_at')

    with op.batch_alter_table("login_attempt") as batch:
        batch.add_column(
            sa.Column("device", sa.String(length=64), nullable=False, server_default="")
        )
        batch.create_index(batch.f("ix_login_attempt_email"), ["email"], unique=False)
    with op.batch_alter_table("login_attempt") as batch:
        batch.alter_column("device", server_default=None)

    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_login_session_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"], unique=False)
    op.create_index(
        op.f("ix_login_session_created_at"), "login_session", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_login_session_created_at"), table_name="login_session")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
    with op.batch_alter_table("login_attempt") as batch:
        batch.drop_index(batch.f("ix_login_attempt_email"))
        batch.drop_column("device")
    _drop_email_index()
    with op.batch_alter_table("user") as batch:
        batch.drop_column("district")
        batch.drop_column("email_verified_at")
    _create_email_index()
