"""`oastrack tally` and `oastrack vote` without Typer: the plain cases, parsed by hand.

Importing Typer (and the Click it carries) costs more than a whole tally. The console script
tries this first (oastrack/cli/launch.py): arguments it fully understands run the same work as
the Typer commands (oastrack/cli/actions.py, the same store and the same renderers), only the
parsing is done here. Anything else is not handled (None) and Typer runs as usual: another
command, `--help`, shell completion, an option or a form of one not listed below, a value
missing, an option given twice.

An error before the work is done (a resolution that does not exist, a bad position, a database
missing or at another schema) is not said here either: nothing was written (a vote is one
transaction, rolled back), so the Typer path runs the command again and says it with its own
words and exit code. Once a tally is counted or a vote committed, the command ends here, as the
Typer path would end it.

Accepted, with global options `--db TARGET` and `--analyst NAME` (or `--db=TARGET`) before the
command, and OASTRACK_DB / OASTRACK_ANALYST from the environment:

    tally RES [--format|-f table|json|csv|markdown] [--by-bloc] [--as-of TIME]
              [--assume CODE=POSITION]...
    vote RES POSITION CODE... [--official] [--confidence X] [--source TEXT] [--note TEXT]
              [--at TIME]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oastrack.store.db import Database

GLOBAL = ("--db", "--analyst")
FORMATS = ("table", "json", "csv", "markdown")  # oastrack.render.Format, as typed
TALLY_VALUED = {"--format": "format", "-f": "format", "--as-of": "as_of", "--assume": "assume"}
TALLY_FLAGS = {"--by-bloc": "by_bloc"}
VOTE_VALUED = {"--confidence": "confidence", "--source": "source", "--note": "note", "--at": "at"}
VOTE_FLAGS = {"--official": "official"}
REPEATABLE = {"assume"}


class _Refused(Exception):
    """Arguments outside what this path understands."""


def run(args: Sequence[str], environ: Mapping[str, str] | None = None) -> int | None:
    """Run `oastrack ARGS` if it is a plain tally or vote: its exit code once done, None when
    Typer must run it (nothing was written, nothing was printed)."""
    env = os.environ if environ is None else environ
    if "_OASTRACK_COMPLETE" in env:
        return None
    try:
        globals_, name, rest = _split(list(args))
        if name == "tally":
            positional, options = _options(rest, TALLY_VALUED, TALLY_FLAGS)
            if len(positional) != 1 or ("format" in options and options["format"] not in FORMATS):
                return None
        elif name == "vote":
            positional, options = _options(rest, VOTE_VALUED, VOTE_FLAGS)
            if len(positional) < 3:
                return None
        else:
            return None
    except _Refused:
        return None
    from oastrack.core.values import unstorable

    db = globals_.get("--db")
    if db is None:
        db = env.get("OASTRACK_DB")  # an empty one is refused (by the Typer path)
    analyst = globals_.get("--analyst")  # given empty: the login name, not the variable
    if analyst is None:
        analyst = env.get("OASTRACK_ANALYST") or None  # Click reads an empty one as unset
    if any(unstorable(arg) for arg in args) or any(
        value is not None and unstorable(value) for value in (db, analyst)
    ):
        return None  # refused with the Typer path's words
    if name == "tally":
        return _tally(db, analyst, positional[0], options)
    return _vote(db, analyst, positional, options)


def _split(args: list[str]) -> tuple[dict[str, str], str, list[str]]:
    """The global options (each at most once), the command's name and its arguments."""
    found: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        name, equals, value = arg.partition("=")
        if name not in GLOBAL:
            break
        if not equals:
            if index + 1 >= len(args):
                raise _Refused
            value = args[index + 1]
            index += 1
        if name in found or value.startswith("-"):
            raise _Refused
        found[name] = value
        index += 1
    if index >= len(args):
        raise _Refused
    return found, args[index], args[index + 1 :]


def _options(
    args: list[str], valued: Mapping[str, str], flags: Mapping[str, str]
) -> tuple[list[str], dict[str, object]]:
    """The positional arguments and the options of a command, as Click would read them, or
    _Refused for anything not plainly one of these options."""
    positional: list[str] = []
    options: dict[str, object] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg.startswith("-") or arg == "-":
            if arg == "-":
                raise _Refused
            positional.append(arg)
            continue
        if arg in flags:
            options[flags[arg]] = True
            continue
        name, equals, value = arg.partition("=")
        if name not in valued or (equals and name.startswith("-") and not name.startswith("--")):
            raise _Refused  # an unknown option, `--`, `--help`, `-fjson`, `-f=json`
        if not equals:
            if index >= len(args):
                raise _Refused  # the value is missing: Click's usage error
            value = args[index]
            index += 1
        if value.startswith("-"):
            raise _Refused
        key = valued[name]
        if key in REPEATABLE:
            listed = options.setdefault(key, [])
            assert isinstance(listed, list)
            listed.append(value)
        elif key in options:
            raise _Refused  # given twice: Click keeps the last, left to it
        else:
            options[key] = value
    return positional, options


def _text(options: Mapping[str, object], key: str) -> str | None:
    value = options.get(key)
    return value if isinstance(value, str) else None


def _tally(
    db: str | None, analyst: str | None, resolution: str, options: dict[str, object]
) -> int | None:
    from oastrack.cli import actions
    from oastrack.render import Format

    chosen = _text(options, "format")
    assume = options.get("assume", [])
    assert isinstance(assume, list)
    return _work(
        db,
        analyst,
        lambda store, begun: actions.tally(
            store,
            resolution,
            as_of=_text(options, "as_of"),
            assume=assume,
            by_bloc=bool(options.get("by_bloc")),
            format=Format(chosen) if chosen is not None else None,
            counted=begun,
        ),
    )


def _vote(
    db: str | None, analyst: str | None, positional: list[str], options: dict[str, object]
) -> int | None:
    from oastrack.cli import actions
    from oastrack.cli.plain import State, analyst_of

    resolution, position, *members = positional
    return _work(
        db,
        analyst,
        lambda store, begun: actions.vote(
            store,
            resolution,
            position,
            members,
            analyst=analyst_of(State(db, analyst)),
            official=bool(options.get("official")),
            confidence=_text(options, "confidence"),
            source=_text(options, "source"),
            note_=_text(options, "note"),
            at=_text(options, "at"),
            committed=begun,
        ),
    )


def _work(
    db: str | None, analyst: str | None, work: Callable[[Database, Callable[[], None]], None]
) -> int | None:
    """Open the database and do the work. Until `begun` is called (the tally counted, the vote
    committed), an error leaves the command to the Typer path; after it, the command ends here
    as the Typer path would end it."""
    from oastrack.cli.plain import State, ending, open_store

    past: list[bool] = []
    store: Database | None = None
    try:
        store = open_store(State(db, analyst), setup=False)
        work(store, lambda: past.append(True))
    except (Exception, KeyboardInterrupt) as error:
        if not past and not isinstance(error, KeyboardInterrupt):
            return None
        code = ending(error)
        if code is None:
            raise
        return code
    finally:
        if store is not None:
            store.close()
    return 0
