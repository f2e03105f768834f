"""`oastrack chart`: the vote as a picture, in the terminal or as an SVG file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from oastrack.cli.common import (
    ForceOption,
    FormatOption,
    code,
    done,
    fmt,
    open_database,
    output_file,
    write_svg,
)
from oastrack.cli.completion import ResolutionArgument
from oastrack.render import Format, rows
from oastrack.store.db import Database

if TYPE_CHECKING:
    from oastrack.io.outfile import OutFile


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
    timeline: Annotated[
        bool,
        typer.Option(
            "--timeline",
            help="The count over time instead: yes, projected yes and the required line, "
            "after every moment a member moved.",
        ),
    ] = False,
    format: FormatOption = None,
    force: ForceOption = False,
) -> None:
    """The vote as a picture: a hemicycle of the eligible members, coloured by position.

    Seats run left to right by position (yes, lean-yes, undecided, lean-no, no, abstain,
    absent, unknown), then by bloc (each member under the largest bloc it belongs to at the
    meeting's date), then by code. --format json gives every seat with its coordinates.

    With --timeline, the negotiation as a step chart: each step is a moment at which members
    moved (hover over it in the SVG to see who), --format json gives the steps.
    """
    planned = None if svg in (None, "-") else output_file(ctx, svg, force=force)
    db = open_database(ctx)
    if timeline:
        _timeline(db, code(resolution), svg, planned, fmt(format))
        return
    from oastrack.core.hemicycle import hemicycle
    from oastrack.render.analysis import write_json
    from oastrack.render.chart import chart_terminal, seats, svg_text
    from oastrack.store import analysis

    report = db.read(lambda: analysis.chart_resolution(db, code(resolution)))
    geometry = hemicycle(len(report.members))
    if svg is not None:
        write_svg(planned, svg_text(report, geometry))
        if planned is not None:
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


def _timeline(
    db: Database, resolution: str, svg: str | None, planned: OutFile | None, chosen: Format
) -> None:
    from oastrack.render.analysis import write_json
    from oastrack.render.timeline import steps_document, svg_timeline, timeline_terminal
    from oastrack.store import analysis

    report = db.read(lambda: analysis.timeline_resolution(db, resolution))
    if svg is not None:
        write_svg(planned, svg_timeline(report))
        if planned is not None:
            done(f"Wrote {svg}: {len(report.steps):,} moments of {report.resolution.code}.")
    elif chosen is Format.JSON:
        write_json(steps_document(report))
    elif chosen in (Format.CSV, Format.MARKDOWN):
        document = steps_document(report)
        flat = [
            {**{k: v for k, v in step.items() if k != "moves"}, "moves": _moves(step["moves"])}
            for step in document["steps"]
        ]
        rows(flat, chosen)
    else:
        timeline_terminal(report)


def _moves(moves: list[dict[str, str]]) -> str:
    return "; ".join(f"{m['member']} {m['from']}->{m['to']}" for m in moves)


def register(app: typer.Typer) -> None:
    app.command()(chart)
