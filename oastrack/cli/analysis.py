"""`oastrack forecast|swing|compare|align|chart`: the analyst's questions, and the shell
completion of resolution, member and bloc codes that every command taking a code shares."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oastrack import render
from oastrack.cli.common import FormatOption, code, fmt, maybe_date, open_database
from oastrack.core.positions import COUNT_KEYS
from oastrack.errors import InvalidInput
from oastrack.render import Format, escape

if TYPE_CHECKING:
    from rich.console import Console

    from oastrack.core.hemicycle import Hemicycle
    from oastrack.core.reports import (
        ChartReport,
        Comparison,
        ForecastReport,
        SwingReport,
        TextDiff,
    )


# -- shell completion -------------------------------------------------------------------------


def _codes(ctx: typer.Context, incomplete: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """Codes starting with what was typed, read with one query from the database the command
    line names (--db, OASTRACK_DB, else the default file). Never fails, never creates a file."""
    try:
        from oastrack.cli.common import default_database_path
        from oastrack.store.analysis import codes
        from oastrack.store.db import Database, parse_target

        given = ctx.find_root().params.get("db") or os.environ.get("OASTRACK_DB")
        db = Database.open(parse_target(given or default_database_path()), create=False)
        try:
            found = db.read(lambda: codes(db, kinds))
        finally:
            db.close()
        # Codes are stored in capitals; shells (and Typer) match the typed prefix as it is.
        return [
            (found_code, name) for found_code, name in found if found_code.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the user's shell
        return []


def complete_resolution(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Resolution codes, for shell completion."""
    return _codes(ctx, incomplete, ("resolution",))


