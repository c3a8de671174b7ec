"""indexes for the public pages at scale: latest meetings, recommendations and answers; first phase

Revision ID: f1a2b3c4d5e6
Revises: 7a3c9e1d5b20
Create Date: 2026-12-02 08:50:00
"""

from __future__ import annotations

from alembic import op

revision = "f1a2b3c4d5e6"
down_revision = "7a3c9e1d5b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_meeting_starts_at", "meeting", ["starts_at"])
    op.create_index("ix_recommendation_updated_at", "recommendation", ["updated_at"])
    op.create_index("ix_council_answer_decided_on", "council_answer", ["decided_on"])
    op.create_index("ix_phase_assembly_id_starts_on", "phase", ["assembly_id", "starts_on"])


def downgrade() -> None:
    op.drop_index("ix_phase_assembly_id_starts_on", table_name="phase")
    op.drop_index("ix_council_answer_decided_on", table_name="council_answer")
    op.drop_index("ix_recommendation_updated_at", table_name="recommendation")
    op.drop_index("ix_meeting_starts_at", table_name="meeting")
