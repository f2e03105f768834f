"""The vote as a picture: the hemicycle in the terminal and as an SVG file."""

from __future__ import annotations

import math
from typing import Any

from oastrack.core.findings import ChartReport
from oastrack.core.hemicycle import INNER, Hemicycle
from oastrack.core.positions import COUNT_KEYS
from oastrack.render.analysis import context_line
from oastrack.render.output import console, escape, svg_attribute, svg_escape, svg_open
from oastrack.render.tally_words import percent_of

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


# Under NO_COLOR (or with no colour at all) each position has its own letter instead.
GLYPHS: dict[str, str] = {
    "yes": "Y",
    "lean-yes": "y",
    "undecided": "?",
    "lean-no": "n",
    "no": "N",
    "abstain": "A",
    "absent": "-",
    "unknown": "·",
}


def glyph(position: str, coloured: bool) -> str:
    if not coloured:
        return GLYPHS[position]
    return "○" if position == "unknown" else "●"


def chart_terminal(report: ChartReport, geometry: Hemicycle) -> None:
    from rich.text import Text

    out = console()
    coloured = not out.no_color and out.color_system is not None
    res = report.resolution
    context = [
        f"{len(report.members):,} eligible",
        "official vote" if report.official else "projections",
    ]
    context_line(out, res.code, res.title, context)
    under = verdict_line(report)
    if under:
        out.print(escape(under), style="dim", soft_wrap=True)
    if not report.members:
        out.print("No eligible members.")
        return
    # A character cell is about twice as tall as it is wide: 3 columns and 1.5 lines per
    # spacing between rows draw clear arcs; narrower when the terminal is.
    across = min(3 / geometry.spacing, (out.width - 1) // 2)
    down = across / 2
    width = 2 * math.ceil(across) + 1
    height = math.ceil(down) + 1
    grid: list[list[tuple[str, str] | None]] = [[None] * width for _ in range(height)]
    for member, seat in zip(report.members, geometry.seats, strict=True):
        column = round((seat.x + 1) * (width - 1) / 2)
        line = height - 1 - round(seat.y * down)
        column = _free_cell(grid[line], column)
        grid[line][column] = (glyph(member.position, coloured), COLOURS[member.position])
    out.print()
    for cells in grid:
        text = Text()
        for cell in cells:
            if cell is None:
                text.append(" ")
            else:
                text.append(cell[0], style=cell[1])
        text.rstrip()
        if text:
            out.print(text)
    legend = Text()
    for key in COUNT_KEYS:
        count = report.counts[key]
        if count:
            if legend:
                legend.append("   ")
            legend.append(glyph(key, coloured), style=COLOURS[key])
            legend.append(f" {key} {count:,}")
    out.print()
    out.print(legend)
    for key in COUNT_KEYS:
        members = [m for m in report.members if m.position == key]
        blocs: dict[str, int] = {}
        for m in members:
            if m.bloc:
                blocs[m.bloc] = blocs.get(m.bloc, 0) + 1
        if not blocs:
            continue
        others = len(members) - sum(blocs.values())
        parts = ", ".join(f"{bloc} {count:,}" for bloc, count in blocs.items())
        if others:
            parts += f", in no bloc {others:,}"
        out.print(f"  {escape(key)}: {escape(parts)}", style="dim")


def _free_cell(cells: list[Any], column: int) -> int:
    """The nearest free cell to `column` on a line (seats that round to one cell move aside)."""
    for offset in range(len(cells)):
        for candidate in (column + offset, column - offset):
            if 0 <= candidate < len(cells) and cells[candidate] is None:
                return candidate
    return column


def verdict_line(report: ChartReport) -> str | None:
    """The rule, what it takes, the yes count and the verdict, in one line under the title."""
    result = report.result
    if result is None:
        return None
    words = report.resolution.rule.describe(result.eligible, total_weight=result.weight_total)
    line = (
        f"rule {words} · required {result.required} · yes {result.yes}"
        f" · {result.verdict.value.upper()}"
    )
    if not result.official:
        line += f" (projected: {result.projected.value})"
    if result.vetoed_by:
        line += f" · vetoed by {' '.join(result.vetoed_by)}"
    if result.weight_total:
        line += f" · weight {percent_of(result.weight_yes or 0, result.weight_total)}"
        line += f" of {percent_of(result.weight_required or 0, result.weight_total)} needed"
    return line


# The SVG's measures, in pixels: the outer radius of the chamber, the margin, the title's size.
SIZE = 400.0
MARGIN = 20.0
TITLE_SIZE = 18
TITLE_CHARACTERS = 68  # what fits on a line of the title at TITLE_SIZE in the picture's width


def svg_text(report: ChartReport, geometry: Hemicycle) -> str:
    """The chart as an SVG document: the title (wrapped), the rule and the verdict, one circle
    per member (its `<title>` names it), the seat at which the text would pass, and a legend."""
    import textwrap

    xml_escape = svg_escape

    width = 2 * (SIZE + MARGIN)
    res = report.resolution
    heading = f"{res.code} — {res.title}"
    title_lines = textwrap.wrap(heading, TITLE_CHARACTERS) or [res.code]
    under = verdict_line(report)
    y = MARGIN + TITLE_SIZE
    texts = []
    for line in title_lines:
        texts.append(
            f'<text x="{MARGIN:.0f}" y="{y:.0f}" font-size="{TITLE_SIZE}" font-weight="bold">'
            f"{xml_escape(line)}</text>"
        )
        y += TITLE_SIZE + 6
    if under:
        texts.append(f'<text x="{MARGIN:.0f}" y="{y:.0f}" font-size="14" fill="#333333">'
                     f"{xml_escape(under)}</text>")  # fmt: skip
        y += 14 + 6
    centre_x, centre_y = SIZE + MARGIN, y + 10 + SIZE
    seat_radius = 0.42 * geometry.spacing * SIZE
    present = [key for key in COUNT_KEYS if report.counts[key]]
    legend_top = centre_y + 24
    height = legend_top + 24 + MARGIN
    lines = [
        *svg_open(width, height, heading),
        *texts,
        # The centre of the arcs and the outer radius, in pixels: where the geometry is.
        f'<g id="seats" stroke="#ffffff" stroke-width="1"'
        f' data-centre="{centre_x:.1f} {centre_y:.1f}" data-radius="{SIZE:.0f}">',
    ]
    for member, seat in zip(report.members, geometry.seats, strict=True):
        label = f"{member.code} {member.name}: {member.position}"
        if member.bloc:
            label += f" ({member.bloc})"
        lines.append(
            f'<circle cx="{centre_x + seat.x * SIZE:.1f}" cy="{centre_y - seat.y * SIZE:.1f}"'
            f' r="{seat_radius:.1f}" fill="{COLOURS[member.position]}"'
            f' data-member={svg_attribute(member.code)} data-position="{member.position}">'
            f"<title>{xml_escape(label)}</title></circle>"
        )
    lines.append("</g>")
    lines.extend(_threshold(report, geometry, centre_x, centre_y))
    lines.append(
        f'<g id="legend" font-size="14" transform="translate({MARGIN:.0f} {legend_top:.0f})">'
    )
    x = 0.0
    for key in present:
        label = f"{key} {report.counts[key]}"
        lines.append(
            f'<rect x="{x:.0f}" y="0" width="14" height="14" fill="{COLOURS[key]}"/>'
            f'<text x="{x + 20:.0f}" y="12">{label}</text>'
        )
        x += 20 + 8.5 * len(label) + 18
    lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def _threshold(
    report: ChartReport, geometry: Hemicycle, centre_x: float, centre_y: float
) -> list[str]:
    """A dashed ray through the seat at which the text would pass (the required-th seat from
    the left, where the yes votes sit), labelled with the number."""
    result = report.result
    if result is None or not 1 <= result.required <= len(geometry.seats):
        return []
    seat = geometry.seats[result.required - 1]
    inner, outer = INNER - geometry.spacing / 2, 1 + 0.02
    cos, sin = math.cos(seat.angle), math.sin(seat.angle)
    x1, y1 = centre_x + inner * cos * SIZE, centre_y - inner * sin * SIZE
    x2, y2 = centre_x + outer * cos * SIZE, centre_y - outer * sin * SIZE
    anchor = "end" if cos < -0.2 else ("start" if cos > 0.2 else "middle")
    label = f"passes at {result.required}"
    wide = 7.0 * len(label)  # about, at 13 pixels
    if anchor == "end" and x2 - wide < 2:  # near the left edge: the label goes inside
        anchor, x2 = "start", max(x2, 2.0)
    elif anchor == "start" and x2 + wide > 2 * (SIZE + MARGIN) - 2:
        anchor = "end"
    return [
        '<g id="threshold">',
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#000000"'
        ' stroke-width="1.5" stroke-dasharray="5 4"/>',
        f'<text x="{x2:.1f}" y="{y2 - 4:.1f}" font-size="13" text-anchor="{anchor}">{label}</text>',
        "</g>",
    ]


def seats(report: ChartReport, geometry: Hemicycle) -> list[dict[str, Any]]:
    """Every seat with its member, position, bloc and coordinates (`chart --format json`)."""
    return [
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
