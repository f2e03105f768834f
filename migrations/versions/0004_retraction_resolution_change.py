"""retraction and resolution_change: mistakes are undone without editing the past

A retraction marks one logged position as withdrawn (who, when, why); counts then use the
record before it. A resolution change records one correction of a resolution's title, rule,
required, denominator, sponsors or status. Both tables start empty: nothing existing changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("retracted_at", sa.DateTime(), nullable=False),
        sa.Column("analyst", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_retraction_position_id_position")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retraction")),
        sa.UniqueConstraint("position_id", name=op.f("uq_retraction_position_id")),
    )
    op.create_table(
        "resolution_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("analyst", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resolution_id"],
            ["resolution.id"],
            name=op.f("fk_resolution_change_resolution_id_resolution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_change")),
    )
    with op.batch_alter_table("resolution_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resolution_change_resolution_id"), ["resolution_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("resolution_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolution_change_resolution_id"))
    op.drop_table("resolution_change")
    op.drop_table("retraction")