def complete_member(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Member codes, for shell completion."""
    return _codes(ctx, incomplete, ("member",))


def complete_bloc(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Bloc codes, for shell completion."""
    return _codes(ctx, incomplete, ("bloc",))


def complete_member_or_bloc(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Member and bloc codes, for shell completion."""
    return _codes(ctx, incomplete, ("member", "bloc"))


ResolutionArgument = Annotated[
    str,
    typer.Argument(
        metavar="RES", help="The resolution's code.", autocompletion=complete_resolution
    ),
]


# -- shared -----------------------------------------------------------------------------------

# Colours of the positions, in the terminal and in the SVG.
COLOURS: dict[str, str] = {
    "yes": "#2e7d32",
    "lean-yes": "#81c784",
    "undecided": "#f9a825",
    "lean-no": "#ff8a65",
    "no": "#c62828",
    "abstain": "#1565c0",
    "absent": "#757575",
    "unknown": "#bdbdbd",
}


def percent(value: Fraction) -> str:
    """A chance for people: `68.75%`; never rounded to a certainty it is not."""
    if value in (0, 1):
        return f"{int(value * 100)}%"
    shown = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    if shown == "0":
        return "<0.01%"
    if shown == "100":
        return ">99.99%"
    return f"{shown}%"


def number(value: Fraction) -> str:
    """An expected count for people: `16.5`, `20`."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _write_json(document: Any) -> None:
    sys.stdout.write(render.to_json(document) + "\n")


def _context_line(out: Console, report_code: str, title: str, context: Sequence[str]) -> None:
    out.print(f"[bold]{escape(report_code)}[/] — {escape(title)}")
    out.print(escape(" · ".join(context)), style="dim")


# -- forecast ---------------------------------------------------------------------------------

# Show the exact fraction beside the percentage when its denominator is at most this.
SMALL_DENOMINATOR = 1000


def forecast_document(report: ForecastReport) -> dict[str, Any]:
    """`forecast --format json`: the contract's keys, stable for scripts."""
    outlook, res = report.forecast, report.resolution
    return {
        "resolution": res.code,
        "title": res.title,
        "rule": res.rule.name.value,
        "eligible": report.result.eligible,
        "required": report.result.required,
        "official": report.official,
        "probability": float(outlook.probability),
        "probability_exact": str(outlook.probability),
        "expected_yes": float(outlook.expected_yes),
        "expected_no": float(outlook.expected_no),
        "members": [
            {
                "code": m.code,
                "name": m.name,
                "position": m.position,
                "confidence": m.confidence,
                "yes_chance": float(m.yes),
            }
            for m in report.members
        ],
    }


def forecast(
    ctx: typer.Context,
    resolution: ResolutionArgument,
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

    report = db.read(lambda: analysis.forecast_resolution(db, code(resolution)))
    document = forecast_document(report)
    chosen = fmt(format)
    summary_keys = [k for k in document if k not in ("title", "members")]
    if chosen is Format.JSON:
        _write_json(document)
    elif chosen is Format.CSV:
        sys.stdout.write(render.csv_text([document], summary_keys))
    elif chosen is Format.MARKDOWN:
        summary = [{"field": k, "value": document[k]} for k in summary_keys]
        sys.stdout.write(render.markdown_text(summary, ["field", "value"], ["field", "value"]))
        sys.stdout.write("\n")
        keys = ["code", "name", "position", "confidence", "yes_chance"]
        sys.stdout.write(render.markdown_text(document["members"], keys, keys))
    else:
        _forecast_table(report)


def _forecast_table(report: ForecastReport) -> None:
    out = render.console()
    res, outlook, result = report.resolution, report.forecast, report.result
    _context_line(
        out,
        res.code,
        res.title,
        [
            f"rule {res.rule.describe(result.eligible)}",
            f"{result.eligible} eligible",
            "official vote" if report.official else "projections",
        ],
    )
    probability = outlook.probability
    exact = ""
    if 0 < probability < 1 and probability.denominator <= SMALL_DENOMINATOR:
        exact = f" ({probability})"
    style = "bold green" if probability >= Fraction(1, 2) else "bold red"
    line = f"Chance of passing [{style}]{percent(probability)}[/]{exact}"
    if report.official:
        line += " — decided by the official vote"
    out.print(line)
    out.print(
        f"Expected yes [bold]{number(outlook.expected_yes)}[/] of {result.required} required"
        f" · expected no {number(outlook.expected_no)}"
    )
    in_doubt = sorted((m for m in report.members if 0 < m.yes < 1), key=lambda m: (-m.yes, m.code))
    if in_doubt:
        from rich import box
        from rich.table import Table

        table = Table(
            title="Members in doubt", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
        )
        table.add_column("Member")
        table.add_column("Name")
        table.add_column("Position")
        table.add_column("Conf.", justify="right")
        table.add_column("Yes chance", justify="right")
        for m in in_doubt:
            table.add_row(
                escape(m.code),
                escape(m.name),
                escape(m.position),
                escape(m.confidence),
                percent(m.yes),
            )
        out.print()
        out.print(table)


# -- swing ------------------------------------------------------------------------------------


def swing_document(report: SwingReport) -> dict[str, Any]:
    """`swing --format json`: the contract's keys, stable for scripts."""
    found, res = report.swing, report.resolution
    document: dict[str, Any] = {
        "resolution": res.code,
        "rule": res.rule.name.value,
        "eligible": report.result.eligible,
        "required": report.result.required,
        "official": report.official,
        "carried": found.carried,
        "possible": found.possible,
        "needed": found.needed,
        "members": list(found.members),
        "pivotal": list(found.pivotal),
    }
    if report.blocs is not None:
        document["blocs"] = [list(combination) for combination in report.blocs]
    return document


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
    format: FormatOption = None,
) -> None:
    """The fewest members whose move to yes would carry the text, likeliest first.

    Likeliest to move: lean-yes, undecided, unknown, abstain, absent, lean-no, no. Also the
    pivotal members: those whose move alone would change the outcome.
    """
    db = open_database(ctx)
    from oastrack.store import analysis

    report = db.read(lambda: analysis.swing_resolution(db, code(resolution), by_bloc=by_bloc))
    document = swing_document(report)
    chosen = fmt(format)
    if chosen is Format.JSON:
        _write_json(document)
        return
    rows = [
        {
            "code": member,
            "name": report.stances[member].name,
            "position": report.stances[member].position,
            "pivotal": member in report.swing.pivotal,
        }
        for member in report.swing.members
    ]
    if chosen in (Format.CSV, Format.MARKDOWN):
        columns = [("code", "code"), ("name", "name"), ("position", "position")]
        render.rows(rows, chosen, [*columns, ("pivotal", "pivotal")])
        return
    _swing_table(report, rows)


def _swing_table(report: SwingReport, rows: list[dict[str, Any]]) -> None:
    out = render.console()
    res, found, result = report.resolution, report.swing, report.result
    counted = "yes" if report.official else "yes with leans"
    yes = result.yes if report.official else result.projected_yes
    _context_line(
        out,
        res.code,
        res.title,
        [
            f"rule {res.rule.describe(result.eligible)}",
            f"{yes} {counted}",
            "official vote" if report.official else "projections",
        ],
    )

    def names(codes: Sequence[str]) -> str:
        return escape(", ".join(f"{c} ({report.stances[c].position})" for c in codes))

    if found.carried:
        out.print("[bold green]Carried[/] as counted: no member needs to move.")
        if found.pivotal:
            out.print(f"Pivotal — any one moving to no would sink it: {names(found.pivotal)}")
    elif not found.possible:
        out.print("[bold red]Cannot be carried[/], even if every member moved to yes.")
    else:
        plural = "s" if found.needed != 1 else ""
        out.print(f"Needs [bold]{found.needed}[/] more member{plural} to move to yes:")
        render.rows(rows, Format.TABLE, [("code", "Member"), ("name", "Name"), ("position", "Now")])
        if found.pivotal:
            out.print(f"Pivotal — any one alone would carry it: {names(found.pivotal)}")
    if report.blocs is not None:
        if report.blocs:
            combos = "; ".join(" + ".join(combination) for combination in report.blocs)
            out.print(f"Blocs that would carry it (all their members to yes): {escape(combos)}")
        elif not found.carried:
            out.print("No combination of up to 3 blocs would carry it.")


# -- compare ----------------------------------------------------------------------------------


def compare_document(comparison: Comparison) -> dict[str, Any]:
    """`compare --format json`: both tallies (as `tally --format json`) and the differences."""
    from oastrack.cli.tally import to_document

    return {
        "left": to_document(comparison.left),
        "right": to_document(comparison.right),
        "differences": [
            {"member": d.member, "name": d.name, "left": d.left, "right": d.right}
            for d in comparison.differences
        ],
    }


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
    document = compare_document(comparison)
    chosen = fmt(format)
    if chosen is Format.JSON:
        _write_json(document)
        return
    summary = _compare_rows(document)
    left_code, right_code = document["left"]["resolution"], document["right"]["resolution"]
    sides = [("field", "field"), ("left", left_code), ("right", right_code)]
    differences = [("member", "member"), ("name", "name"), ("left", "left"), ("right", "right")]
    if chosen is Format.CSV:
        render.rows(document["differences"], chosen, differences)
        return
    if chosen is Format.MARKDOWN:
        render.rows(summary, chosen, sides)
        sys.stdout.write("\n")
        render.rows(document["differences"], chosen, differences)
        return
    render.rows(summary, Format.TABLE, [("field", ""), *sides[1:]])
    if not document["differences"]:
        render.console().print("Every member's stance is the same on both.")
        return
    rows = [
        {**d, "left": d["left"] or "", "right": d["right"] or ""} for d in document["differences"]
    ]
    render.rows(
        rows,
        Format.TABLE,
        [("member", "Member"), ("name", "Name"), *sides[1:]],
        title=f"{len(rows)} member{'s' if len(rows) != 1 else ''} differ",
    )


def _compare_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    left, right = document["left"], document["right"]
    rows: list[dict[str, Any]] = [
        {"field": "title", "left": left["title"], "right": right["title"]}
    ]
    for key in ("rule", "eligible"):
        rows.append({"field": key, "left": left[key], "right": right[key]})
    for key in COUNT_KEYS:
        rows.append({"field": key, "left": left["counts"][key], "right": right["counts"][key]})
    for key in ("required", "short_by", "verdict", "projected"):
        rows.append({"field": key, "left": left[key], "right": right[key]})
    return rows


# -- align ------------------------------------------------------------------------------------


def align(
    ctx: typer.Context,
    member: Annotated[
        str,
        typer.Argument(metavar="CODE", help="A member's code.", autocompletion=complete_member),
    ],
    other: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE",
            help="Another member. Default: every member, most alike first.",
            show_default=False,
            autocompletion=complete_member,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only official votes at meetings from this date on."),
    ] = None,
    format: FormatOption = None,
) -> None:
    """How often members vote alike in official votes.

    Two roll calls are compared when both members voted yes, no or abstain (an absence says
    nothing about agreeing); `agreement` is the share of them on which they voted the same.
    With one member: its agreement with every other member, most alike first.
    """
    db = open_database(ctx)
    from oastrack.store import analysis

    first, day = code(member), maybe_date(since)
    if other is None:
        found = db.read(lambda: analysis.align_all(db, first, day))
    else:
        second = code(other)
        found = [db.read(lambda: analysis.align_pair(db, first, second, day))]
    records = [
        {
            "member": a.member,
            "other": a.other,
            "other_name": a.other_name,
            "agreed": a.agreed,
            "compared": a.compared,
            "agreement": None if a.share is None else float(a.share),
        }
        for a in found
    ]
    chosen = fmt(format)
    if chosen is not Format.TABLE:
        render.rows(records, chosen)
        return
    shown = [
        {**r, "agreement": "" if a.share is None else percent(a.share)}
        for r, a in zip(records, found, strict=True)
    ]
    render.rows(
        shown,
        Format.TABLE,
        [
            ("other", "Member"),
            ("other_name", "Name"),
            ("agreement", "Agreement"),
            ("agreed", "Agreed"),
            ("compared", "Compared"),
        ],
        title=f"Agreement with {first} in official votes"
        + (f" since {day.isoformat()}" if day else ""),
        empty=f"{first} shares no official vote with anyone"
        + (f" since {day.isoformat()}" if day else "")
        + ".",
    )


# -- chart ------------------------------------------------------------------------------------


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
        from oastrack.cli.common import done

        done(f"Wrote {svg}: {len(report.members)} seats of {report.resolution.code}.")
        return
    seats = [
        {
            "code": m.code,
            "name": m.name,
            "position": m.position,
            "bloc": m.bloc,
            "x": round(seat.x, 4),
            "y": round(seat.y, 4),
        }
        for m, seat in zip(report.members, geometry.seats, strict=True)
    ]
    chosen = fmt(format)
    if chosen is Format.JSON:
        _write_json(
            {
                "resolution": report.resolution.code,
                "official": report.official,
                "counts": report.counts,
                "seats": seats,
            }
        )
    elif chosen in (Format.CSV, Format.MARKDOWN):
        render.rows(seats, chosen)
    else:
        _chart_terminal(report, geometry)


def _chart_terminal(report: ChartReport, geometry: Hemicycle) -> None:
    from rich.text import Text

    out = render.console()
    res = report.resolution
    _context_line(
        out,
        res.code,
        res.title,
        [
            f"{len(report.members)} eligible",
            "official vote" if report.official else "projections",
        ],
    )
    if not report.members:
        out.print("No eligible members.")
        return
    # A character cell is about twice as tall as it is wide: 5 columns and 2.5 lines per
    # spacing between seats draw clear arcs; narrower when the terminal is.
    across = min(5 / geometry.spacing, (out.width - 1) // 2)
    down = across / 2
    width = 2 * math.ceil(across) + 1
    height = math.ceil(down) + 1
    grid: list[list[tuple[str, str] | None]] = [[None] * width for _ in range(height)]
    for member, seat in zip(report.members, geometry.seats, strict=True):
        column = round((seat.x + 1) * (width - 1) / 2)
        line = height - 1 - round(seat.y * down)
        column = _free_cell(grid[line], column)
        glyph = "○" if member.position == "unknown" else "●"
        grid[line][column] = (glyph, COLOURS[member.position])
    for cells in grid:
        text = Text()
        for cell in cells:
            if cell is None:
                text.append(" ")
            else:
                text.append(cell[0], style=cell[1])
        text.rstrip()
        out.print(text)
    legend = Text()
    for key in COUNT_KEYS:
        count = report.counts[key]
        if count:
            if legend:
                legend.append("   ")
            legend.append("○" if key == "unknown" else "●", style=COLOURS[key])
            legend.append(f" {key} {count}")
    out.print()
    out.print(legend)
    for key in COUNT_KEYS:
        members = [m for m in report.members if m.position == key]
        if not members:
            continue
        blocs: dict[str, int] = {}
        for m in members:
            blocs[m.bloc or "no bloc"] = blocs.get(m.bloc or "no bloc", 0) + 1
        parts = ", ".join(f"{bloc} {count}" for bloc, count in blocs.items())
        out.print(f"  {escape(key)}: {escape(parts)}", style="dim")


def _free_cell(cells: list[Any], column: int) -> int:
    """The nearest free cell to `column` on a line (seats that round to one cell move aside)."""
    for offset in range(len(cells)):
        for candidate in (column + offset, column - offset):
            if 0 <= candidate < len(cells) and cells[candidate] is None:
                return candidate
    return column


def svg_text(report: ChartReport, geometry: Hemicycle) -> str:
    """The chart as an SVG document: one circle per member, with a title naming it."""
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    size = 400.0  # the outer radius, in pixels
    margin = 20.0
    width = 2 * (size + margin)
    top = 50.0
    centre_x, centre_y = size + margin, top + size
    seat_radius = min(geometry.spacing * size * 0.42, 14.0)
    res = report.resolution
    heading = f"{res.code} — {res.title}"
    present = [key for key in COUNT_KEYS if report.counts[key]]
    legend_top = centre_y + 2 * seat_radius + 20
    height = legend_top + 24 * len(present) + margin
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label={quoteattr(heading)}>',
        f"<title>{xml_escape(heading)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{margin:.0f}" y="30" font-family="sans-serif" font-size="18"'
        f' font-weight="bold">{xml_escape(heading)}</text>',
        '<g id="seats" stroke="#ffffff" stroke-width="1">',
    ]
    for member, seat in zip(report.members, geometry.seats, strict=True):
        label = f"{member.code} {member.name}: {member.position}"
        if member.bloc:
            label += f" ({member.bloc})"
        lines.append(
            f'<circle cx="{centre_x + seat.x * size:.1f}" cy="{centre_y - seat.y * size:.1f}"'
            f' r="{seat_radius:.1f}" fill="{COLOURS[member.position]}"'
            f' data-member={quoteattr(member.code)} data-position="{member.position}">'
            f"<title>{xml_escape(label)}</title></circle>"
        )
    lines.append("</g>")
    lines.append('<g id="legend" font-family="sans-serif" font-size="14">')
    for index, key in enumerate(present):
        y = legend_top + 24 * index
        lines.append(
            f'<rect x="{margin:.0f}" y="{y:.0f}" width="14" height="14" fill="{COLOURS[key]}"/>'
            f'<text x="{margin + 22:.0f}" y="{y + 12:.0f}">{key} {report.counts[key]}</text>'
        )
    lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# -- resolution diff --------------------------------------------------------------------------


def show_text_diff(found: TextDiff) -> None:
    """`resolution diff` for people: the new text with deletions struck and insertions marked."""
    from rich.text import Text

    from oastrack.core.textdiff import Op, changed
    from oastrack.core.values import show_time

    out = render.console()
    out.print(
        f"[bold]{escape(found.resolution)}[/]: version {found.old.version}"
        f" → version {found.new.version}"
    )
    for version in (found.old, found.new):
        line = f"  v{version.version}  {show_time(version.recorded_at)}  {version.analyst}"
        if version.note:
            line += f"  — {version.note}"
        out.print(escape(line), style="dim")
    out.print()
    coloured = out.is_terminal and out.color_system is not None
    text = Text()
    for chunk in found.chunks:
        if chunk.op is Op.EQUAL:
            text.append(chunk.text)
            continue
        # Spaces around the words stay outside the marks.
        body = chunk.text.strip()
        start = chunk.text.index(body[0])
        text.append(chunk.text[:start])
        if chunk.op is Op.DELETE:
            text.append(body if coloured else f"[-{body}-]", style="red strike")
        else:
            text.append(body if coloured else f"{{+{body}+}}", style="green")
        text.append(chunk.text[start + len(body) :])
    text.rstrip()
    out.print(text)
    deleted, inserted = changed(found.chunks)
    out.print()
    if deleted or inserted:
        out.print(f"{deleted} word{'s' if deleted != 1 else ''} deleted, {inserted} inserted.")
    else:
        out.print("The wording is the same (spacing aside).")


def register(app: typer.Typer) -> None:
    app.command()(forecast)
    app.command()(swing)
    app.command()(compare)
    app.command()(align)
    app.command()(chart)
