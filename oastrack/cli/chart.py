"""`oastrack chart`: the vote as a picture, in the terminal or as an SVG file."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from oastrack.cli.common import FormatOption, code, done, fmt, open_database
from oastrack.cli.completion import ResolutionArgument
from oastrack.errors import InvalidInput
from oastrack.render import Format, rows


def chart(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    svg: Annotated[
        str | None,
        typer.Option(
            "--svg",
            metavar="FILE",
            help="Write the chart as an SVG picture to FILE (- for standard output).",
        ),
    ] = None,
    format: FormatOption = None,
) -> None:
    """The vote as a picture: a hemicycle of the eligible members, coloured by position.

    Seats run left to right by position (yes, lean-yes, undecided, lean-no, no, abstain,
    absent, unknown), then by bloc (each member under the largest bloc it belongs to at the
    meeting's date), then by code. --format json gives every seat with its coordinates.
    """
    db = open_database(ctx)
    from oastrack.core.hemicycle import hemicycle
    from oastrack.render.analysis import write_json
    from oastrack.render.chart import chart_terminal, seats, svg_text
    from oastrack.store import analysis

    report = db.read(lambda: analysis.chart_resolution(db, code(resolution)))
    geometry = hemicycle(len(report.members))
    if svg is not None:
        picture = svg_text(report, geometry)
        if svg == "-":
            sys.stdout.write(picture)
            return
        try:
            with open(svg, "w", encoding="utf-8") as handle:
                handle.write(picture)
        except OSError as error:
            raise InvalidInput(f"cannot write {svg}: {error.strerror or error}") from None
        done(f"Wrote {svg}: {len(report.members):,} seats of {report.resolution.code}.")
        return
    chosen = fmt(format)
    if chosen is Format.JSON:
        write_json(
            {
                "resolution": report.resolution.code,
                "official": report.official,
                "counts": report.counts,
                "seats": seats(report, geometry),
            }
        )
    elif chosen in (Format.CSV, Format.MARKDOWN):
        rows(seats(report, geometry), chosen)
    else:
        chart_terminal(report, geometry)


def register(app: typer.Typer) -> None:
    app.command()(chart)
