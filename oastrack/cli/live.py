"""`oastrack live RES`: the day of the vote in one screen."""

from __future__ import annotations

import typer

from oastrack.cli.common import analyst, code, open_database, target
from oastrack.cli.completion import ResolutionArgument
from oastrack.errors import InvalidInput
from oastrack.store import resolutions


def live(ctx: typer.Context, resolution: ResolutionArgument) -> None:
    """The day of the vote in one screen: every member as a seat, the count always in view.

    Type at the bottom: ATG yes · CARICOM lean-yes 0.7 delegation call · official ATG yes ·
    undo (retracts the last records this board wrote) · assume VEN=yes (what if, written
    nowhere) · assume clear · help · q. Each command is one transaction, as oastrack vote.
    Records that other analysts write into the same database appear within two seconds.
    Tab or the right arrow takes the completion shown; Ctrl-C or q quits.
    """
    import sys

    db = open_database(ctx)
    res = code(resolution)
    db.read(lambda: resolutions.get(db, res))  # an unknown code is one line, before the screen
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(
            "oastrack live needs a terminal", hint=f"for a script: oastrack tally {res}"
        )
    from oastrack.live.app import LiveBoard

    where, _ = target(ctx)
    LiveBoard(where, res, analyst(ctx)).run()


def register(app: typer.Typer) -> None:
    app.command()(live)
