"""The connection: a thin layer over the DB-API drivers (sqlite3, psycopg).

Commands talk to the database through here with constant, parameterised SQL. SQLAlchemy and
SQLModel define the schema and run the migrations, but are not imported on this path: importing
SQLAlchemy alone takes longer than a whole tally should.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from oastrack.errors import DatabaseError
from oastrack.store import revisions
from oastrack.store.failures import first_line, translate_error
from oastrack.store.targets import Backend, Target, parse_target, redact, scrub

__all__ = ["Backend", "Database", "Target", "parse_target", "redact", "translate_error"]

T = TypeVar("T")
Kind = Literal["read", "write", "schema"]


def _busy_timeout_ms() -> int:
    raw = os.environ.get("OASTRACK_BUSY_TIMEOUT_MS", "30000")
    try:
        return max(0, int(raw))
    except ValueError:
        return 30000  # an unreadable setting falls back to the default rather than failing


BUSY_TIMEOUT_MS = _busy_timeout_ms()
PG_RETRIES = 8
# The PostgreSQL advisory lock that schema changes take (per database): "oast".
SCHEMA_LOCK = 0x6F617374


@lru_cache(maxsize=512)
def _to_pyformat(sql: str) -> str:
    # Our SQL is constant and has no '?' or '%' inside literals, so this is exact.
    return sql.replace("%", "%%").replace("?", "%s")


def _is_retryable(error: BaseException) -> bool:
    sqlstate = getattr(error, "sqlstate", None)
    return sqlstate in ("40001", "40P01")  # serialization failure, deadlock detected


class Database:
    """One connection, with one write transaction per command."""

    def __init__(self, target: Target, connection: Any) -> None:
        self.target = target
        self.backend: Backend = target.backend
        self._conn = connection
        self._in_transaction = False

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, target: Target, *, create: bool = False) -> Database:
        """Connect; a SQLite file is created (mode 0600) only when `create` is set."""
        if target.backend == "sqlite":
            return cls(target, _connect_sqlite(target, create=create))
        return cls(target, _connect_postgresql(target))

    def close(self) -> None:
        self._conn.close()

    # -- statements ------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.backend == "sqlite" else _to_pyformat(sql)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._conn.execute(self._sql(sql), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        cursor = self._conn.execute(self._sql(sql), params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 5000) -> Iterator[Any]:
        """Rows one at a time, fetched in batches: for exports of any size."""
        if self.backend == "postgresql":
            with self._conn.cursor(name="oastrack_stream") as cursor:
                cursor.itersize = size
                cursor.execute(self._sql(sql), params)
                yield from cursor
            return
        cursor = self._conn.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield from batch

    def batches(
        self, sql: str, params: Sequence[Any] = (), size: int = 50_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Rows a list at a time: for a pass over a whole table whose rows are not kept."""
        if self.backend == "postgresql":
            with self._conn.cursor(name="oastrack_batches") as cursor:
                cursor.itersize = size
                cursor.execute(self._sql(sql), params)
                while batch := cursor.fetchmany(size):
                    yield batch
            return
        cursor = self._conn.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        cursor = self._conn.execute(self._sql(sql), params)
        rowcount: int = cursor.rowcount
        return rowcount

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an `INSERT … RETURNING id` and return the id."""
        row = self.one(sql, params)
        assert row is not None, "INSERT … RETURNING gave no row"
        return int(row[0])

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement for many rows; returns the number of rows changed."""
        if self.backend == "sqlite":
            cursor = self._conn.executemany(sql, rows)
            return int(cursor.rowcount)
        with self._conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), list(rows))
            return int(cursor.rowcount)

    def copy_rows(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """PostgreSQL: stream rows through COPY … FROM STDIN (the fast bulk path)."""
        assert self.backend == "postgresql"
        with self._conn.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def copy_text(self, sql: str, data: str) -> None:
        """PostgreSQL: COPY … FROM STDIN of text already in COPY's text format (rows built by
        one join in the caller cost less than a row at a time through the driver)."""
        assert self.backend == "postgresql"
        with self._conn.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(data)

    def refresh_statistics(self) -> None:
        """After a bulk import, once committed: give the query planner the new tables' sizes.

        PostgreSQL plans the first query after a large load from the statistics of the empty
        tables until autovacuum comes round (if it runs at all): `align` took minutes instead of
        seconds. SQLite's `PRAGMA optimize` skips tables this connection has not queried, so a
        sampled ANALYZE first. Statistics are a hint: failing to refresh them does not fail an
        import that is already committed.
        """
        try:
            if self.backend == "postgresql":
                self._conn.execute("ANALYZE")
                return
            self._conn.execute("PRAGMA analysis_limit = 1000")
            self._conn.execute("ANALYZE")
            self._conn.execute("PRAGMA optimize")
        except Exception as error:
            if translate_error(error) is None:
                raise

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def _transaction(self, kind: Kind) -> Iterator[None]:
        if self._in_transaction:  # nested: part of the enclosing transaction
            yield
            return
        sqlite = self.backend == "sqlite"
        # Migrations copy tables (batch mode); SQLite's own recipe turns foreign keys off
        # around that and checks them before the commit. It takes effect outside a transaction
        # only, and is needed only when a migration may run.
        keys_off = kind == "schema" and sqlite and self._behind_head()
        if keys_off:
            self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            self._begin(_BEGIN["sqlite" if sqlite else "postgresql"][kind])
            self._in_transaction = True
            try:
                if kind == "schema" and not sqlite:
                    # Two `init` at once: the second waits here, then finds the work done.
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                yield
                if keys_off:
                    self._check_foreign_keys()
                self._conn.execute("COMMIT")
            except BaseException:
                self._abort()
                raise
            finally:
                self._in_transaction = False
        finally:
            if keys_off:
                self._conn.execute("PRAGMA foreign_keys = ON")

    def _behind_head(self) -> bool:
        """Whether the SQLite database is not yet at the newest revision (or has no schema)."""
        try:
            found = self._conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.OperationalError:  # no such table: a new database
            return True
        return [tuple(row) for row in found] != [(revisions.HEAD,)]

    def _abort(self) -> None:
        """Roll back, if there is still something to roll back, without hiding the error that
        brought us here (SQLite itself rolls back after a full disk)."""
        if self.backend == "sqlite":
            active = bool(self._conn.in_transaction)
        else:
            active = self._conn.info.transaction_status != 0  # not IDLE
        if not active:
            return
        with suppress(Exception):  # the first error is the one to report
            self._conn.execute("ROLLBACK")

    def _check_foreign_keys(self) -> None:
        broken = self._conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = ", ".join(sorted({str(row[0]) for row in broken}))
            raise DatabaseError(
                f"the schema change would leave {len(broken)} rows of {tables} pointing at "
                f"nothing in {self.target.display}; nothing was written"
            )

    def _begin(self, statement: str) -> None:
        try:
            self._conn.execute(statement)
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise DatabaseError(
                    f"the database {self.target.display} is busy: another writer held it "
                    f"for more than {BUSY_TIMEOUT_MS / 1000:g} s; nothing was written",
                    hint="try again, or raise OASTRACK_BUSY_TIMEOUT_MS",
                ) from None
            raise

    def notifications(self) -> list[str]:
        """PostgreSQL: the payloads of the notifications this connection has received (after a
        LISTEN), without waiting; SQLite has none."""
        if self.backend != "postgresql":
            return []
        return [note.payload for note in self._conn.notifies(timeout=0.0)]

    def _explained(self, error: Exception) -> Exception:
        """The error as the user should see it: one line naming this database."""
        translated = translate_error(error, self.target.display)
        return error if translated is None else translated

    def read(self, work: Callable[[], T]) -> T:
        """Run `work` in one read transaction, so that it sees one state of the database."""
        try:
            with self._transaction("read"):
                return work()
        except Exception as error:
            raise self._explained(error) from None

    def write(self, work: Callable[[], T]) -> T:
        """Run `work` in one write transaction: all of it is kept, or none of it.

        On PostgreSQL the whole transaction is run again after a serialization failure or a
        deadlock, a bounded number of times; `work` must not have effects outside the database.
        """
        return self._retrying("write", work)

    def change_schema(self, work: Callable[[], T]) -> T:
        """Run `work`, which may change the schema, in one write transaction: the migrations
        and whatever follows them (the seed) are kept together, or not at all.

        SQLite takes the write lock at once; PostgreSQL runs at READ COMMITTED behind an
        advisory lock, so a second `init` waits for the first and then sees what it did.
        """
        return self._retrying("schema", work)

    def driver_connection(self) -> Any:
        """The DB-API connection, for Alembic to run on inside a transaction of ours."""
        return self._conn

    def _retrying(self, kind: Kind, work: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                with self._transaction(kind):
                    return work()
            except Exception as error:
                attempt += 1
                if _sqlstate(error) == "55P03":  # lock_timeout expired
                    raise DatabaseError(
                        f"the database {self.target.display} is busy: a lock could not be had "
                        f"within {BUSY_TIMEOUT_MS / 1000:g} s; nothing was written",
                        hint="try again, or raise OASTRACK_BUSY_TIMEOUT_MS",
                    ) from None
                if self.backend != "postgresql" or not _is_retryable(error):
                    raise self._explained(error) from None
                if attempt >= PG_RETRIES:
                    raise DatabaseError(
                        f"gave up after {attempt} attempts: other writers kept conflicting; "
                        "nothing was written",
                        hint="try again",
                    ) from None
                import random  # only after a conflict

                time.sleep(random.uniform(0, 0.05 * 2**attempt))


_BEGIN: dict[str, dict[Kind, str]] = {
    "sqlite": {"read": "BEGIN", "write": "BEGIN IMMEDIATE", "schema": "BEGIN IMMEDIATE"},
    "postgresql": {
        "read": "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        "write": "BEGIN ISOLATION LEVEL SERIALIZABLE",
        "schema": "BEGIN ISOLATION LEVEL READ COMMITTED",
    },
}


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of a psycopg error, also when SQLAlchemy (under Alembic) wrapped it."""
    found = getattr(error, "sqlstate", None) or getattr(
        getattr(error, "orig", None), "sqlstate", None
    )
    return str(found) if found else None


def _make_private_dirs(directory: Path) -> None:
    """Create the missing directories of `directory`, each 0700 whatever the umask."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another oastrack
            continue
        created.chmod(0o700)  # mkdir's mode passes through the umask


def _connect_sqlite(target: Target, *, create: bool) -> sqlite3.Connection:
    path = target.path
    assert path is not None, "a SQLite target is a file"
    if not path.exists():
        if not create:
            raise DatabaseError(
                f"no database at {path}",
                hint=f"create it with: oastrack --db {path} init",
            )
        _make_private_dirs(path.parent)
        # Private from the first byte: SQLite gives the -wal and -shm files the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    elif path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file")
    elif not path.is_file():
        raise DatabaseError(f"{path} is not a regular file, so it cannot hold a database")
    if sqlite3.sqlite_version_info < (3, 39):
        raise DatabaseError(
            f"SQLite {sqlite3.sqlite_version} is too old: oastrack needs 3.39 or newer",
            hint="use a Python built with a newer SQLite",
        )
    try:
        conn = sqlite3.connect(
            str(path),
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise DatabaseError(f"cannot open {target.display}: {error}") from None
    try:
        # Settings of this connection only: the file is not written.
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Another application's file is refused before anything could change it.
        contents = revisions.read_contents(lambda sql: conn.execute(sql).fetchall(), "sqlite")
        refusal = revisions.foreign(contents, target.display, revisions.REVISIONS)
        if refusal is not None:
            raise refusal
        # An empty file that is not being created is left as it is (the schema check refuses it).
        if create or path.stat().st_size > 0:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        # Safe with WAL: a crash of the process loses nothing committed.
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException as error:
        conn.close()
        if isinstance(error, sqlite3.DatabaseError):
            raise DatabaseError(f"cannot open {target.display}: {error}") from None
        raise
    return conn


def _connect_postgresql(target: Target) -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            "PostgreSQL support is not installed",
            hint="pip install 'oastrack[postgres]'",
        ) from None
    # The parts, never the text: libpq cannot misread a password or echo it back.
    params: dict[str, Any] = {"connect_timeout": 10, **target.connect_params}
    try:
        # Client-side binding: parameters become literals, so NULLs and dates need no type hints.
        conn = psycopg.connect(autocommit=True, cursor_factory=psycopg.ClientCursor, **params)
    except psycopg.Error as error:
        reason = scrub(first_line(str(error)))
        raise DatabaseError(f"cannot connect to {target.display}: {reason}") from None
    # Wait for a lock as long as SQLite would, then give up with one clear line.
    conn.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS:d}")
    return conn
