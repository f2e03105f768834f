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

def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("veto", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("weight", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint("weight", "weight IS NULL OR weight >= 0")
    inspector = sa.inspect(op.get_bind())
    for table in ("organization", "meeting", "resolution"):
        present = {check["name"] for check in inspector.get_check_constraints(table)}
        if f"ck_{table}_rule" not in present:  # a database downgraded from here has none
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_rule"), type_="check")


def downgrade() -> None:
    # The lists of rule names are not put back: rows may hold the newer rules (the reference
    # data's Security Council and Council of the EU do), and 0002's code checks rules anyway
    # where they come in.
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_membership_weight"), type_="check")
        batch_op.drop_column("weight")
        batch_op.drop_column("veto")
