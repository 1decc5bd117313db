"""privacy erasures, personal-data index and egress blocks

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import casework.store.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pii_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_hash", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("object_type", sa.String(length=16), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pii_index")),
        sa.UniqueConstraint(
            "value_hash",
            "object_type",
            "object_id",
            name=op.f("uq_pii_index_value_hash_object_type_object_id"),
        ),
    )
    with op.batch_alter_table("pii_index", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pii_index_object_type_object_id", ["object_type", "object_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pii_index_ticket_id"), ["ticket_id"], unique=False)
    op.create_table(
        "privacy_erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("subject_hash", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("occurred_at", casework.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_erasures")),
        sa.UniqueConstraint("request_id", name=op.f("uq_privacy_erasures_request_id")),
    )
    op.create_table(
        "egress_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", casework.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("found", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_egress_blocks")),
    )
    with op.batch_alter_table("egress_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_egress_blocks_channel"), ["channel"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_egress_blocks_occurred_at"), ["occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("egress_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_egress_blocks_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_egress_blocks_channel"))
    op.drop_table("egress_blocks")
    op.drop_table("privacy_erasures")
    with op.batch_alter_table("pii_index", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pii_index_ticket_id"))
        batch_op.drop_index("ix_pii_index_object_type_object_id")
    op.drop_table("pii_index")
