"""`oastrack resolution list|add|show|set|status|amend|diff`."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack import render
from oastrack.cli.common import (
    FormatOption,
    LimitOption,
    analyst,
    code,
    done,
    fmt,
    note,
    open_database,
    parsed,
)
from oastrack.cli.completion import ResolutionArgument
from oastrack.cli.messages import added_resolution
from oastrack.core.pieces import FORM
from oastrack.core.rules import BODY_RULE_HELP, RULE_HELP, rule_spec
from oastrack.core.values import parse_count
from oastrack.core.vocabulary import RESOLUTION_STATUSES
from oastrack.errors import InvalidInput
from oastrack.store import corrections, resolutions
from oastrack.store.positions import now_utc

app = typer.Typer(
    help="Resolutions: draft texts at a meeting, with their decision rule.", no_args_is_help=True
)

RULES_TEXT = (
    "; ".join(
        f"{name.value}: {meaning}" for name, meaning in {**RULE_HELP, **BODY_RULE_HELP}.items()
    )
    + f"; or the general form: {FORM}"
)


@app.command("list")
def list_(
    ctx: typer.Context,
    meeting: Annotated[str | None, typer.Option(help="Only resolutions of this meeting.")] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List resolutions with their rule, status and how many positions are logged, by meeting
    (oldest first) and code."""
    db = open_database(ctx)
    chosen = code(meeting) if meeting else None
    rows = db.read(lambda: resolutions.list_resolutions(db, meeting=chosen, limit=limit))
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
        spare=("sponsors", "meeting"),
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
    found = db.read(lambda: corrections.show_resolution(db, code(resolution)))
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
    new = resolutions.NewResolution(
        code=code(resolution),
        meeting=code(meeting),
        title=title,
        rule=parsed(rule_spec, rule) if rule else None,
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
    done(added_resolution(db.write(lambda: resolutions.add_resolution(db, new))))


def _count_or_none(raw: str | None, what: str) -> tuple[int | None, bool]:
    """A count given to `resolution set`, and whether it clears the value (`none`)."""
    if raw is None:
        return None, False
    if raw.strip().lower() == "none":
        return None, True
    return parsed(lambda r: parse_count(r, what), raw), False


@app.command("set")
def set_(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    title: Annotated[str | None, typer.Option(help="The corrected title.")] = None,
    rule: Annotated[str | None, typer.Option(help=f"The corrected rule. {RULES_TEXT}.")] = None,
    required: Annotated[
        str | None,
        typer.Option(metavar="N", help="A fixed number of yes votes needed; none removes it."),
    ] = None,
    denominator: Annotated[
        str | None,
        typer.Option(metavar="N", help="Count thresholds against N; none: the eligible members."),
    ] = None,
    sponsor: Annotated[
        list[str] | None,
        typer.Option(
            "--sponsor", "-s", help="The sponsors, in order (repeat): they replace the list."
        ),
    ] = None,
    no_sponsors: Annotated[
        bool, typer.Option("--no-sponsors", help="Remove every sponsor.")
    ] = False,
    status: Annotated[
        str | None, typer.Option(help=f"One of: {', '.join(RESOLUTION_STATUSES)}.")
    ] = None,
) -> None:
    """Correct a resolution: its title, rule, required, denominator, sponsors or status.

    Each change is recorded with who made it and when, and shown by resolution show. The
    positions logged stay as they are: the tally counts them under the corrected rule. An
    official vote never changes a draft's status by itself: say it here (--status adopted).

    Example: oastrack resolution set MOC29-CARICOM --rule absolute --status rejected
    """
    if sponsor and no_sponsors:
        raise InvalidInput("give --sponsor or --no-sponsors, not both")
    required_n, clear_required = _count_or_none(required, "required")
    denominator_n, clear_denominator = _count_or_none(denominator, "denominator")
    correction = corrections.Correction(
        title=title,
        rule=parsed(rule_spec, rule) if rule else None,
        required=required_n,
        denominator=denominator_n,
        clear_required=clear_required,
        clear_denominator=clear_denominator,
        sponsors=() if no_sponsors else (tuple(code(s) for s in sponsor) if sponsor else None),
        status=parsed(_status, status) if status else None,
    )
    if correction == corrections.Correction():
        raise InvalidInput(
            "nothing to change",
            hint="give --title, --rule, --required, --denominator, --sponsor or --status",
        )
    _correct(ctx, code(resolution), correction)


def _correct(ctx: typer.Context, res: str, correction: corrections.Correction) -> None:
    db = open_database(ctx)
    changes, _ = db.write(
        lambda: corrections.correct(
            db, res, correction, analyst=analyst(ctx), at=now_utc().replace(microsecond=0)
        )
    )
    if not changes:
        note(f"{res} already says so: nothing changed.")
        return
    for change in changes:
        done(f"{res}: {change.field} {change.old or '(none)'} -> {change.new or '(none)'}.")


@app.command("status")
def status_(
    ctx: typer.Context,
    resolution: Annotated[str, typer.Argument(metavar="CODE", help="The resolution's code.")],
    new_status: Annotated[
        str, typer.Argument(metavar="STATUS", help=f"One of: {', '.join(RESOLUTION_STATUSES)}.")
    ],
) -> None:
    """Set a resolution's status (draft, adopted, rejected, withdrawn): resolution set --status."""
    _correct(ctx, code(resolution), corrections.Correction(status=parsed(_status, new_status)))


# The longest text a version may have: a long treaty is a few megabytes; a bigger file is the
# wrong file (or /dev/urandom), and reading it whole would fill the memory.
MAX_TEXT_BYTES = 10_000_000


def _read_text(source: str) -> str:
    """A text from a file, or from standard input for `-`; line endings as \\n. At most
    MAX_TEXT_BYTES are read: one byte more says the text is too long."""
    import sys

    from oastrack.errors import InvalidInput

    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"cannot read {source}: {error.strerror or error}") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise InvalidInput(
            f"cannot read {source}: a text is at most 10 MB ({MAX_TEXT_BYTES:,} bytes)",
            hint="store the text of the resolution itself, not its annexes or a binary file",
        )
    try:
        text = raw.decode("utf-8")  # strict, whatever the locale says
    except UnicodeDecodeError:
        raise InvalidInput(f"cannot read {source}: it is not UTF-8 text") from None
    if "\x00" in text:
        raise InvalidInput(f"cannot read {source}: it holds a NUL character; is it a binary file?")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@app.command()
