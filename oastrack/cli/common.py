"""What every command shares: the global state, opening the database, formats, messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from oastrack.cli.plain import (
    State,
    code,
    default_analyst,
    default_database_path,
    done,
    fmt,
    maybe_date,
    maybe_time,
    note,
    open_store,
    parsed,
    past_time,
    target_of,
)
from oastrack.render import Format, write
from oastrack.store.db import Database, Target

if TYPE_CHECKING:
    from oastrack.io.outfile import OutFile

__all__ = [
    "Database",
    "ForceOption",
    "FormatOption",
    "LimitOption",
    "State",
    "Target",
    "analyst",
    "code",
    "default_analyst",
    "default_database_path",
    "done",
    "fmt",
    "maybe_date",
    "maybe_time",
    "note",
    "open_database",
    "output_file",
    "parsed",
    "past_time",
    "state",
    "target",
    "write_svg",
]


def state(ctx: typer.Context) -> State:
    found = ctx.find_root().obj
    if not isinstance(found, State):  # a sub-app invoked on its own, as in some tests
        found = State(None, None)
        ctx.find_root().obj = found
    return found


def analyst(ctx: typer.Context) -> str:
    return state(ctx).analyst or default_analyst()


def target(ctx: typer.Context) -> tuple[Target, bool]:
    """The database target, and whether it is the default location."""
    return target_of(state(ctx))


def output_file(ctx: typer.Context, path: str, *, force: bool) -> OutFile:
    """An output file the user named, checked before the database is opened: never the
    database or its companions, never through a symbolic link without --force."""
    from oastrack.io import outfile

    where, _ = target(ctx)
    return outfile.plan(path, protected=outfile.database_files(where.path), force=force)


def write_svg(planned: OutFile | None, picture: str) -> None:
    """An SVG picture to standard output (`--svg -`), or into the file planned (`output_file`),
    whole or not at all."""
    if planned is None:
        write(picture)
        return
    from oastrack.io.outfile import open_text

    with open_text(planned) as handle:
        handle.write(picture)


def open_database(ctx: typer.Context, *, check: bool = True) -> Database:
    """Open the database for a command, closed when the command ends (see plain.open_store:
    the default file is created and seeded on first use, a named one must be at the schema)."""
    db = open_store(state(ctx), check=check)
    ctx.call_on_close(db.close)
    return db


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (for people), json, csv or markdown.",
        case_sensitive=False,
        show_default=False,
    ),
]


LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="N",
        min=1,
        help="At most N rows: the first N in the listing's order.",
        show_default=False,
    ),
]


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Write through a symbolic link to the file it points to (refused without it). "
        "The database itself is never written.",
    ),
]
