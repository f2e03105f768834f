"""`oastrack init` and `oastrack db upgrade|current`: the schema, through Alembic."""

from __future__ import annotations

from typing import Annotated

import typer

from oastrack.cli import messages
from oastrack.cli.common import analyst, done, note, open_database

db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)


def init(
    ctx: typer.Context,
    no_seed: Annotated[
        bool, typer.Option("--no-seed", help="Create the schema only; load no reference data.")
    ] = False,
) -> None:
    """Create or upgrade the schema, and load the reference data: the OAS, the UN Security
    Council and the Council of the EU.

    Running it again changes nothing: the schema is already at the newest revision and the
    reference data already present.
    """
    from oastrack.cli.common import target
    from oastrack.io import seed
    from oastrack.store.db import Database

    where, _ = target(ctx)
    db = Database.open(where, create=True)
    ctx.call_on_close(db.close)
    report = seed.init(db, seed=not no_seed, analyst=analyst(ctx))
    if report.before == report.after:
        note(f"Schema at revision {report.after} (newest) in {where.display}.")
    else:
        done(
            f"Schema upgraded from {report.before or 'nothing'} to {report.after} "
            f"in {where.display}."
        )
    if report.seeded is not None:
        added = sum(report.seeded.added.values())
        if added:
            done(f"Reference data loaded: {messages.listed(report.seeded.added, 'nothing')}.")
        else:
            note("Reference data already present: nothing added.")


def upgrade(ctx: typer.Context) -> None:
    """Upgrade the schema to the newest revision (run after upgrading oastrack)."""
    from oastrack.store import schema

    db = open_database(ctx, check=False)
    before, after = schema.upgrade(db)
    if before == after:
        note(f"Already at the newest revision ({after}).")
    else:
        done(f"Upgraded from {before or 'nothing'} to {after}.")


def current(ctx: typer.Context) -> None:
    """Print the schema revision of the database, and whether it is the newest."""
    from oastrack.store import schema

    db = open_database(ctx, check=False)
    revision = schema.refuse_foreign(db).revision
    if revision is None:
        typer.echo("none (no oastrack schema: run oastrack init)")
    elif revision == schema.HEAD:
        typer.echo(f"{revision} (head)")
    elif revision in schema.REVISIONS:
        typer.echo(f"{revision} (older than head {schema.HEAD}: run oastrack db upgrade)")
    else:
        typer.echo(f"{revision} (unknown to this oastrack {schema.HEAD}: newer code wrote it)")


def register(app: typer.Typer) -> None:
    app.command()(init)
    db_app.command()(upgrade)
    db_app.command()(current)
    app.add_typer(db_app, name="db")