def amend(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    text_file: Annotated[
        str,
        typer.Option(
            "--text-file",
            metavar="FILE",
            help="The new text: a UTF-8 file of at most 10 MB, or - for stdin.",
        ),
    ],
    note: Annotated[
        str | None, typer.Option(help="What changed, or where this version comes from.")
    ] = None,
) -> None:
    """Store the next version of a draft's text (1, 2, ...); earlier versions are kept.

    Who stored it (--analyst) and when (UTC) are recorded with it. A text identical to the
    latest version is refused. Example: oastrack resolution amend MOC29-COMPROMISE
    --text-file draft-v2.txt --note "after the CARICOM consultations"
    """
    from oastrack.cli.common import analyst
    from oastrack.store import texts
    from oastrack.store.positions import now_utc

    text = _read_text(text_file)
    db = open_database(ctx)
    res = code(resolution)
    version = db.write(
        lambda: texts.add_text(db, res, text, analyst=analyst(ctx), note=note, at=now_utc())
    )
    words = len(text.split())
    done(f"Stored version {version} of {res} ({words} word{'s' if words != 1 else ''}).")


@app.command()
def diff(
    ctx: typer.Context,
    resolution: ResolutionArgument,
    old: Annotated[
        int | None,
        typer.Argument(
            metavar="V1",
            help="The older version. Default: the one before the latest.",
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        int | None,
        typer.Argument(
            metavar="V2", help="The newer version. Default: the latest.", show_default=False
        ),
    ] = None,
    format: FormatOption = None,
) -> None:
    """What changed between two versions of a draft's text, word by word.

    Deleted words show in red and struck through, inserted words in green (in a pipe:
    [-deleted-] and {+inserted+}). Changes of spacing alone are not shown. --format json gives
    the text as a list of {op: equal|delete|insert, text} chunks.
    """
    from oastrack.render import Format
    from oastrack.store import texts

    db = open_database(ctx)
    found = db.read(lambda: texts.diff_text(db, code(resolution), old, new))
    chunks = [{"op": c.op.value, "text": c.text} for c in found.chunks]
    chosen = fmt(format)
    if chosen is not Format.TABLE:
        render.rows(chunks, chosen, [("op", "op"), ("text", "text")])
        return
    from oastrack.render.diff import show_text_diff

    show_text_diff(found)
