"""Where the schema stands: the revisions this code knows, the check every command makes, and
the upgrade (Alembic, imported only when a migration runs, on the command's own connection and
inside its transaction)."""

from __future__ import annotations

from typing import Any

from oastrack.errors import DatabaseError
from oastrack.store.db import Database
from oastrack.store.revisions import (
    HEAD,
    REVISIONS,
    Contents,
    foreign,
    migrations_dir,
    read_contents,
    seed_path,
)

__all__ = ["HEAD", "REVISIONS", "migrations_dir", "seed_path"]


def contents(db: Database) -> Contents:
    return read_contents(db.all, db.backend)


def refuse_foreign(db: Database) -> Contents:
    """What the database holds; refused when it is another application's."""
    found = contents(db)
    refusal = foreign(found, db.target.display, REVISIONS)
    if refusal is not None:
        raise refusal
    return found


def current_revision(db: Database) -> str | None:
    """The revision the database is stamped with; None when it has no oastrack schema."""
    return contents(db).revision


def holds_nothing(db: Database) -> bool:
    """The schema is there but nothing is in it: no organization and no member. An older
    oastrack created the schema and the seed in two steps, and a kill between them left this;
    such a database is seeded again on first use."""
    return not db.scalar(
        "SELECT (SELECT count(*) FROM organization) + (SELECT count(*) FROM member)"
    )


def check(db: Database) -> None:
    """Refuse a database whose schema is missing, older or newer than this code."""
    revision = refuse_foreign(db).revision
    where = db.target.display
    if revision == HEAD:
        return
    if revision is None:
        raise DatabaseError(
            f"{where} has no oastrack schema",
            hint=f"create it with: oastrack --db {where} init",
        )
    if revision in REVISIONS:
        raise DatabaseError(
            f"{where} is at schema revision {revision}, older than this oastrack ({HEAD})",
            hint=f"upgrade it with: oastrack --db {where} db upgrade",
        )
    raise DatabaseError(
        f"{where} is at schema revision {revision}, which this oastrack does not know: "
        "it has oastrack's tables, so a newer version wrote it; it was left untouched",
        hint="upgrade oastrack (pip install -U oastrack) to use this database",
    )


def alembic_config(url: str, connection: Any = None) -> Any:
    """An Alembic Config for our migrations; `connection`, if given, is used as it is."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # ConfigParser treats % as interpolation: escape it (URLs may hold %-escapes).
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class _Borrowed:
    """Our DB-API connection lent to SQLAlchemy: it may run statements, but the transaction
    stays ours (commit, rollback and close are the command's, not Alembic's)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass


def _run_alembic(db: Database, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    borrowed = _Borrowed(db.driver_connection())
    # The URL names the dialect only: the connection is already open.
    url = "sqlite://" if db.backend == "sqlite" else "postgresql+psycopg://"
    # psycopg's type lookup wants its own Connection class, not the borrowed one.
    options: dict[str, Any] = {} if db.backend == "sqlite" else {"use_native_hstore": False}
    engine = create_engine(url, creator=lambda: borrowed, poolclass=StaticPool, **options)
    try:
        with engine.connect() as connection:
            command.upgrade(alembic_config(url, connection), revision)
    finally:
        engine.dispose()


def migrate(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the schema to `revision` inside the caller's `change_schema` transaction;
    returns (before, after). Refuses another application's database and newer revisions."""
    before = refuse_foreign(db).revision
    if before is not None and before not in REVISIONS:
        check(db)  # raises: newer than this code
    if not (before == HEAD and revision in ("head", HEAD)):
        _run_alembic(db, revision)
    after = current_revision(db)
    assert after is not None, "Alembic left no revision"
    return before, after


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the schema to `revision` in one transaction of its own; returns (before, after)."""
    return db.change_schema(lambda: migrate(db, revision))
