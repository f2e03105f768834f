"""The vote as a picture: the hemicycle in the terminal and as an SVG file."""

from __future__ import annotations

import math
from typing import Any

from oastrack.core.findings import ChartReport
from oastrack.core.hemicycle import Hemicycle
from oastrack.core.positions import COUNT_KEYS
from oastrack.render.analysis import context_line
from oastrack.render.output import console, escape

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


def chart_terminal(report: ChartReport, geometry: Hemicycle) -> None:
    from rich.text import Text

    out = console()
    res = report.resolution
    context_line(
        out,
        res.code,
        res.title,
        [
            f"{len(report.members):,} eligible",
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
            legend.append(f" {key} {count:,}")
    out.print()
    out.print(legend)
    for key in COUNT_KEYS:
        members = [m for m in report.members if m.position == key]
        if not members:
            continue
        blocs: dict[str, int] = {}
        for m in members:
            blocs[m.bloc or "no bloc"] = blocs.get(m.bloc or "no bloc", 0) + 1
        parts = ", ".join(f"{bloc} {count:,}" for bloc, count in blocs.items())
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
