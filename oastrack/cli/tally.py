"""`oastrack tally`: does this text have the votes?"""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack.cli import actions
from oastrack.cli.common import FormatOption, open_database
from oastrack.cli.completion import AsOfOption, ResolutionArgument


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
    actions.tally(db, resolution, as_of=as_of, assume=assume or [], by_bloc=by_bloc, format=format)


def register(app: typer.Typer) -> None:
    app.command()(tally)
