"""What the commands share that needs no Typer: the global state, opening the database, parsing
a value, the messages, and how an error ends a command. The Typer commands (oastrack/cli/common.py
wraps these with the click context) and the fast path of `tally` and `vote` (oastrack/cli/fast.py)
both go through here, so that they open, check and say the same things."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from oastrack.core.values import (
    check_not_future,
    clean_code,
    only_clock_colons,
    parse_date,
    parse_time,
)
from oastrack.errors import ImportFailed, InvalidInput, OastrackError

if TYPE_CHECKING:
    from oastrack.render import Format
    from oastrack.store.db import Database, Target

T = TypeVar("T")


@dataclass
class State:
    db: str | None
    analyst: str | None


class NeedsSetup(Exception):
    """The default database must be created or seeded first: work for the full command."""


def default_database_path() -> str:
    from platformdirs import user_data_path

    return str(user_data_path("oastrack", appauthor=False) / "oastrack.db")


def default_analyst() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return os.environ.get("USER") or "unknown"


def analyst_of(given: State) -> str:
    return given.analyst or default_analyst()


def target_of(given: State) -> tuple[Target, bool]:
    """The database target, and whether it is the default location."""
    from oastrack.store.db import parse_target

    if given.db is not None:  # an empty --db or OASTRACK_DB is refused, not taken as the default
        return parse_target(given.db), False
    return parse_target(default_database_path()), True


def open_store(given: State, *, check: bool = True, setup: bool = True) -> Database:
    """Open the database for a command; the caller closes it.

    The default SQLite file is created and initialised on first use; a database named with
    --db must exist and be at this version's schema (`oastrack init` makes one). Without
    `setup`, nothing is created or seeded: NeedsSetup instead.
    """
    from oastrack.store.db import Database

    where, is_default = target_of(given)
    db = Database.open(where, create=is_default and setup)
    try:
        if check:
            _check(db, given, is_default=is_default, setup=setup)
    except BaseException:
        db.close()
        raise
    return db


def _check(db: Database, given: State, *, is_default: bool, setup: bool) -> None:
    from oastrack.store import schema

    if is_default:
        revision = schema.refuse_foreign(db).revision
        # Nothing yet, or a schema an older oastrack left without its seed: set it up now.
        if revision is None or (revision in schema.REVISIONS and schema.holds_nothing(db)):
            if not setup:
                raise NeedsSetup
            from oastrack.io import seed

            report = seed.init(db, seed=True, analyst=analyst_of(given))
            if report.seeded is not None and any(report.seeded.added.values()):
                loaded = "the OAS, the UN Security Council, the Council of the EU"
                note(
                    f"Created the oastrack database at {db.target.display} "
                    f"(reference data loaded: {loaded})."
                )
    schema.check(db)


def note(message: str) -> None:
    """A message for people, on stderr (stdout stays clean for the result)."""
    if not _said_plainly(message):
        from oastrack.render import console, escape

        console(stderr=True).print(escape(message), soft_wrap=True)


def done(message: str) -> None:
    if not _said_plainly(message):
        from oastrack.render import console, escape

        console(stderr=True).print(escape(message), style="green", soft_wrap=True)


# What Rich prints as it is: printable ASCII without markup's brackets and backslash.
_PLAIN = re.compile(r"[ -Z^-~]*")


def _no_emoji_code(message: str) -> bool:
    """Whether Rich leaves the message as it is: no `:name:` it would show as an emoji."""
    if only_clock_colons(message):
        return True  # without loading Rich's table of some four thousand codes
    from rich._emoji_replace import _emoji_replace

    return _emoji_replace(message) == message


def _said_plainly(message: str) -> bool:
    """Write the message on stderr without Rich when Rich would write exactly its text: stderr
    is no terminal (nor taken for one: TTY_COMPATIBLE, FORCE_COLOR), so no colour, and the
    message has no markup, no emoji code and nothing to escape. Whether it was written."""
    stream = sys.stderr
    if os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR"):
        return False
    try:
        if stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    if _PLAIN.fullmatch(message) is None:
        return False
    if ":" in message and not _no_emoji_code(message):
        return False
    stream.write(message.rstrip(" ") + "\n")
    stream.flush()
    return True


def parsed(parse: Callable[[str], T], raw: str) -> T:
    """Parse a value from the command line; a bad one is a user error (exit 1)."""
    try:
        return parse(raw)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def code(raw: str) -> str:
    return parsed(clean_code, raw)


def maybe_date(raw: str | None) -> date | None:
    return None if raw is None else parsed(parse_date, raw)


def maybe_time(raw: str | None) -> datetime | None:
    return None if raw is None else parsed(parse_time, raw)


def past_time(raw: str | None, now: datetime) -> datetime | None:
    """A time something happened (`vote --at`): not in the future, beyond a minute of skew."""
    moment = maybe_time(raw)
    return None if moment is None else parsed(lambda _: check_not_future(moment, now), "")


def fmt(value: Format | None) -> Format:
    from oastrack.render import Format

    return value or Format.TABLE


def report(error: OastrackError) -> None:
    """One line per problem on stderr, then the hint."""
    from oastrack.render import console, escape

    err = console(stderr=True)
    if isinstance(error, ImportFailed):
        for problem in error.problems:
            err.print(escape(problem), soft_wrap=True)
    err.print(f"[bold red]Error:[/] {escape(error.message)}", soft_wrap=True)
    if error.hint:
        err.print(f"[dim]Hint: {escape(error.hint)}[/]", soft_wrap=True)


def silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing what is left on exit cannot fail
    again on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def ending(error: BaseException) -> int | None:
    """How a command ends on this error: said (`Error: …`) and its exit code; None for an
    error that is a bug, to be shown as it is."""
    if isinstance(error, OastrackError):
        report(error)
        return 1
    if isinstance(error, BrokenPipeError):  # the reader went away (`| head`): nothing to say
        silence_stdout()
        return 0
    if isinstance(error, KeyboardInterrupt):  # Ctrl-C: nothing was kept (one transaction)
        return 130
    if not isinstance(error, Exception):
        return None
    from oastrack.store.db import translate_error

    translated = translate_error(error)
    if translated is not None:
        report(translated)
        return 1
    if isinstance(error, OSError):  # a full disk, an unwritable output, a refusing device
        where = f" ({error.filename})" if error.filename else ""
        report(OastrackError(f"{error.strerror or error}{where}"))
        return 1
    return None
