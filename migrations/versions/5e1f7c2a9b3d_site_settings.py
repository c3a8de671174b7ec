"""site settings: the municipality's identity, contact and privacy text

Revision ID: 5e1f7c2a9b3d
Revises: 5e0b1c7d9a21
Create Date: 2026-12-02 04:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "5e1f7c2a9b3d"
down_revision = '5e0b1c7d9a21'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=120), nullable=False),
        sa.Column("logo_url", sa.String(length=500), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_url", sa.String(length=500), nullable=False),
        sa.Column("data_controller", sa.String(length=200), nullable=False),
        sa.Column("privacy_text", sa.Text(), nullable=False),
        sa.Column("privacy_text_en", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", portal.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_settings")),
    )


def downgrade() -> None:
    op.drop_table("site_settings")
