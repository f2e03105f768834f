"""`oastrack forecast|swing|compare`: the analyst's questions about one or two drafts."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack.cli.common import FormatOption, code, fmt, maybe_time, open_database
from oastrack.cli.completion import AsOfOption, ResolutionArgument, complete_resolution


def forecast(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    as_of: AsOfOption = None,
    format: FormatOption = None,
) -> None:
    """The chance that the text passes, computed exactly, and the expected yes count.

    Each eligible member votes yes with a chance set by its current position and the
    confidence of its latest record: yes and lean-yes take the confidence (default 1 and 0.75),
    undecided and unknown 0.5, lean-no 1 - confidence (default 0.25), no, abstain and absent
    1 - confidence (default 0). Members decide independently; the answer is exact, not sampled.
    Once official votes are recorded they decide: the chance is 0 or 1.
    """
    db = open_database(ctx)
    from oastrack.store import analysis

    when = maybe_time(as_of)
    report = db.read(lambda: analysis.forecast_resolution(db, code(resolution), as_of=when))
    from oastrack.render.analysis import show_forecast

    show_forecast(report, fmt(format))


def swing(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    by_bloc: Annotated[
        bool,
        typer.Option(
            "--bloc",
            help="Also the smallest combinations of up to 3 blocs whose members, all moving "
            "to yes, would carry the text.",
        ),
    ] = False,
    as_of: AsOfOption = None,
    format: FormatOption = None,
) -> None:
    """The fewest members whose move to yes would carry the text, likeliest first.

    Likeliest to move: lean-yes, undecided, unknown, abstain, absent, lean-no, no. Also the
    pivotal members: those whose move alone would change the outcome.
    """
    db = open_database(ctx)
    from oastrack.store import analysis

    when = maybe_time(as_of)
    report = db.read(
        lambda: analysis.swing_resolution(db, code(resolution), by_bloc=by_bloc, as_of=when)
    )
    from oastrack.render.analysis import show_swing

    show_swing(report, fmt(format))


def compare(
    ctx: typer.Context,
    left: ResolutionArgument,
    right: Annotated[
        str,
        typer.Argument(
            metavar="RES",
            help="The resolution to compare it with.",
            autocompletion=complete_resolution,
        ),
    ],
    format: FormatOption = None,
) -> None:
    """Two drafts side by side: counts, verdicts, and the members whose stances differ.

    A member not eligible at one of the two meetings shows as blank there.
    """
    db = open_database(ctx)
    from oastrack.store import analysis

    comparison = db.read(lambda: analysis.compare_resolutions(db, code(left), code(right)))
    from oastrack.render.analysis import show_compare

    show_compare(comparison, fmt(format))


def register(app: typer.Typer) -> None:
    app.command()(forecast)
    app.command()(swing)
    app.command()(compare)
