"""The count over time (`chart --timeline`): yes, projected yes and the required line, step by
step through the history, as an SVG step chart (each step names who moved, on hover), a compact
chart in the terminal, or the steps as JSON."""

from __future__ import annotations

from typing import Any

from oastrack.core.findings import TimelineReport
from oastrack.core.timeline import Step
from oastrack.core.values import show_time
from oastrack.render.chart import COLOURS
from oastrack.render.output import console, escape, svg_escape, svg_open

REQUIRED_COLOUR = "#c62828"


def moves_text(step: Step) -> str:
    """Who moved at a step: `ATG lean-yes → yes, DMA unknown → no`."""
    return ", ".join(f"{m.member} {m.before} → {m.after}" for m in step.moves)


def steps_document(report: TimelineReport) -> dict[str, Any]:
    """`chart --timeline --format json`."""
    return {
        "resolution": report.resolution.code,
        "rule": report.resolution.rule.spec,
        "eligible": report.eligible,
        "steps": [
            {
                "at": show_time(step.at),
                "moves": [
                    {"member": m.member, "from": m.before, "to": m.after, "kind": m.kind}
                    for m in step.moves
                ],
                "yes": step.yes,
                "projected_yes": step.projected_yes,
                "required": step.required,
                "verdict": step.verdict.value,
                "projected": step.projected.value,
                "official": step.official,
            }
            for step in report.steps
        ],
    }


