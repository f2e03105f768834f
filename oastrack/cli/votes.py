"""`oastrack vote` and `oastrack history`: log positions, and read them back."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from oastrack import render
from oastrack.cli import actions
from oastrack.cli.common import (
    FormatOption,
    LimitOption,
    analyst,
    code,
    done,
    fmt,
    maybe_time,
    open_database,
)
from oastrack.cli.completion import (
    ResolutionArgument,
    complete_member_or_bloc,
    member_argument,
)
from oastrack.core.positions import Kind, Position
from oastrack.core.values import show_time
from oastrack.errors import InvalidInput
from oastrack.render import Format
from oastrack.store import records, retractions
from oastrack.store.positions import now_utc

CodesArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="CODE...",
        help="Members or blocs (a bloc stands for its members on the meeting's date).",
        autocompletion=complete_member_or_bloc,
    ),
]
POSITIONS_TEXT = ", ".join(p.value for p in Position)


def vote(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    position: Annotated[str, typer.Argument(metavar="POSITION", help=f"One of: {POSITIONS_TEXT}.")],
    members: CodesArgument,
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
    actions.vote(
        db,
        resolution,
        position,
        members,
        analyst=analyst(ctx),
        official=official,
        confidence=confidence,
        source=source,
        note_=note_,
        at=at,
    )


def retract(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    members: CodesArgument,
    note_: Annotated[str | None, typer.Option("--note", help="Why: kept with the retraction.")] = (
        None
    ),
) -> None:
    """Take back each member's latest record on a resolution: a mistake, undone.

    The record stays in the history, marked retracted, with who retracted it and when; the
    tally, forecast, swing and exports then use the record before it (or unknown). The latest
    record is the one with the latest time, official or projection. Run it again to take back
    the one before.

    Example: oastrack retract MOC29-COMPROMISE ATG --note "logged as official by mistake"
    """
    db = open_database(ctx)
    codes = [code(m) for m in members]
    result = db.write(
        lambda: retractions.retract(
            db,
            code(resolution),
            codes,
            analyst=analyst(ctx),
            at=now_utc().replace(microsecond=0),
            note=note_ or None,
        )
    )
    for record in result.records:
        after = result.now[record.member]
        now = (
            "it now has no record (unknown)"
            if after is None
            else f"it is now {after.position} ({after.kind}, {show_time(after.recorded_at)})"
        )
        done(
            f"Retracted {record.member}'s {record.position} ({record.kind}, "
            f"{show_time(record.recorded_at)}) on {result.resolution}; {now}."
        )


KINDS_TEXT = ", ".join([*(k.value for k in Kind), "retraction"])


def history(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    member: Annotated[str | None, member_argument("Only this member.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Only entries of this kind: {KINDS_TEXT}.")
    ] = None,
    analyst_: Annotated[
        str | None, typer.Option("--analyst", help="Only entries by this analyst.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="TIME", help="Only entries from this date or time (UTC) on."),
    ] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """Every logged position on a resolution, oldest first, with analyst, source and time.

    A retracted record is marked so, and its retraction is an entry of its own (kind
    retraction), at the time it was made, by whoever made it.
    """
    db = open_database(ctx)
    if kind is not None and kind not in KINDS_TEXT.split(", "):
        raise InvalidInput(f"unknown kind {kind!r}; use one of: {KINDS_TEXT}")
    floor = maybe_time(since)
    rows = db.read(
        lambda: records.history(
            db,
            code(resolution),
            code(member) if member else None,
            kind=kind,
            analyst=analyst_,
            since=floor,
            limit=limit,
        )
    )
    chosen = fmt(format)
    columns = [
        ("recorded_at", "Time (UTC)"),
        ("member", "Member"),
        ("position", "Position"),
        ("kind", "Kind"),
        ("confidence", "Conf."),
        ("analyst", "Analyst"),
        ("source", "Source"),
        ("note", "Note"),
    ]
    if chosen is Format.TABLE:  # for people: the retractions said in words, no empty columns
        rows = [_shown(row) for row in rows]
        optional = ("confidence", "source", "note")
        columns = [
            (key, header)
            for key, header in columns
            if key not in optional or any(row[key] is not None for row in rows)
        ]
    render.rows(
        rows,
        chosen,
        columns,
        title=f"History of {code(resolution)}",
        empty="No positions logged.",
        spare=("confidence", "analyst", "source"),
    )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A history entry as the table shows it: a retracted record and a retraction say so."""
    if row["retracted_at"] is not None:
        return {**row, "kind": f"{row['kind']}, retracted"}
    if row["retracts"] is not None:
        why = f": {row['note']}" if row["note"] else ""
        return {**row, "note": f"retracts {row['retracts']}{why}"}
    return row


def register(app: typer.Typer) -> None:
    app.command()(vote)
    app.command()(retract)
    app.command()(history)
