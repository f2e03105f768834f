"""The connection: a thin layer over the DB-API drivers (sqlite3, psycopg).

Commands talk to the database through here with constant, parameterised SQL. SQLAlchemy and
SQLModel define the schema and run the migrations, but are not imported on this path: importing
SQLAlchemy alone takes longer than a whole tally should.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from oastrack.errors import DatabaseError, OastrackError

T = TypeVar("T")
Backend = Literal["sqlite", "postgresql"]


def _busy_timeout_ms() -> int:
    raw = os.environ.get("OASTRACK_BUSY_TIMEOUT_MS", "30000")
    try:
        return max(0, int(raw))
    except ValueError:
        return 30000  # an unreadable setting falls back to the default rather than failing


BUSY_TIMEOUT_MS = _busy_timeout_ms()
PG_RETRIES = 8


@dataclass(frozen=True)
class Target:
    """Where the database is: a SQLite file (or memory) or a PostgreSQL server."""

    backend: Backend
    url: str  # a SQLAlchemy URL, for Alembic
    path: Path | None = None  # SQLite file; None for memory or PostgreSQL
    conninfo: str | None = None  # PostgreSQL, for psycopg

    @property
    def display(self) -> str:
        """The target as it may be shown: the path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return redact(self.url)


def redact(url: str) -> str:
    """Hide the password of a URL (`postgresql://ann:***@host/db`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable database URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{userinfo}:***@{netloc[1]}"))


def parse_target(text: str) -> Target:
    """Read `--db`: a SQLAlchemy URL or a plain path to a SQLite file."""
    if "://" not in text:
        path = Path(text).expanduser()
        return Target("sqlite", f"sqlite:///{path}", path=path)
    scheme = text.split("://", 1)[0].lower()
    if scheme in ("sqlite", "sqlite+pysqlite"):
        rest = text.split("://", 1)[1]
        if rest in ("", "/", "/:memory:"):
            return Target("sqlite", "sqlite://")
        if not rest.startswith("/"):
            raise DatabaseError(
                f"cannot read the SQLite URL {text!r}",
                hint="write sqlite:///relative/path.db or sqlite:////absolute/path.db",
            )
        path = Path(unquote(rest[1:].split("?", 1)[0])).expanduser()
        return Target("sqlite", f"sqlite:///{path}", path=path)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        parts = urlsplit(text)
        conninfo = urlunsplit(parts._replace(scheme="postgresql"))
        url = urlunsplit(parts._replace(scheme="postgresql+psycopg"))
        return Target("postgresql", url, conninfo=conninfo)
    raise DatabaseError(
        f"unsupported database {redact(text)!r}",
        hint="use a SQLite path or URL (sqlite:///x.db) or postgresql+psycopg://user@host/db",
    )


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
    def _transaction(self, write: bool) -> Iterator[None]:
        if self._in_transaction:  # nested: part of the enclosing transaction
            yield
            return
        if self.backend == "sqlite":
            begin = "BEGIN IMMEDIATE" if write else "BEGIN"
        else:
            begin = (
                "BEGIN ISOLATION LEVEL SERIALIZABLE"
                if write
                else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            )
        self._begin(begin)
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            self._conn.execute("ROLLBACK")
            raise
        self._in_transaction = False
        self._conn.execute("COMMIT")

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

    def read(self, work: Callable[[], T]) -> T:
        """Run `work` in one read transaction, so that it sees one state of the database."""
        with self._transaction(write=False):
            return work()

    def write(self, work: Callable[[], T]) -> T:
        """Run `work` in one write transaction: all of it is kept, or none of it.

        On PostgreSQL the whole transaction is run again after a serialization failure or a
        deadlock, a bounded number of times; `work` must not have effects outside the database.
        """
        attempt = 0
        while True:
            try:
                with self._transaction(write=True):
                    return work()
            except Exception as error:
                attempt += 1
                if getattr(error, "sqlstate", None) == "55P03":  # lock_timeout expired
                    raise DatabaseError(
                        f"the database {self.target.display} is busy: a lock could not be had "
                        f"within {BUSY_TIMEOUT_MS / 1000:g} s; nothing was written",
                        hint="try again, or raise OASTRACK_BUSY_TIMEOUT_MS",
                    ) from None
                if self.backend != "postgresql" or not _is_retryable(error):
                    raise
                if attempt >= PG_RETRIES:
                    raise DatabaseError(
                        f"gave up after {attempt} attempts: other writers kept conflicting; "
                        "nothing was written",
                        hint="try again",
                    ) from None
                time.sleep(random.uniform(0, 0.05 * 2**attempt))


def _connect_sqlite(target: Target, *, create: bool) -> sqlite3.Connection:
    path = target.path
    if path is not None:
        if not path.exists():
            if not create:
                raise DatabaseError(
                    f"no database at {path}",
                    hint=f"create it with: oastrack --db {path} init",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            # Private from the first byte: SQLite gives the -wal and -shm files the same mode.
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        elif path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a database file")
    if sqlite3.sqlite_version_info < (3, 39):
        raise DatabaseError(
            f"SQLite {sqlite3.sqlite_version} is too old: oastrack needs 3.39 or newer",
            hint="use a Python built with a newer SQLite",
        )
    location = str(path) if path is not None else ":memory:"
    try:
        conn = sqlite3.connect(
            location,
            isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        conn.execute("PRAGMA foreign_keys = ON")
        # An empty file that is not being created is left as it is (the schema check refuses it).
        if path is not None and (create or path.stat().st_size > 0):
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        # Safe with WAL: a crash of the process loses nothing committed.
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"cannot open {target.display}: {error}") from None
    return conn


def _connect_postgresql(target: Target) -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            "PostgreSQL support is not installed",
            hint="pip install 'oastrack[postgres]'",
        ) from None
    assert target.conninfo is not None
    try:
        # Client-side binding: parameters become literals, so NULLs and dates need no type hints.
        conn = psycopg.connect(
            target.conninfo,
            autocommit=True,
            connect_timeout=10,
            cursor_factory=psycopg.ClientCursor,
        )
    except psycopg.OperationalError as error:
        reason = _first_line(str(error)).replace(target.conninfo, target.display)
        reason = re.sub(r"password=\S+", "password=***", reason)
        raise DatabaseError(f"cannot connect to {target.display}: {reason}") from None
    # Wait for a lock as long as SQLite would, then give up with one clear line.
    conn.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS:d}")
    return conn


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"


def translate_error(error: BaseException) -> OastrackError | None:
    """A driver's error as one line for the user, with any password hidden; None when the
    error is not the database's."""
    if isinstance(error, sqlite3.DatabaseError):
        return OastrackError(f"database error: {error}")
    if type(error).__module__.startswith("psycopg"):
        return OastrackError(f"database error: {redact(str(error).strip())}")
    return None
