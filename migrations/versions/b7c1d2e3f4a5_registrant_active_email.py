"""one active registration per e-mail per assembly

Revision ID: b7c1d2e3f4a5
Revises: a099ee770eb9
Create Date: 2026-12-02 04:50:00

Concurrent sign-ups could store one person several times (several chances in the draw). Before
the partial unique index is built, later duplicates that are still only registered are withdrawn
(the earliest sign-up stays); duplicates already drawn must be resolved by hand first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b7c1d2e3f4a5"
down_revision = "a099ee770eb9"
branch_labels = None
depends_on = None

WHERE = "status != 'withdrawn' AND blanked_at IS NULL"


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE registrant SET status = 'withdrawn' "
            "WHERE status = 'registered' AND blanked_at IS NULL AND EXISTS ("
            " SELECT 1 FROM registrant AS earlier"
            " WHERE earlier.assembly_id = registrant.assembly_id"
            " AND earlier.email = registrant.email"
            " AND earlier.id < registrant.id"
            f" AND earlier.{WHERE.replace(' AND ', ' AND earlier.')})"
        )
    )
    with op.batch_alter_table("registrant", schema=None) as batch_op:
        batch_op.create_index(
            "uq_registrant_active_email",
            ["assembly_id", "email"],
            unique=True,
            sqlite_where=sa.text(WHERE),
            postgresql_where=sa.text(WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("registrant", schema=None) as batch_op:
        batch_op.drop_index("uq_registrant_active_email")
