"""Where the schema stands: the revisions this code knows, the check every command makes, and
the upgrade (Alembic, imported only when a migration runs)."""

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


def _transactional_ddl(engine: Any) -> None:
    """Make pysqlite run DDL inside the transaction, so a failed migration leaves no trace."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediately(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the schema to `revision`; returns (before, after). Refuses unknown revisions."""
    before = refuse_foreign(db).revision
    if before is not None and before not in REVISIONS:
        check(db)  # raises: newer than this code
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(db.target.url)
    if db.backend == "sqlite":
        _transactional_ddl(engine)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(db.target.url, connection), revision)
    finally:
        engine.dispose()
    after = current_revision(db)
    assert after is not None
    return before, after
