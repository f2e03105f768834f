"""`oastrack member list|add|show|end|positions`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from oastrack import render
from oastrack.cli.common import (
    FormatOption,
    LimitOption,
    code,
    done,
    fmt,
    maybe_date,
    open_database,
    parsed,
)
from oastrack.cli.completion import MemberArgument
from oastrack.cli.messages import added_member
from oastrack.core.values import parse_date, parse_weight
from oastrack.core.vocabulary import STATUSES
from oastrack.errors import InvalidInput
from oastrack.store import members, terms

app = typer.Typer(
    help="Member states, their statuses in organizations, and their positions.",
    no_args_is_help=True,
)


@app.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option(help="Only members of this organization.")] = None,
    at: Annotated[
        str | None, typer.Option(metavar="DATE", help="Statuses on this date. Default: today.")
    ] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List members with their status in each organization on a date."""
    db = open_database(ctx)
    on = maybe_date(at) or date.today()
    rows = db.read(
        lambda: members.list_members(db, org=code(org) if org else None, on=on, limit=limit)
    )
    columns = [
        ("code", "Code"),
        ("name", "Name"),
        ("org", "Org"),
        ("status", "Status"),
        ("start", "Since"),
        ("end", "Until"),
    ]
    if any(row["veto"] or row["weight"] is not None for row in rows):
        columns += [("veto", "Veto"), ("weight", "Weight")]
    render.rows(
        rows,
        fmt(format),
        columns,
        title=f"Members on {on}",
        empty="No members.",
    )


@app.command()
def show(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(metavar="CODE", help="The member's code, e.g. ARG.")],
    format: FormatOption = None,
) -> None:
    """Show a member: its memberships over time, its blocs, how many positions are logged."""
    db = open_database(ctx)
    found = db.read(lambda: members.show_member(db, code(member)))
    render.obj(found, fmt(format), title=f"{found['code']} — {found['name']}")


@app.command()
def positions(
    ctx: typer.Context,
    member: MemberArgument,
    meeting: Annotated[
        str | None, typer.Option(metavar="M", help="Only resolutions of this meeting.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only resolutions of meetings from this date on."),
    ] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """A member's current position on every resolution it has a record on, latest first.

    Latest first is by the meeting's date (newest first), then by resolution code: where the
    member stands on this week's drafts before last year's, however late an old vote was
    recorded. The current position is the one the tally counts: the latest record, and the
    latest official one once the resolution has official records (a member with only
    projections there shows unknown, as in the tally).

    Example: oastrack member positions VEN --since 2017-01-01
    """
    db = open_database(ctx)
    who, where, day = code(member), code(meeting) if meeting else None, maybe_date(since)
    from oastrack.store import records

    rows = db.read(lambda: records.member_positions(db, who, meeting=where, since=day, limit=limit))
    # The meeting's date is in JSON and CSV; the table leaves it out to fit 100 columns.
    render.rows(
        rows,
        fmt(format),
        [
            ("resolution", "Resolution"),
            ("meeting", "Meeting"),
            ("position", "Position"),
            ("kind", "Kind"),
            ("confidence", "Conf."),
            ("recorded_at", "Time (UTC)"),
            ("analyst", "Analyst"),
        ],
        title=f"Positions of {who}",
        spare=("confidence", "analyst"),
        empty=f"No positions logged for {who}"
        + (f" at {where}" if where else "")
        + (f" at meetings since {day.isoformat()}" if day else "")
        + ".",
    )


def _status(raw: str) -> str:
    value = raw.strip().lower()
    if value not in STATUSES:
        raise ValueError(f"{raw!r} is not a status; use one of: {', '.join(STATUSES)}")
    return value


@app.command()
def add(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(metavar="CODE", help="The member's code, e.g. ARG.")],
    name: Annotated[str | None, typer.Option(help="The member's name (for a new member).")] = None,
    org: Annotated[
        str | None, typer.Option(help="Add a membership of this organization (created if new).")
    ] = None,
    status: Annotated[
        str, typer.Option(help=f"Membership status: {', '.join(STATUSES)}.")
    ] = "active",
    start: Annotated[
        str | None, typer.Option(metavar="DATE", help="First day of the status.")
    ] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last day of the status.")] = None,
    note: Annotated[str | None, typer.Option(help="A note on the member or membership.")] = None,
    veto: Annotated[
        bool, typer.Option("--veto", help="The membership holds a veto (Security Council).")
    ] = False,
    weight: Annotated[
        str | None,
        typer.Option(metavar="N", help="The membership's weight: population, voting power."),
    ] = None,
    since_always: Annotated[
        bool,
        typer.Option(
            "--since-always",
            help="No start date: a member at every meeting, past ones included.",
        ),
    ] = False,
) -> None:
    """Add a member, or a membership of an organization to an existing member.

    To an organization that already has meetings, give --start (or --since-always): a
    membership with no start counts at every meeting, and would change past tallies.

    Example: oastrack member add CUB --org OAS --status non-participating --start 2009-06-03
    """
    db = open_database(ctx)
    member_code = code(member)
    membership = None
    if org:
        membership = members.NewMembership(
            org=code(org),
            status=parsed(_status, status),
            start=maybe_date(start),
            end=maybe_date(end),
            note=note,
            veto=veto,
            weight=None if weight is None else parsed(parse_weight, weight),
            since_always=since_always,
        )
        if since_always and membership.start is not None:
            raise InvalidInput("give --start or --since-always, not both")
    elif veto or weight is not None:
        raise InvalidInput("a veto or a weight belongs to a membership: give --org ORG")
    found = db.write(
        lambda: members.add_member(db, member_code, name or "", membership, None if org else note)
    )
    done(added_member(found))


@app.command()
def end(
    ctx: typer.Context,
    member: MemberArgument,
    org: Annotated[str, typer.Option(help="The organization it leaves.")],
    on: Annotated[str, typer.Option(metavar="DATE", help="The last day it is a member.")],
) -> None:
    """End a member's membership of an organization on its last day.

    Meetings up to that day count it as before; later ones do not. Refused when the member
    has records at a later meeting (those tallies would change).

    Example: oastrack member end VEN --org OAS --on 2019-04-27
    """
    db = open_database(ctx)
    member_code, org_code = code(member), code(org)
    last = parsed(parse_date, on)
    ended = db.write(lambda: terms.end_member(db, member_code, org_code, last))
    plural = "s" if ended != 1 else ""
    done(f"{member_code}'s membership{plural} of {org_code} end{'' if plural else 's'} on {last}.")
