"""The work of `tally` and `vote` once their arguments are parsed, without Typer: the Typer
commands (oastrack/cli/tally.py, votes.py) and the fast path (oastrack/cli/fast.py) both call
these, so that both count, write and say the same."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from oastrack.cli.plain import code, done, fmt, maybe_time, note, parsed, past_time
from oastrack.core.positions import Kind, Position, parse_position
from oastrack.core.values import parse_confidence, show_time
from oastrack.errors import InvalidInput

if TYPE_CHECKING:
    from oastrack.core.reports import MeetingInfo
    from oastrack.render import Format
    from oastrack.store.db import Database


def assumption(raw: str) -> tuple[str, Position]:
    """A `--assume CODE=POSITION`."""
    member, sep, position = raw.partition("=")
    if not sep or not member.strip() or not position.strip():
        raise InvalidInput(f"--assume {raw!r}: write CODE=POSITION, e.g. --assume HTI=yes")
    return code(member), parsed(parse_position, position)


def tally(
    db: Database,
    resolution: str,
    *,
    as_of: str | None,
    assume: list[str],
    by_bloc: bool,
    format: Format | None,
    counted: Callable[[], None] | None = None,
) -> None:
    """Count the votes on a resolution and print the tally in the chosen format; `counted` is
    called once it is counted, before anything is printed."""
    assumptions = [assumption(a) for a in assume]
    from oastrack.store import tallies

    report = db.read(
        lambda: tallies.tally_resolution(
            db, code(resolution), as_of=maybe_time(as_of), assume=assumptions, by_bloc=by_bloc
        )
    )
    if counted is not None:
        counted()
    from oastrack.render import tally as shown

    shown.show(report, fmt(format))


def vote(
    db: Database,
    resolution: str,
    position: str,
    members: list[str],
    *,
    analyst: str,
    official: bool = False,
    confidence: str | None = None,
    source: str | None = None,
    note_: str | None = None,
    at: str | None = None,
    committed: Callable[[], None] | None = None,
) -> None:
    """Log a position for members and blocs in one transaction, then say what was done;
    `committed` is called once the transaction is."""
    from oastrack.store import positions

    stance = parsed(parse_position, position)
    level = parsed(parse_confidence, confidence) if confidence is not None else None
    now = positions.now_utc()
    when = past_time(at, now) or now
    codes = [code(m) for m in members]
    logged = db.write(
        lambda: positions.log_positions(
            db,
            code(resolution),
            stance,
            codes,
            kind=Kind.OFFICIAL if official else Kind.PROJECTION,
            recorded_at=when,
            analyst=analyst,
            confidence=level,
            source=source or None,
            note=note_ or None,
        )
    )
    if committed is not None:
        committed()
    if logged.skipped:
        note(f"Skipped (not eligible at this meeting): {' '.join(logged.skipped)}.")
    if logged.added:
        done(
            f"Logged {logged.position} ({logged.kind}) on {logged.resolution} for "
            f"{len(logged.added):,} member{'s' if len(logged.added) != 1 else ''}: "
            f"{' '.join(logged.added)}."
        )
    if logged.already:
        note(f"Already recorded, nothing added: {' '.join(logged.already)}.")
    if at is None and logged.added and logged.meeting is not None:
        warn_if_past(logged.meeting, when)


def warn_if_past(meeting: MeetingInfo, when: datetime) -> None:
    """A record dated now, on a meeting that ended more than a day ago, is likely misdated."""
    last = meeting.end or meeting.start
    if when.date() - last > timedelta(days=1):
        now = show_time(when.replace(microsecond=0))
        note(
            f"Warning: {meeting.code} ended on {last}; this record is dated now ({now}). "
            "If the position was taken then, retract it and log it again with --at TIME."
        )
