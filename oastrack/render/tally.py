"""The tally for people and programs: the contract's JSON document, CSV, markdown and the
table (Rich's, or its plain twin on a pipe) with the verdict, the members in play and who
could have closed the gap."""

from __future__ import annotations

from typing import Any

from oastrack.core.gap import blocked_by, gap_closers
from oastrack.core.positions import COUNT_KEYS
from oastrack.core.reports import TallyReport
from oastrack.core.tally import IN_PLAY, Verdict
from oastrack.core.values import show_time
from oastrack.render import plain_tally
from oastrack.render.output import (
    Format,
    console,
    csv_text,
    escape,
    grid,
    markdown_text,
    print_table,
    to_json,
    write,
)
from oastrack.render.tally_words import context_line, powers_line, what_if

VERDICT_STYLE = {
    Verdict.PASSES: "bold green",
    Verdict.FAILS: "bold red",
    Verdict.OPEN: "bold yellow",
}


def to_document(report: TallyReport) -> dict[str, Any]:
    """The tally as JSON: the keys of the contract, stable for scripts."""
    result, res = report.result, report.resolution
    document: dict[str, Any] = {
        "resolution": res.code,
        "title": res.title,
        "meeting": res.meeting.code,
        "meeting_date": res.meeting.start.isoformat(),
        "status": res.status,
        "as_of": show_time(report.as_of) if report.as_of else None,
        "rule": res.rule.spec,
        "eligible": result.eligible,
        "denominator": res.rule.base(result.eligible),
        "required": result.required,
        "counts": result.counts,
        "yes": result.yes,
        "verdict": result.verdict.value,
        "projected": result.projected.value,
        "projected_yes": result.projected_yes,
        "short_by": result.short_by,
        "official": result.official,
        "assumed": report.assumed,
        "members": [
            {"code": s.code, "name": s.name, "position": s.position} for s in report.stances
        ],
    }
    if res.rule.has_veto:
        document["vetoed_by"] = list(result.vetoed_by)
    if res.rule.weighted:
        document["weight"] = {
            "yes": result.weight_yes,
            "total": result.weight_total,
            "required": result.weight_required,
        }
    if report.by_bloc is not None:
        document["by_bloc"] = report.by_bloc
    return document


def csv(document: dict[str, Any]) -> None:
    flat = {k: document[k] for k in ("resolution", "rule", "eligible", "required")}
    if "by_bloc" in document:
        rows = [{"bloc": bloc, **counts} for bloc, counts in document["by_bloc"].items()]
        write(csv_text(rows, ["bloc", *COUNT_KEYS]))
        return
    flat.update(document["counts"])
    flat.update({k: document[k] for k in ("verdict", "projected", "short_by", "official")})
    write(csv_text([flat], list(flat)))


def markdown(document: dict[str, Any]) -> None:
    write(
        f"**{document['resolution']}** ({document['rule']}): "
        f"{document['yes']:,} yes of {document['required']:,} required, "
        f"verdict **{document['verdict']}**, projected {document['projected']}, "
        f"short by {document['short_by']:,}\n\n"
    )
    rows = [{"position": k, "count": v} for k, v in document["counts"].items()]
    write(markdown_text(rows, ["position", "count"], ["position", "count"]))
    if "by_bloc" in document:
        write("\n")
        rows = [{"bloc": b, **c} for b, c in document["by_bloc"].items()]
        write(markdown_text(rows, ["bloc", *COUNT_KEYS], ["bloc", *COUNT_KEYS]))


def table(report: TallyReport) -> None:
    """The tally for people: heading, counts, verdict, and who is in play; written without
    Rich where it would write exactly the same (render/plain_tally.py)."""
    if not plain_tally.written(report):
        rich_table(report)


def rich_table(report: TallyReport) -> None:
    """The tally drawn by Rich."""
    out = console()
    result, res = report.result, report.resolution
    out.print(f"[bold]{escape(res.code)}[/] — {escape(res.title)}")
    out.print(escape(context_line(report)), style="dim")
    if res.status in ("withdrawn", "rejected", "adopted"):
        out.print(f"[bold]Status:[/] {res.status}")
    if report.assumed:
        out.print(f"[magenta]What if:[/] {escape(what_if(report))} [dim](nothing written)[/]")

    counts = grid()
    for key in COUNT_KEYS:
        counts.add_column(key, justify="right")
    counts.add_row(*(f"{result.counts[k]:,}" for k in COUNT_KEYS))
    out.print()
    print_table(out, counts)
    out.print()

    verdict_style = VERDICT_STYLE[result.verdict]
    line = (
        f"Required [bold]{result.required:,}[/]   Yes [bold]{result.yes:,}[/]   "
        f"Short by [bold]{result.short_by:,}[/]   "
        f"Verdict [{verdict_style}]{result.verdict.value.upper()}[/]"
    )
    if not result.official:
        line += (
            f"   Projected [{VERDICT_STYLE[result.projected]}]{result.projected.value}[/]"
            f" ({result.projected_yes} yes with leans)"
        )
    no = blocked_by(result)
    if no:
        line += f"   Blocked by [bold]{no}[/] no vote{'s' if no != 1 else ''}"
    out.print(line)
    powers = powers_line(report)
    if powers:
        out.print(escape(powers), style="bold red" if result.vetoed_by else None)

    in_play = [s for s in report.stances if s.position in IN_PLAY]
    if in_play and not result.official:
        _members_table(out, "Still in play", IN_PLAY, in_play)
    closers = gap_closers(result, report.stances)
    if closers is not None:
        _members_table(out, closers.title, closers.order, list(closers.members))
    if report.by_bloc is not None:
        # Nine columns fit 80 with two spaces between them; no header or code is cut.
        blocs = grid()
        blocs.add_column("bloc", no_wrap=True)
        for key in COUNT_KEYS:
            blocs.add_column(key, justify="right", no_wrap=True)
        for bloc, bloc_counts in report.by_bloc.items():
            blocs.add_row(escape(bloc), *(f"{bloc_counts[k]:,}" for k in COUNT_KEYS))
        out.print()
        print_table(out, blocs, "By bloc (blocs overlap)")


def _members_table(out: Any, title: str, order: tuple[str, ...], stances: list[Any]) -> None:
    table = grid(box=None, show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for position in order:
        names = [f"{s.code} {s.name}" for s in stances if s.position == position]
        if names:
            table.add_row(position, escape(", ".join(names)))
    out.print()
    print_table(out, table, title, style="bold")


def show(report: TallyReport, chosen: Format) -> None:
    """Print the tally in the chosen format."""
    document = to_document(report)
    if chosen is Format.JSON:
        write(to_json(document) + "\n")
    elif chosen is Format.CSV:
        csv(document)
    elif chosen is Format.MARKDOWN:
        markdown(document)
    else:
        table(report)
