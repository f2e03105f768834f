"""What every command shares: the global state, opening the database, formats, messages."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from oastrack.core.values import check_not_future, clean_code, parse_date, parse_time
from oastrack.errors import InvalidInput
from oastrack.render import Format, console, escape, write
from oastrack.store.db import Database, Target, parse_target

if TYPE_CHECKING:
    from oastrack.io.outfile import OutFile

T = TypeVar("T")


@dataclass
class State:
    db: str | None
    analyst: str | None


def default_database_path() -> str:
    from platformdirs import user_data_path

    return str(user_data_path("oastrack", appauthor=False) / "oastrack.db")


def default_analyst() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return os.environ.get("USER") or "unknown"


def state(ctx: typer.Context) -> State:
    found = ctx.find_root().obj
    if not isinstance(found, State):  # a sub-app invoked on its own, as in some tests
        found = State(None, None)
        ctx.find_root().obj = found
    return found


def analyst(ctx: typer.Context) -> str:
    return state(ctx).analyst or default_analyst()


def target(ctx: typer.Context) -> tuple[Target, bool]:
    """The database target, and whether it is the default location."""
    given = state(ctx).db
    if given is not None:  # an empty --db or OASTRACK_DB is refused, not taken as the default
        return parse_target(given), False
    return parse_target(default_database_path()), True


def output_file(ctx: typer.Context, path: str, *, force: bool) -> OutFile:
    """An output file the user named, checked before the database is opened: never the
    database or its companions, never through a symbolic link without --force."""
    from oastrack.io import outfile

    where, _ = target(ctx)
    return outfile.plan(path, protected=outfile.database_files(where.path), force=force)


def write_svg(planned: OutFile | None, picture: str) -> None:
    """An SVG picture to standard output (`--svg -`), or into the file planned (`output_file`),
    whole or not at all."""
    if planned is None:
        write(picture)
        return
    from oastrack.io.outfile import open_text

    with open_text(planned) as handle:
        handle.write(picture)


def open_database(ctx: typer.Context, *, check: bool = True) -> Database:
    """Open the database for a command, closed when the command ends.

    The default SQLite file is created and initialised on first use; a database named with
    --db must exist and be at this version's schema (`oastrack init` makes one).
    """
    where, is_default = target(ctx)
    db = Database.open(where, create=is_default)
    ctx.call_on_close(db.close)
    if not check:
        return db
    from oastrack.store import schema

    if is_default:
        revision = schema.refuse_foreign(db).revision
        # Nothing yet, or a schema an older oastrack left without its seed: set it up now.
        if revision is None or (revision in schema.REVISIONS and schema.holds_nothing(db)):
            from oastrack.io import seed

            report = seed.init(db, seed=True, analyst=analyst(ctx))
            if report.seeded is not None and any(report.seeded.added.values()):
                loaded = "the OAS, the UN Security Council, the Council of the EU"
                note(
                    f"Created the oastrack database at {where.display} "
                    f"(reference data loaded: {loaded})."
                )
    schema.check(db)
    return db


def note(message: str) -> None:
    """A message for people, on stderr (stdout stays clean for the result)."""
    console(stderr=True).print(escape(message), soft_wrap=True)


def done(message: str) -> None:
    console(stderr=True).print(escape(message), style="green", soft_wrap=True)


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


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (for people), json, csv or markdown.",
        case_sensitive=False,
        show_default=False,
    ),
]


LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        metavar="N",
        min=1,
        help="At most N rows: the first N in the listing's order.",
        show_default=False,
    ),
]


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Write through a symbolic link to the file it points to (refused without it). "
        "The database itself is never written.",
    ),
]


def fmt(value: Format | None) -> Format:
    return value or Format.TABLE
