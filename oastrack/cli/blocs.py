"""`oastrack bloc list|add|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack import render
from oastrack.cli.common import FormatOption, code, done, fmt, maybe_date, open_database
from oastrack.store import registry

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
    format: FormatOption = None,
) -> None:
    """List blocs with their members."""
    db = open_database(ctx)
    rows = db.read(lambda: registry.list_blocs(db, on=maybe_date(at)))
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
    found = db.read(lambda: registry.show_bloc(db, code(bloc)))
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
    message = db.write(
        lambda: registry.add_bloc(
            db, code(bloc), name, codes, maybe_date(start), maybe_date(end), note
        )
    )
    done(message + ".")
