"""`align --matrix`: every pair's agreement as a square CSV, JSON pairs, a table that fits a
terminal, and a clustered heatmap in SVG."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from itertools import pairwise
from typing import Any

from oastrack.core.matrix import ENOUGH, AgreementMatrix, cluster_order, neighbours, share_text
from oastrack.render.output import (
    Format,
    defuse,
    rows,
    svg_escape,
    svg_open,
    to_json,
    write,
)


class Cells(StrEnum):
    """What a cell of the CSV matrix holds."""

    SHARE = "share"
    AGREED = "agreed"
    COMPARED = "compared"


def scope(matrix: AgreementMatrix) -> str:
    """ " of OAS meetings since 2020-01-01", or "" for every official vote."""
    org = f" of {matrix.org} meetings" if matrix.org else ""
    since = f" since {matrix.since.isoformat()}" if matrix.since else ""
    return org + since


def matrix_csv(matrix: AgreementMatrix, cells: Cells) -> str:
    """A square matrix a spreadsheet opens: a header of codes, one row per member."""
    codes = [m.code for m in matrix.members]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([defuse(c) for c in ["member", *codes]])
    for first in codes:
        line: list[Any] = [defuse(first)]
        for second in codes:
            agreed, compared = matrix.counts(first, second)
            if cells is Cells.AGREED:
                line.append(agreed)
            elif cells is Cells.COMPARED:
                line.append(compared)
            else:
                line.append(share_text(agreed, compared))
        writer.writerow(line)
    return buffer.getvalue()


def matrix_pairs(matrix: AgreementMatrix) -> list[dict[str, Any]]:
    """Each pair compared at least once, by the first code then the second."""
    names = {m.code: m.name for m in matrix.members}
    order = {m.code: i for i, m in enumerate(matrix.members)}
    found = []
    for (first, second), (agreed, compared) in matrix.pairs.items():
        if order[first] > order[second]:  # the members' order, when they were chosen
            first, second = second, first
        found.append(
            {
                "member": first,
                "member_name": names[first],
                "other": second,
                "other_name": names[second],
                "agreed": agreed,
                "compared": compared,
                "agreement": agreed / compared,
            }
        )
    found.sort(key=lambda p: (order[str(p["member"])], order[str(p["other"])]))
    return found


def show_matrix(matrix: AgreementMatrix, chosen: Format, cells: Cells, grid: bool) -> None:
    """The matrix in a format: CSV square, JSON pairs; table and markdown: a grid of the
    members chosen, else each member's nearest and farthest."""
    if chosen is Format.CSV:
        write(matrix_csv(matrix, cells))
    elif chosen is Format.JSON:
        write(to_json(matrix_pairs(matrix)) + "\n")
    elif grid:
        _grid(matrix, chosen)
    else:
        _neighbours(matrix, chosen)


def _percent(agreed: int, compared: int, sign: str = "%") -> str:
    """Whole percent, rounded half up; "-" when never compared."""
    return f"{(200 * agreed + compared) // (2 * compared)}{sign}" if compared else "-"


def _grid(matrix: AgreementMatrix, chosen: Format) -> None:
    codes = [m.code for m in matrix.members]
    records = [
        {
            "member": first,
            **{second: _percent(*matrix.counts(first, second), sign="") for second in codes},
        }
        for first in codes
    ]
    columns = [("member", ""), *((c, c) for c in codes)]
    title = f"% agreement in official votes{scope(matrix)}"
    rows(records, chosen, columns, title=title, empty="No member to show.")


def _neighbours(matrix: AgreementMatrix, chosen: Format) -> None:
    records = []
    for found in neighbours(matrix, ENOUGH):
        record: dict[str, Any] = {"member": found.member.code, "voted": found.member.voted}
        for key, partner in (("nearest", found.nearest), ("farthest", found.farthest)):
            record[key] = partner[0] if partner else ""
            record[f"{key}_agreement"] = _percent(partner[1], partner[2]) if partner else ""
        records.append(record)
    columns = [
        ("member", "Member"),
        ("voted", "Voted"),
        ("nearest", "Nearest"),
        ("nearest_agreement", "%"),
        ("farthest", "Farthest"),
        ("farthest_agreement", "%"),
    ]
    title = (
        f"Nearest and farthest in official votes{scope(matrix)}"
        f" (partners compared on {ENOUGH}+ roll calls)"
    )
    rows(records, chosen, columns, title=title, empty="No official vote to compare.")


