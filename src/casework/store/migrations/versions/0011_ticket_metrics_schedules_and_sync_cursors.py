"""ticket metrics schedules and sync cursors (Zendesk-exact metrics)

Business-hour schedules (`schedules`, `schedule_holidays`), the schedule each
ticket followed over time (`ticket_schedules`) and the stored per-ticket
metrics (`ticket_metrics`). The sync cursors live in 0014.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import casework.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, casework.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("intervals", sa.JSON(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_schedules_source_external_id")),
    )
    op.create_table(
        "schedule_holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_schedule_holidays_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_holidays")),
        sa.UniqueConstraint(
            "schedule_id", "external_id", name=op.f("uq_schedule_holidays_schedule_id_external_id")
        ),
    )
    op.create_table(
        "ticket_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        _when("starts_at"),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_schedules_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_ticket_schedules_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_schedules")),
        sa.UniqueConstraint(
            "ticket_id", "starts_at", name=op.f("uq_ticket_schedules_ticket_id_starts_at")
        ),
    )
    with op.batch_alter_table("ticket_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_schedules_schedule_id"), ["schedule_id"], unique=False
        )
    durations = [
        f"{metric}_{clock}"
        for metric in (
            "reply_time",
            "first_resolution_time",
            "full_resolution_time",
            "agent_wait_time",
            "requester_wait_time",
            "on_hold_time",
        )
        for clock in ("cal", "bus")
    ]
    op.create_table(
        "ticket_metrics",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        _when("computed_at"),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("queue", sa.String(length=128), nullable=True),
        sa.Column("agent", sa.String(length=255), nullable=True),
        _when("created_at"),
        _when("solved_at", nullable=True),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("reopens", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in durations),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_metrics_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_metrics")),
    )
    with op.batch_alter_table("ticket_metrics", schema=None) as batch_op:
        for column in ("queue", "agent", "created_at", "solved_at"):
            batch_op.create_index(batch_op.f(f"ix_ticket_metrics_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("ticket_metrics")
    with op.batch_alter_table("ticket_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_schedules_schedule_id"))
    op.drop_table("ticket_schedules")
    op.drop_table("schedule_holidays")
    op.drop_table("schedules")
