"""`oastrack align`: how often members vote alike in official votes."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack.cli.common import FormatOption, LimitOption, code, fmt, maybe_date, open_database
from oastrack.cli.completion import MemberArgument, SinceOption, member_argument


def align(
    ctx: typer.Context,
    member: MemberArgument,
    other: Annotated[
        str | None, member_argument("Another member. Default: every member, most alike first.")
    ] = None,
    since: SinceOption = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """How often members vote alike in official votes.

    Two roll calls are compared when both members voted yes, no or abstain (an absence says
    nothing about agreeing); `agreement` is the share of them on which they voted the same.
    With one member: its agreement with every other member, most alike first.
    """
    db = open_database(ctx)
    from oastrack.store import alignment

    first, day = code(member), maybe_date(since)
    if other is None:
        found = db.read(lambda: alignment.align_all(db, first, day, limit))
    else:
        second = code(other)
        found = [db.read(lambda: alignment.align_pair(db, first, second, day))]
    from oastrack.render.analysis import show_agreements

    show_agreements(found, fmt(format), first, f" since {day.isoformat()}" if day else "")


def register(app: typer.Typer) -> None:
    app.command()(align)
