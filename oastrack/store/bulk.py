"""Bulk writes of positions: driver-level, in the caller's transaction, duplicates skipped."""

from __future__ import annotations

from typing import Any

from oastrack.core.values import stored_time
from oastrack.store.db import Database
from oastrack.store.votes import INSERT_POSITION, now_utc
from oastrack.store.votes import POSITION_COLUMNS as COLUMNS


class PositionWriter:
    """Collects position rows and writes them; counts the rows actually added.

    A small batch goes straight in with `executemany`. A large one is staged: chunks are
    appended to a temporary table with no index (SQLite: `executemany`; PostgreSQL: COPY),
    then moved into `position` by one INSERT … SELECT … ORDER BY … ON CONFLICT DO NOTHING, so
    the indexes are filled in their own order rather than at random (a file like the UN data,
    not grouped by roll call, otherwise costs an index page read per row). The order keeps the
    rows of one member in file order, so the later record still gets the higher id.
    """

    CHUNK = 50_000
    # SQLite page cache for a bulk write, in KiB (measured: 32 MiB is as fast as 64 here).
    CACHE_KIB = 32 * 1024
    STAGING = (
        "CREATE TEMPORARY TABLE position_load (resolution_id integer, member_id integer,"
        " position varchar, kind varchar, recorded_at timestamp, analyst varchar,"
        " confidence double precision, source text, note text, fingerprint bigint,"
        " logged_at timestamp)"
    )

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: list[tuple[Any, ...]] = []
        self.added = 0
        self.written = 0
        self._staged = False
        self.logged_at = stored_time(now_utc())

    def add(self, row: tuple[Any, ...]) -> None:
        """Queue one row of the first ten position columns; `logged_at` is added here."""
        self.pending.append((*row, self.logged_at))
        if len(self.pending) >= self.CHUNK:
            self._stage()

    def _stage(self) -> None:
        if not self._staged:
            if self.db.backend == "sqlite":
                self.db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB:d}")
                self.db.execute(self.STAGING)
            else:
                self.db.execute(self.STAGING + " ON COMMIT DROP")
            self._staged = True
        if self.db.backend == "sqlite":
            self.db.executemany(
                f"INSERT INTO temp.position_load ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?)",
                self.pending,
            )
        else:
            self.db.copy_rows(f"COPY position_load ({COLUMNS}) FROM STDIN", self.pending)
        self.written += len(self.pending)
        self.pending = []

    def flush(self) -> None:
        """Write everything queued; call once at the end of the import."""
        if not self._staged:
            if self.pending:
                self.added += self.db.executemany(INSERT_POSITION, self.pending)
                self.written += len(self.pending)
                self.pending = []
            return
        self._stage()
        order = "rowid" if self.db.backend == "sqlite" else "ctid"
        self.added += self.db.execute(
            f"INSERT INTO position ({COLUMNS}) SELECT {COLUMNS} FROM position_load"
            f" WHERE true ORDER BY resolution_id, member_id, {order} ON CONFLICT DO NOTHING"
        )
        self.db.execute("DROP TABLE position_load")
        self._staged = False
