"""`oastrack tally`: does this text have the votes?"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from oastrack import render
from oastrack.cli.analysis import complete_resolution
from oastrack.cli.common import FormatOption, code, fmt, maybe_time, open_database, parsed
from oastrack.core.positions import COUNT_KEYS, Position, parse_position
from oastrack.core.reports import TallyReport
from oastrack.core.rules import RuleName
from oastrack.core.tally import IN_PLAY, Verdict
from oastrack.core.values import show_time
from oastrack.errors import InvalidInput
from oastrack.render import Format, escape
from oastrack.store import votes

VERDICT_STYLE = {
    Verdict.PASSES: "bold green",
    Verdict.FAILS: "bold red",
    Verdict.OPEN: "bold yellow",
}


def _assumption(raw: str) -> tuple[str, Position]:
    member, sep, position = raw.partition("=")
    if not sep or not member.strip() or not position.strip():
        raise InvalidInput(f"--assume {raw!r}: write CODE=POSITION, e.g. --assume HTI=yes")
    return code(member), parsed(parse_position, position)


def tally(
    ctx: typer.Context,
    resolution: Annotated[
        str,
        typer.Argument(
            metavar="RES", help="The resolution's code.", autocompletion=complete_resolution
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="TIME", help="Replay history: the tally as it stood then."),
    ] = None,
    assume: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CODE=POSITION",
            help="What if a member or bloc took this position? Repeatable; nothing is written.",
        ),
    ] = None,
    by_bloc: Annotated[bool, typer.Option("--by-bloc", help="Split the counts by bloc.")] = False,
    format: FormatOption = None,
) -> None:
    """The vote count and the verdict: passes, fails or open, and how many votes are missing.

    Before the vote the verdict is [green]passes[/] when the firm yes votes carry the text
    whatever the rest do, [red]fails[/] when it cannot pass even if every member still in play
    votes yes, and [yellow]open[/] otherwise. The projected verdict counts leans as their side.
    Official votes, once recorded, decide.
    """
    db = open_database(ctx)
    assumptions = [_assumption(a) for a in assume or []]
    report = db.read(
        lambda: votes.tally_resolution(
            db, code(resolution), as_of=maybe_time(as_of), assume=assumptions, by_bloc=by_bloc
        )
    )
    document = to_document(report)
    chosen = fmt(format)
    if chosen is Format.JSON:
        sys.stdout.write(render.to_json(document) + "\n")
    elif chosen is Format.CSV:
        _csv(document)
    elif chosen is Format.MARKDOWN:
        _markdown(document)
    else:
        _table(report, document)


def to_document(report: TallyReport) -> dict[str, Any]:
    """The tally as JSON: the keys of the contract, stable for scripts."""
    result, res = report.result, report.resolution
    document: dict[str, Any] = {
        "resolution": res.code,
        "title": res.title,
        "meeting": res.meeting.code,
        "meeting_date": res.meeting.start.isoformat(),
        "as_of": show_time(report.as_of) if report.as_of else None,
        "rule": res.rule.name.value,
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
    if report.by_bloc is not None:
        document["by_bloc"] = report.by_bloc
    return document


def _csv(document: dict[str, Any]) -> None:
    flat = {k: document[k] for k in ("resolution", "rule", "eligible", "required")}
    if "by_bloc" in document:
        rows = [{"bloc": bloc, **counts} for bloc, counts in document["by_bloc"].items()]
        sys.stdout.write(render.csv_text(rows, ["bloc", *COUNT_KEYS]))
        return
    flat.update(document["counts"])
    flat.update({k: document[k] for k in ("verdict", "projected", "short_by", "official")})
    sys.stdout.write(render.csv_text([flat], list(flat)))


def _markdown(document: dict[str, Any]) -> None:
    out = sys.stdout
    out.write(
        f"**{document['resolution']}** ({document['rule']}): "
        f"{document['yes']} yes of {document['required']} required, "
        f"verdict **{document['verdict']}**, projected {document['projected']}, "
        f"short by {document['short_by']}\n\n"
    )
    rows = [{"position": k, "count": v} for k, v in document["counts"].items()]
    out.write(render.markdown_text(rows, ["position", "count"], ["position", "count"]))
    if "by_bloc" in document:
        out.write("\n")
        rows = [{"bloc": b, **c} for b, c in document["by_bloc"].items()]
        out.write(render.markdown_text(rows, ["bloc", *COUNT_KEYS], ["bloc", *COUNT_KEYS]))


def _table(report: TallyReport, document: dict[str, Any]) -> None:
    from rich import box
    from rich.table import Table

    out = render.console()
    result, res = report.result, report.resolution
    out.print(f"[bold]{escape(res.code)}[/] — {escape(res.title)}")
    context = [
        f"{res.meeting.code} ({res.meeting.organization}, {res.meeting.start})",
        f"rule {res.rule.describe(result.eligible)}",
        f"{result.eligible} eligible",
    ]
    if report.as_of:
        context.append(f"as of {show_time(report.as_of)}")
    context.append("official vote" if result.official else "projections")
    out.print(escape(" · ".join(context)), style="dim")
    if report.assumed:
        what_if = ", ".join(f"{m}={p}" for m, p in report.assumed.items())
        out.print(f"[magenta]What if:[/] {escape(what_if)} [dim](nothing written)[/]")

    counts = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for key in COUNT_KEYS:
        counts.add_column(key, justify="right")
    counts.add_row(*(str(result.counts[k]) for k in COUNT_KEYS))
    out.print(counts)

    verdict_style = VERDICT_STYLE[result.verdict]
    line = (
        f"Required [bold]{result.required}[/]   Yes [bold]{result.yes}[/]   "
        f"Short by [bold]{result.short_by}[/]   "
        f"Verdict [{verdict_style}]{result.verdict.value.upper()}[/]"
    )
    if not result.official:
        line += (
            f"   Projected [{VERDICT_STYLE[result.projected]}]{result.projected.value}[/]"
            f" ({result.projected_yes} yes with leans)"
        )
    no = result.counts[Position.NO]
    if res.rule.name is RuleName.CONSENSUS and no and res.rule.required is None:
        # Enough yes votes is not the question under consensus: every objection must go.
        line += f"   Blocked by [bold]{no}[/] no vote{'s' if no != 1 else ''}"
    out.print(line)

    in_play = [s for s in report.stances if s.position in IN_PLAY]
    if in_play and not result.official:
        _members_table(out, "Still in play", IN_PLAY, in_play)
    if result.short_by and result.official:
        candidates = [
            s for s in report.stances if s.position in (Position.ABSTAIN, Position.ABSENT)
        ]
        if candidates:
            # Under a membership rule each of them is worth one vote; under simple majority a
            # no that turns is worth two, so only name the group there.
            title = (
                "Abstained or absent"
                if res.rule.counts_cast_votes
                else f"Could have closed the gap of {result.short_by}"
            )
            _members_table(out, title, (Position.ABSTAIN, Position.ABSENT), candidates)
    if report.by_bloc is not None:
        blocs = Table(
            title="By bloc (blocs overlap)",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            pad_edge=False,
        )
        blocs.add_column("bloc")
        for key in COUNT_KEYS:
            blocs.add_column(key, justify="right")
        for bloc, bloc_counts in report.by_bloc.items():
            blocs.add_row(escape(bloc), *(str(bloc_counts[k]) for k in COUNT_KEYS))
        out.print()
        out.print(blocs)


def _members_table(out: Any, title: str, order: tuple[str, ...], stances: list[Any]) -> None:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE,
        show_header=False,
        pad_edge=False,
    )
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for position in order:
        names = [f"{s.code} {s.name}" for s in stances if s.position == position]
        if names:
            table.add_row(position, escape(", ".join(names)))
    out.print()
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(tally)
