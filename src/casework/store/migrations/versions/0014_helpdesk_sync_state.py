"""helpdesk sync state (Zendesk incremental export cursors)

Adds `sync_state` (where each live sync stream stopped) and marks
reconstructed status history: `ticket_field_changes.approximate`.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
        sa.UniqueConstraint("source", "stream", name=op.f("uq_sync_state_source_stream")),
    )
    with op.batch_alter_table("ticket_field_changes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approximate", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_field_changes", schema=None) as batch_op:
        batch_op.drop_column("approximate")
    op.drop_table("sync_state")
