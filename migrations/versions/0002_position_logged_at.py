"""position.logged_at: when the database received each record

`recorded_at` is when a stance was taken (an analyst may log it later, or import old votes);
`logged_at` is when the record was written, so every write keeps its analyst and its time.
Records that predate this revision are taken to have been logged when they were recorded.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:20:49.178466
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logged_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE position SET logged_at = recorded_at")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.alter_column("logged_at", existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_column("logged_at")
