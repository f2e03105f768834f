"""`oastrack tally`: does this text have the votes?"""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack.cli.common import FormatOption, code, fmt, maybe_time, open_database, parsed
from oastrack.cli.completion import AsOfOption, ResolutionArgument
from oastrack.core.positions import Position, parse_position
from oastrack.errors import InvalidInput


def _assumption(raw: str) -> tuple[str, Position]:
    member, sep, position = raw.partition("=")
    if not sep or not member.strip() or not position.strip():
        raise InvalidInput(f"--assume {raw!r}: write CODE=POSITION, e.g. --assume HTI=yes")
    return code(member), parsed(parse_position, position)


def tally(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    as_of: AsOfOption = None,
    assume: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CODE=POSITION",
            help="What if a member or bloc took this position? Repeatable; nothing is written.",
        ),
    ] = None,
    by_bloc: Annotated[bool, typer.Option("--by-bloc", help="Split the counts by bloc.")] = False,
    format: FormatOption = None,
) -> None:
    """The vote count and the verdict: passes, fails or open, and how many votes are missing.

    Before the vote the verdict is [green]passes[/] when the firm yes votes carry the text
    whatever the rest do, [red]fails[/] when it cannot pass even if every member still in play
    votes yes, and [yellow]open[/] otherwise. The projected verdict counts leans as their side.
    Official votes, once recorded, decide.
    """
    db = open_database(ctx)
    assumptions = [_assumption(a) for a in assume or []]
    from oastrack.store import tallies

    report = db.read(
        lambda: tallies.tally_resolution(
            db, code(resolution), as_of=maybe_time(as_of), assume=assumptions, by_bloc=by_bloc
        )
    )
    from oastrack.render import tally as shown

    shown.show(report, fmt(format))


def register(app: typer.Typer) -> None:
    app.command()(tally)
