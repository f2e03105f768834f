"""Shell completion of resolution, member and bloc codes, and the arguments every command that
takes a code shares (declared once here)."""

from __future__ import annotations

import os
from typing import Annotated

import typer


def _codes(ctx: typer.Context, incomplete: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """Codes starting with what was typed, read with one query from the database the command
    line names (--db, OASTRACK_DB, else the default file). Never fails, never creates a file."""
    try:
        from oastrack.cli.common import default_database_path
        from oastrack.store.completion import codes
        from oastrack.store.db import Database, parse_target

        given = ctx.find_root().params.get("db") or os.environ.get("OASTRACK_DB")
        db = Database.open(parse_target(given or default_database_path()), create=False)
        try:
            found = db.read(lambda: codes(db, kinds))
        finally:
            db.close()
        # Codes are stored in capitals; shells (and Typer) match the typed prefix as it is.
        return [
            (found_code, name) for found_code, name in found if found_code.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the user's shell
        return []


def complete_resolution(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Resolution codes, for shell completion."""
    return _codes(ctx, incomplete, ("resolution",))


def complete_member(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Member codes, for shell completion."""
    return _codes(ctx, incomplete, ("member",))


def complete_bloc(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Bloc codes, for shell completion."""
    return _codes(ctx, incomplete, ("bloc",))


def complete_member_or_bloc(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Member and bloc codes, for shell completion."""
    return _codes(ctx, incomplete, ("member", "bloc"))


ResolutionArgument = Annotated[
    str,
    typer.Argument(
        metavar="RES", help="The resolution's code.", autocompletion=complete_resolution
    ),
]
MemberArgument = Annotated[
    str,
    typer.Argument(metavar="CODE", help="A member's code.", autocompletion=complete_member),
]
BlocArgument = Annotated[
    str,
    typer.Argument(
        metavar="CODE", help="The bloc's code, e.g. CARICOM.", autocompletion=complete_bloc
    ),
]


def member_argument(help: str) -> typer.models.ArgumentInfo:
    """An optional member code argument, with completion."""
    found: typer.models.ArgumentInfo = typer.Argument(
        metavar="CODE", help=help, show_default=False, autocompletion=complete_member
    )
    return found


SinceOption = Annotated[
    str | None,
    typer.Option(metavar="DATE", help="Only official votes at meetings from this date on."),
]

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="TIME", help="Replay history: the tally as it stood then."),
]