def svg_timeline(report: TimelineReport) -> str:
    """The step chart as an SVG document: one step per moment, evenly spaced."""
    import textwrap

    xml_escape = svg_escape

    res, steps = report.resolution, report.steps
    width, height, left, right, top, bottom = 840.0, 420.0, 50.0, 20.0, 60.0, 50.0
    plot_w, plot_h = width - left - right, height - top - bottom
    top_count = max([report.eligible, 1, *(s.required for s in steps)])
    count = max(len(steps), 1)

    def x(index: float) -> float:
        return left + plot_w * index / count

    def y(value: float) -> float:
        return top + plot_h * (1 - value / top_count)

    def path(values: list[int]) -> str:
        points = [f"M{x(0):.1f},{y(values[0]):.1f}"] if values else []
        for index, value in enumerate(values):
            points.append(f"H{x(index):.1f}V{y(value):.1f}")
        if values:
            points.append(f"H{x(count):.1f}")
        return " ".join(points)

    heading = f"{res.code} — {res.title}: the count over time"
    title_lines = textwrap.wrap(heading, 76)[:3]
    top += 20 * (len(title_lines) - 1)
    height += 20 * (len(title_lines) - 1)
    plot_h = height - top - bottom
    lines = [
        *svg_open(width, height, heading),
        *(
            f'<text x="{left:.0f}" y="{24 + 20 * i}" font-size="16" font-weight="bold">'
            f"{xml_escape(line)}</text>"
            for i, line in enumerate(title_lines)
        ),
        f'<text x="{left:.0f}" y="{top - 16:.0f}" font-size="13" fill="#333333">'
        f"{len(steps)} moments · {report.eligible} eligible · rule {xml_escape(res.rule.spec)}"
        "</text>",
        f'<g id="axes" stroke="#999999" font-size="11" fill="#555555">'
        f'<line x1="{left:.0f}" y1="{y(0):.1f}" x2="{x(count):.1f}" y2="{y(0):.1f}"/>'
        f'<line x1="{left:.0f}" y1="{y(0):.1f}" x2="{left:.0f}" y2="{y(top_count):.1f}"/>'
        f'<text x="{left - 6:.0f}" y="{y(0) + 4:.1f}" text-anchor="end" stroke="none">0</text>'
        f'<text x="{left - 6:.0f}" y="{y(top_count) + 4:.1f}" text-anchor="end" stroke="none">'
        f"{top_count}</text></g>",
    ]
    if steps:
        first, last = show_time(steps[0].at), show_time(steps[-1].at)
        lines.append(
            f'<g font-size="11" fill="#555555"><text x="{left:.0f}" y="{y(0) + 16:.1f}">{first}'
            f'</text><text x="{x(count):.1f}" y="{y(0) + 16:.1f}" text-anchor="end">{last}'
            "</text></g>"
        )
        series = [
            ("required", [s.required for s in steps], REQUIRED_COLOUR, ' stroke-dasharray="6 4"'),
            ("projected", [s.projected_yes for s in steps], COLOURS["lean-yes"], ""),
            ("yes", [s.yes for s in steps], COLOURS["yes"], ""),
        ]
        for name, values, colour, dash in series:
            lines.append(
                f'<path id="{name}" d="{path(values)}" fill="none" stroke="{colour}"'
                f' stroke-width="2.5"{dash}/>'
            )
        needed = steps[-1].required
        lines.append(
            f'<text x="{x(count):.1f}" y="{y(needed) - 5:.1f}" font-size="11"'
            f' text-anchor="end" fill="{REQUIRED_COLOUR}">required {needed}</text>'
        )
        lines.append('<g id="moments">')
        for index, step in enumerate(steps):
            label = (
                f"{show_time(step.at)}: {moves_text(step)} · yes {step.yes},"
                f" projected {step.projected_yes}, required {step.required}"
            )
            lines.append(
                f'<circle cx="{x(index):.1f}" cy="{y(step.yes):.1f}" r="4"'
                f' fill="{COLOURS["yes"]}"><title>{xml_escape(label)}</title></circle>'
            )
        lines.append("</g>")
        legend = [("yes", COLOURS["yes"]), ("projected yes (with leans)", COLOURS["lean-yes"])]
        legend.append(("required", REQUIRED_COLOUR))
        position = left
        lines.append(f'<g id="legend" font-size="12" transform="translate(0 {height - 14:.0f})">')
        for text, colour in legend:
            lines.append(
                f'<rect x="{position:.0f}" y="-10" width="14" height="4" fill="{colour}"/>'
                f'<text x="{position + 20:.0f}" y="-4">{text}</text>'
            )
            position += 40 + 7 * len(text)
        lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def timeline_terminal(report: TimelineReport) -> None:
    """A compact step chart: a column per moment (the latest ones when they do not fit), a row
    per count; █ yes, ▒ projected yes beyond it, ─ the required line."""
    from rich.text import Text

    out = console()
    res, steps = report.resolution, report.steps
    out.print(f"[bold]{escape(res.code)}[/] — {escape(res.title)}: the count over time")
    out.print(escape(f"{report.eligible} eligible · rule {res.rule.spec}"), style="dim")
    if not steps:
        out.print("No records yet.")
        return
    room = max(10, out.width - 8)
    shown = steps[-room:]
    wide = max(1, min(6, room // len(shown)))  # columns per moment, when there are few
    top = max([report.eligible, *(s.required for s in shown), 1])
    rows = min(12, top)

    def level(value: int) -> int:
        """The row (1..rows) a count reaches; 0 for none."""
        return 0 if value <= 0 else max(1, round(value * rows / top))

    for row in range(rows, 0, -1):
        line = Text(f"{round(row * top / rows):>5} ")
        for step in shown:
            if level(step.yes) >= row:
                line.append("█" * wide, style=COLOURS["yes"])
            elif level(step.projected_yes) >= row:
                line.append("▒" * wide, style=COLOURS["lean-yes"])
            elif level(step.required) == row:
                line.append("─" * wide, style=REQUIRED_COLOUR)
            else:
                line.append(" " * wide)
        line.rstrip()
        out.print(line)
    skipped = f" (the last {len(shown)} of {len(steps)})" if len(shown) < len(steps) else ""
    out.print(
        escape(
            f"      {show_time(shown[0].at)} … {show_time(shown[-1].at)}: {len(shown)} moments"
            f"{skipped} · █ yes ▒ projected yes ─ required"
        ),
        style="dim",
        soft_wrap=True,
    )
    last = steps[-1]
    out.print(
        escape(
            f"Now: yes {last.yes}, projected {last.projected_yes}, required {last.required}"
            f" · {last.verdict.value.upper()}"
        ),
        soft_wrap=True,
    )
    for step in steps[-5:]:
        out.print(escape(f"  {show_time(step.at)}  {moves_text(step)}"), soft_wrap=True)
