"""`oastrack resolution list|add|show|status`."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack import render
from oastrack.cli.common import FormatOption, code, done, fmt, open_database, parsed
from oastrack.core.rules import RULE_HELP, parse_rule
from oastrack.core.values import parse_count
from oastrack.core.vocabulary import RESOLUTION_STATUSES
from oastrack.store import registry

app = typer.Typer(
    help="Resolutions: draft texts at a meeting, with their decision rule.", no_args_is_help=True
)

RULES_TEXT = "; ".join(f"{name.value}: {meaning}" for name, meaning in RULE_HELP.items())


@app.command("list")
def list_(
    ctx: typer.Context,
    meeting: Annotated[str | None, typer.Option(help="Only resolutions of this meeting.")] = None,
    format: FormatOption = None,
) -> None:
    """List resolutions with their rule, status and how many positions are logged."""
    db = open_database(ctx)
    rows = db.read(
        lambda: registry.list_resolutions(db, meeting=code(meeting) if meeting else None)
    )
    render.rows(
        rows,
        fmt(format),
        [
            ("code", "Code"),
            ("meeting", "Meeting"),
            ("title", "Title"),
            ("rule", "Rule"),
            ("status", "Status"),
            ("sponsors", "Sponsors"),
            ("positions", "Positions"),
        ],
        title="Resolutions",
        empty="No resolutions.",
    )


@app.command()
def show(
    ctx: typer.Context,
    resolution: Annotated[str, typer.Argument(metavar="CODE", help="The resolution's code.")],
    format: FormatOption = None,
) -> None:
    """Show a resolution: meeting, rule and what it means there, sponsors, competing drafts."""
    db = open_database(ctx)
    found = db.read(lambda: registry.show_resolution(db, code(resolution)))
    render.obj(found, fmt(format), title=f"{found['code']} — {found['title']}")


def _status(raw: str) -> str:
    value = raw.strip().lower()
    if value not in RESOLUTION_STATUSES:
        raise ValueError(f"{raw!r} is not a status; use one of: {', '.join(RESOLUTION_STATUSES)}")
    return value


@app.command()
def add(
    ctx: typer.Context,
    resolution: Annotated[str, typer.Argument(metavar="CODE", help="The resolution's code.")],
    meeting: Annotated[str, typer.Option(help="The meeting it is tabled at.")],
    title: Annotated[str, typer.Option(help="Its title.")],
    rule: Annotated[
        str | None,
        typer.Option(help=f"Decision rule. Default: the meeting's. {RULES_TEXT}."),
    ] = None,
    required: Annotated[
        str | None, typer.Option(metavar="N", help="A fixed number of yes votes needed.")
    ] = None,
    denominator: Annotated[
        str | None,
        typer.Option(
            metavar="N", help="Count thresholds against N instead of the eligible members."
        ),
    ] = None,
    sponsor: Annotated[
        list[str] | None,
        typer.Option("--sponsor", "-s", help="A sponsoring member or bloc (repeat)."),
    ] = None,
    status: Annotated[
        str, typer.Option(help=f"One of: {', '.join(RESOLUTION_STATUSES)}.")
    ] = "draft",
    alternative_to: Annotated[
        str | None, typer.Option(help="The draft this one competes with or replaces.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    source: Annotated[str | None, typer.Option(help="Where the text comes from.")] = None,
) -> None:
    """Add a draft resolution at a meeting.

    Example: oastrack resolution add PC-2024-VEN --meeting PC-2024-07-31 --title "Venezuela
    elections" --rule absolute --sponsor USA --sponsor CAN
    """
    db = open_database(ctx)
    new = registry.NewResolution(
        code=code(resolution),
        meeting=code(meeting),
        title=title,
        rule=parsed(parse_rule, rule) if rule else None,
        required=parsed(lambda r: parse_count(r, "required"), required) if required else None,
        denominator=(
            parsed(lambda r: parse_count(r, "denominator"), denominator) if denominator else None
        ),
        status=parsed(_status, status),
        sponsors=tuple(code(s) for s in sponsor or []),
        alternative_to=code(alternative_to) if alternative_to else None,
        note=note,
        source=source,
    )
    done(db.write(lambda: registry.add_resolution(db, new)) + ".")


@app.command("status")
def status_(
    ctx: typer.Context,
    resolution: Annotated[str, typer.Argument(metavar="CODE", help="The resolution's code.")],
    new_status: Annotated[
        str, typer.Argument(metavar="STATUS", help=f"One of: {', '.join(RESOLUTION_STATUSES)}.")
    ],
) -> None:
    """Set a resolution's status (draft, adopted, rejected, withdrawn)."""
    db = open_database(ctx)
    value = parsed(_status, new_status)
    done(db.write(lambda: registry.set_status(db, code(resolution), value)) + ".")
