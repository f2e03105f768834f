"""`oastrack bloc list|add|show|leave`."""

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
from oastrack.cli.completion import BlocArgument, MemberArgument, SinceOption
from oastrack.cli.messages import added_bloc
from oastrack.core.values import parse_date
from oastrack.store import blocs, terms

app = typer.Typer(
    help="Blocs: named groups of members, with dated membership.", no_args_is_help=True
)


@app.command("list")
def list_(
    ctx: typer.Context,
    at: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Members on this date. Default: all who ever belonged."),
    ] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List blocs with their members, by code."""
    db = open_database(ctx)
    rows = db.read(lambda: blocs.list_blocs(db, on=maybe_date(at), limit=limit))
    render.rows(
        rows,
        fmt(format),
        [("code", "Code"), ("name", "Name"), ("size", "Size"), ("members", "Members")],
        title="Blocs",
        empty="No blocs.",
    )


@app.command()
def show(
    ctx: typer.Context,
    bloc: Annotated[str, typer.Argument(metavar="CODE", help="The bloc's code, e.g. CARICOM.")],
    format: FormatOption = None,
) -> None:
    """Show a bloc and its members with their dates."""
    db = open_database(ctx)
    found = db.read(lambda: blocs.show_bloc(db, code(bloc)))
    render.obj(found, fmt(format), title=f"{found['code']} — {found['name']}")


@app.command()
def add(
    ctx: typer.Context,
    bloc: Annotated[str, typer.Argument(metavar="CODE", help="The bloc's code.")],
    name: Annotated[str | None, typer.Option(help="The bloc's name (for a new bloc).")] = None,
    member: Annotated[
        list[str] | None, typer.Option("--member", "-m", help="A member to add (repeat).")
    ] = None,
    start: Annotated[
        str | None, typer.Option(metavar="DATE", help="When these members joined.")
    ] = None,
    end: Annotated[
        str | None, typer.Option(metavar="DATE", help="Their last day in the bloc.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note on the bloc.")] = None,
) -> None:
    """Create a bloc, or add members to an existing one.

    Example: oastrack bloc add MERCOSUR --name "Southern Common Market" -m ARG -m BRA -m PRY -m URY
    """
    db = open_database(ctx)
    codes = [code(m) for m in member or []]
    found = db.write(
        lambda: blocs.add_bloc(
            db, code(bloc), name, codes, maybe_date(start), maybe_date(end), note
        )
    )
    done(added_bloc(found))


@app.command()
def cohesion(
    ctx: typer.Context,
    bloc: BlocArgument,
    since: SinceOption = None,
    format: FormatOption = None,
) -> None:
    """How often a bloc votes together: its Agreement Index across official votes.

    For each roll call, the votes (yes, no, abstain) of the members in the bloc on the
    meeting's date give AI = (largest - (total - largest) / 2) / total: 1 when all vote alike,
    0 when evenly split three ways. The index is its mean over the roll calls in which at least
    two members of the bloc voted.
    """
    from oastrack.store import alignment

    db = open_database(ctx)
    day = maybe_date(since)
    found = db.read(lambda: alignment.bloc_cohesion(db, code(bloc), day))
    index = found.cohesion.index
    document = {
        "bloc": found.bloc,
        "name": found.name,
        "index": None if index is None else float(index),
        "roll_calls": found.cohesion.roll_calls,
        "since": day.isoformat() if day else None,
    }
    chosen = fmt(format)
    render.obj(document, chosen, title=f"Cohesion of {found.bloc} — {found.name}")
    if index is None and chosen is render.Format.TABLE:
        from oastrack.cli.common import note

        note(f"No official vote in which two members of {found.bloc} voted (as members then).")


@app.command()
def leave(
    ctx: typer.Context,
    bloc: BlocArgument,
    member: MemberArgument,
    on: Annotated[str, typer.Option(metavar="DATE", help="The last day it is in the bloc.")],
) -> None:
    """End a member's membership of a bloc on its last day.

    Up to that day the bloc stands for it as before (vote BLOC, --by-bloc, the chart); after
    it, no longer.

    Example: oastrack bloc leave ALBA ECU --on 2018-08-23
    """
    db = open_database(ctx)
    bloc_code, member_code = code(bloc), code(member)
    last = parsed(parse_date, on)
    db.write(lambda: terms.leave_bloc(db, bloc_code, member_code, last))
    done(f"{member_code} leaves {bloc_code} on {last}: its last day in the bloc.")
