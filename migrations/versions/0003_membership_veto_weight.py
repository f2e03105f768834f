"""membership.veto and membership.weight; a rule may be written in the general form

A membership may hold, for its dates, a veto (a permanent member of the Security Council) and a
weight (a non-negative integer: population, voting power, shares). Existing memberships hold
neither. The rule columns lose their list of names: a rule is now a name or the general form
(`members>=3/5 weight>=85%`), checked where it comes in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RULES = "'simple', 'two-thirds-voting', 'absolute', 'two-thirds', 'consensus', 'fixed'"


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("veto", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("weight", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint("weight", "weight IS NULL OR weight >= 0")
    for table in ("organization", "meeting", "resolution"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_rule"), type_="check")


def downgrade() -> None:
    with op.batch_alter_table("resolution", schema=None) as batch_op:
        batch_op.create_check_constraint("rule", f"rule IN ({_RULES})")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_check_constraint("rule", f"rule IS NULL OR rule IN ({_RULES})")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_check_constraint("rule", f"rule IN ({_RULES})")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_membership_weight"), type_="check")
        batch_op.drop_column("weight")
        batch_op.drop_column("veto")
