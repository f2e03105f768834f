"""Bulk writes of positions: driver-level, in the caller's transaction, duplicates skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oastrack.core.values import stored_time
from oastrack.store.db import Database
from oastrack.store.votes import INSERT_POSITION, now_utc
from oastrack.store.votes import POSITION_COLUMNS as COLUMNS


class PositionWriter:
    """Collects position rows and writes them in chunks; counts the rows actually added.

    SQLite: `executemany` of tuples. PostgreSQL: COPY into a temporary table, then one
    INSERT … SELECT … ON CONFLICT DO NOTHING per chunk.
    """

    CHUNK = 50_000
    # SQLite page cache for a bulk write, in KiB: the two position indexes stay in memory.
    CACHE_KIB = 64 * 1024

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: list[Sequence[Any]] = []
        self.added = 0
        self.written = 0
        self._staging = False
        self._cache_set = False
        self.logged_at = stored_time(now_utc())

    def add(self, row: tuple[Any, ...]) -> None:
        """Queue one row of the first ten position columns; `logged_at` is added here."""
        self.pending.append((*row, self.logged_at))
        if len(self.pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if self.db.backend == "sqlite":
            if not self._cache_set:
                self.db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB:d}")
                self._cache_set = True
            # Rows in index order touch each index page once per chunk instead of at random;
            # the sort is stable, so records of one member keep their order (later wins).
            self.pending.sort(key=_index_order)
            self.added += self.db.executemany(INSERT_POSITION, self.pending)
        else:
            self._flush_postgresql()
        self.written += len(self.pending)
        self.pending = []

    def _flush_postgresql(self) -> None:
        if not self._staging:
            self.db.execute(
                "CREATE TEMPORARY TABLE position_load (resolution_id integer, member_id integer,"
                " position varchar, kind varchar, recorded_at timestamp, analyst varchar,"
                " confidence double precision, source text, note text, fingerprint bigint,"
                " logged_at timestamp)"
                " ON COMMIT DROP"
            )
            self._staging = True
        self.db.copy_rows(f"COPY position_load ({COLUMNS}) FROM STDIN", self.pending)
        self.added += self.db.execute(
            f"INSERT INTO position ({COLUMNS}) SELECT {COLUMNS} FROM position_load"
            " ON CONFLICT DO NOTHING"
        )
        self.db.execute("TRUNCATE position_load")


def _index_order(row: Sequence[Any]) -> tuple[int, int]:
    return row[0], row[1]