# -- the heatmap ------------------------------------------------------------------------------

CELL = 9
LABEL = 7
MARGIN = 16
TITLE_SIZE = 16
NEVER = "#d9d9d9"  # a pair never compared
# The colour scale from no agreement to full agreement: red, pale yellow, blue.
STOPS = ((0, (178, 24, 43)), (50, (255, 255, 191)), (100, (33, 102, 172)))


def colour(percent: int) -> str:
    """The colour of an agreement in whole percent (0 to 100), by the scale's stops."""
    for (low, start), (high, end) in pairwise(STOPS):
        if percent <= high:
            mix = [
                a + (b - a) * (percent - low) // (high - low)
                for a, b in zip(start, end, strict=True)
            ]
            return "#" + "".join(f"{c:02x}" for c in mix)
    return "#" + "".join(f"{c:02x}" for c in STOPS[-1][1])


def svg_matrix(matrix: AgreementMatrix) -> str:
    """The clustered heatmap: members in the leaf order of an average-linkage clustering,
    codes along both axes, each cell's colour its agreement, a legend and a title."""
    order = cluster_order(matrix)
    count = len(order)
    label_width = max((len(code) for code in order), default=1) * LABEL * 0.62 + 6
    top = MARGIN + TITLE_SIZE + 44 + label_width
    left = MARGIN + label_width
    side = count * CELL
    legend_top = top + side + 24
    heading = f"Agreement in official votes{scope(matrix)}: {count:,} members"
    # Wide enough for the title and the two lines under it (about 0.6 em a character).
    width = max(left + side + MARGIN, 2 * MARGIN + len(heading) * TITLE_SIZE * 0.6, 560)
    height = legend_top + 56
    notes = (
        "Share of the roll calls both voted on (yes, no or abstain) on which they voted alike.",
        "Members in the order of an average-linkage clustering of their agreement.",
    )
    parts = [
        *svg_open(width, height, heading),
        f'<text x="{MARGIN}" y="{MARGIN + TITLE_SIZE}" font-size="{TITLE_SIZE}"'
        f' font-weight="bold">{svg_escape(heading)}</text>',
        *(
            f'<text x="{MARGIN}" y="{MARGIN + TITLE_SIZE + 18 + 14 * line}" font-size="11"'
            f' fill="#333333">{note}</text>'
            for line, note in enumerate(notes)
        ),
        f'<g id="rows" font-size="{LABEL}" text-anchor="end">',
    ]
    for index, code in enumerate(order):
        y = top + index * CELL + CELL - 1.5
        parts.append(f'<text x="{left - 3:.1f}" y="{y:.1f}">{svg_escape(code)}</text>')
    parts.append("</g>")
    parts.append(f'<g id="columns" font-size="{LABEL}">')
    for index, code in enumerate(order):
        x = left + index * CELL + CELL - 1.5
        parts.append(
            f'<text transform="translate({x:.1f} {top - 3:.1f}) rotate(-90)">'
            f"{svg_escape(code)}</text>"
        )
    parts.append("</g>")
    parts.append(
        f'<g id="cells" stroke="none" shape-rendering="crispEdges"'
        f' transform="translate({left:.1f} {top:.1f})">'
    )
    for row, first in enumerate(order):
        for column, second in enumerate(order):
            agreed, compared = matrix.counts(first, second)
            fill = colour((200 * agreed + compared) // (2 * compared)) if compared else NEVER
            parts.append(
                f'<rect x="{column * CELL}" y="{row * CELL}" width="{CELL}" height="{CELL}"'
                f' fill="{fill}"/>'
            )
    parts.append("</g>")
    parts += _legend(legend_top)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _legend(top: float) -> list[str]:
    parts = [f'<g id="legend" font-size="11" transform="translate({MARGIN} {top:.1f})">']
    for percent in range(0, 101, 2):
        parts.append(
            f'<rect x="{percent * 3}" y="0" width="6" height="14" fill="{colour(percent)}"/>'
        )
    for percent in range(0, 101, 25):
        parts.append(f'<text x="{percent * 3 + 3}" y="28" text-anchor="middle">{percent}%</text>')
    parts.append(f'<rect x="340" y="0" width="14" height="14" fill="{NEVER}"/>')
    parts.append('<text x="360" y="11">never compared</text>')
    parts.append("</g>")
    return parts
