"""`oastrack vote` and `oastrack history`: log positions, and read them back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from oastrack import render
from oastrack.cli.common import (
    FormatOption,
    analyst,
    code,
    done,
    fmt,
    note,
    open_database,
    parsed,
    past_time,
)
from oastrack.cli.completion import ResolutionArgument, complete_member_or_bloc, member_argument
from oastrack.core.positions import Kind, Position, parse_position
from oastrack.core.values import parse_confidence
from oastrack.store import positions

POSITIONS_TEXT = ", ".join(p.value for p in Position)


def vote(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    position: Annotated[str, typer.Argument(metavar="POSITION", help=f"One of: {POSITIONS_TEXT}.")],
    members: Annotated[
        list[str],
        typer.Argument(
            metavar="CODE...",
            help="Members or blocs (a bloc stands for its members on the meeting's date).",
            autocompletion=complete_member_or_bloc,
        ),
    ],
    official: Annotated[
        bool, typer.Option("--official", help="The recorded vote, not a projection.")
    ] = False,
    confidence: Annotated[
        str | None, typer.Option(metavar="X", help="How sure you are, 0-1 (or 80%).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Where this comes from.")] = None,
    note_: Annotated[str | None, typer.Option("--note", help="A note.")] = None,
    at: Annotated[
        str | None,
        typer.Option(metavar="TIME", help="When the position was taken (UTC). Default: now."),
    ] = None,
) -> None:
    """Log a position for one or more members. Earlier positions are kept as history.

    Example: oastrack vote MOC29-COMPROMISE lean-yes HTI DOM --source "delegation call"
    """
    db = open_database(ctx)
    stance = parsed(parse_position, position)
    level = parsed(parse_confidence, confidence) if confidence is not None else None
    now = datetime.now(UTC).replace(tzinfo=None)
    when = past_time(at, now) or now
    codes = [code(m) for m in members]
    logged = db.write(
        lambda: positions.log_positions(
            db,
            code(resolution),
            stance,
            codes,
            kind=Kind.OFFICIAL if official else Kind.PROJECTION,
            recorded_at=when,
            analyst=analyst(ctx),
            confidence=level,
            source=source or None,
            note=note_ or None,
        )
    )
    if logged.skipped:
        note(f"Skipped (not eligible at this meeting): {' '.join(logged.skipped)}.")
    if logged.added:
        done(
            f"Logged {logged.position} ({logged.kind}) on {logged.resolution} for "
            f"{len(logged.added)} member{'s' if len(logged.added) != 1 else ''}: "
            f"{' '.join(logged.added)}."
        )
    if logged.already:
        note(f"Already recorded, nothing added: {' '.join(logged.already)}.")


def history(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    member: Annotated[str | None, member_argument("Only this member.")] = None,
    format: FormatOption = None,
) -> None:
    """Every logged position on a resolution, oldest first, with analyst, source and time."""
    db = open_database(ctx)
    rows = db.read(
        lambda: positions.history(db, code(resolution), code(member) if member else None)
    )
    render.rows(
        rows,
        fmt(format),
        [
            ("recorded_at", "Time (UTC)"),
            ("member", "Member"),
            ("position", "Position"),
            ("kind", "Kind"),
            ("confidence", "Conf."),
            ("analyst", "Analyst"),
            ("source", "Source"),
            ("note", "Note"),
        ],
        title=f"History of {code(resolution)}",
        empty="No positions logged.",
    )


def register(app: typer.Typer) -> None:
    app.command()(vote)
    app.command()(history)
