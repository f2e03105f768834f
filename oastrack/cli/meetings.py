"""`oastrack meeting list|add|show`."""

from __future__ import annotations

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
from oastrack.cli.messages import added_meeting
from oastrack.core.rules import rule_spec
from oastrack.core.values import parse_date
from oastrack.store import meetings, resolutions

app = typer.Typer(help="Meetings: sessions of a body of an organization.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option(help="Only meetings of this organization.")] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List meetings, oldest first."""
    db = open_database(ctx)
    chosen = code(org) if org else None
    rows = db.read(lambda: meetings.list_meetings(db, org=chosen, limit=limit))
    render.rows(
        rows,
        fmt(format),
        [
            ("code", "Code"),
            ("org", "Org"),
            ("title", "Title"),
            ("start", "Start"),
            ("end", "End"),
            ("venue", "Venue"),
            ("rule", "Rule"),
            ("resolutions", "Resolutions"),
        ],
        spare=("venue", "rule", "end"),
        title="Meetings",
        empty="No meetings.",
    )


@app.command()
def show(
    ctx: typer.Context,
    meeting: Annotated[str, typer.Argument(metavar="CODE", help="The meeting's code.")],
    format: FormatOption = None,
) -> None:
    """Show a meeting and its resolutions."""
    db = open_database(ctx)
    found = db.read(lambda: resolutions.show_meeting(db, code(meeting)))
    render.obj(found, fmt(format), title=f"{found['code']} — {found['title'] or ''}")


@app.command()
def add(
    ctx: typer.Context,
    meeting: Annotated[str, typer.Argument(metavar="CODE", help="The meeting's code.")],
    org: Annotated[str, typer.Option(help="The organization (created if new).")],
    start: Annotated[str, typer.Option(metavar="DATE", help="First day: decides who may vote.")],
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last day.")] = None,
    body: Annotated[str | None, typer.Option(help="The body, e.g. General Assembly.")] = None,
    title: Annotated[str | None, typer.Option(help="The meeting's title.")] = None,
    venue: Annotated[str | None, typer.Option(help="Where it meets.")] = None,
    rule: Annotated[
        str | None,
        typer.Option(help="Default decision rule of its resolutions. Default: the organization's."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
) -> None:
    """Add a meeting.

    Example: oastrack meeting add GA-54 --org OAS --start 2024-06-26 --venue Asunción
    """
    db = open_database(ctx)
    new = meetings.NewMeeting(
        code=code(meeting),
        org=code(org),
        start=parsed(parse_date, start),
        end=maybe_date(end),
        body=body,
        title=title,
        venue=venue,
        rule=parsed(rule_spec, rule) if rule else None,
        note=note,
    )
    done(added_meeting(db.write(lambda: meetings.add_meeting(db, new))))
