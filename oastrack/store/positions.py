"""The `position` table: logged positions, append-only. Its writing: one record
(`log_positions`) or many (`PositionWriter`), and which members a code stands for. Reading the
records is `store.records`; the two together are the only places with this table's SQL.
"""

from __future__ import annotations

import sqlite3
from _blake2 import blake2b  # hashlib's own blake2b, without loading OpenSSL for a tally
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oastrack.core.positions import Kind, Position, check_recordable
from oastrack.core.reports import MeetingInfo, ResolutionInfo
from oastrack.core.values import clean_text, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import blocs, members, resolutions, watch
from oastrack.store.columns import (
    COLUMNS,
    IDENTITY_FIELDS,
    POSITION_IDENTITY,
    POSITION_INDEXES,
    POSITION_STAGING,
)
from oastrack.store.db import Database

# The columns a writer fills, in schema order (every one but the id).
FIELDS: tuple[str, ...] = COLUMNS["position"]
_NAMES = ", ".join(FIELDS)
_MARKS = ", ".join("?" for _ in FIELDS)
INSERT = f"INSERT INTO position ({_NAMES}) VALUES ({_MARKS}) ON CONFLICT DO NOTHING"
_IDENTITY_MARKS = ", ".join("?" for _ in range(len(IDENTITY_FIELDS) + 1))


def now_utc() -> datetime:
    """The current time in UTC, without a zone, as oastrack stores times."""
    return datetime.now(UTC).replace(tzinfo=None)


def fingerprint(
    position: str,
    kind: str,
    recorded_at: str,
    confidence: float | None,
    source: str | None,
    note: str | None,
) -> int:
    """What makes two records of one member on one resolution the same, as a signed 64-bit hash.

    Two records are the same when position, kind, time, confidence, source and note all match;
    who logged it does not count, so re-importing a file adds nothing whoever runs it.
    """
    text = "\x1f".join(
        (
            position,
            kind,
            recorded_at,
            "" if confidence is None else repr(confidence),
            source or "",
            note or "",
        )
    )
    digest = blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# -- one record at a time ---------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    resolution: str
    position: str
    kind: str
    recorded_at: datetime
    added: list[str]
    already: list[str]
    skipped: list[str] = field(default_factory=list)
    meeting: MeetingInfo | None = None
    ids: list[int] = field(default_factory=list)  # of the records added, for an undo


def eligible(db: Database, res: ResolutionInfo) -> list[tuple[int, str, str]]:
    """(id, code, name) of the members eligible at the resolution's meeting, by code."""
    return members.eligible_members(db, res.meeting.organization_id, res.meeting.start)


def expand_codes(
    db: Database, res: ResolutionInfo, codes: Iterable[str]
) -> tuple[list[tuple[int, str]], list[str]]:
    """Members named directly or through a bloc, in order, each once; ineligible bloc members
    are skipped (and listed), an ineligible member named directly is an error."""
    by_code = {code: mid for mid, code, _ in eligible(db, res)}
    meeting = res.meeting
    chosen: dict[str, int] = {}
    skipped: list[str] = []
    for code in codes:
        member = members.find(db, code)
        if member is not None:
            if code not in by_code:
                raise InvalidInput(_not_eligible(db, res, member.id, code))
            chosen.setdefault(code, by_code[code])
            continue
        bloc = blocs.find_id(db, code)
        if bloc is None:
            raise NotFound(
                f"no member or bloc {code!r}", hint="see: oastrack member list, oastrack bloc list"
            )
        in_bloc = blocs.members_on(db, bloc, meeting.start)
        if not in_bloc:
            raise InvalidInput(f"bloc {code} has no members on {meeting.start}")
        for _, member_code in in_bloc:
            if member_code in by_code:
                chosen.setdefault(member_code, by_code[member_code])
            elif member_code not in skipped:
                skipped.append(member_code)
    return [(mid, code) for code, mid in chosen.items()], skipped


def _not_eligible(db: Database, res: ResolutionInfo, member: int, code: str) -> str:
    status = members.status_on(db, res.meeting.organization_id, member, res.meeting.start)
    org, on = res.meeting.organization, res.meeting.start
    if status is None:
        return f"{code} is not a member of {org} on {on}"
    return f"{code} is not an active member of {org} on {on} ({status})"


def log_positions(
    db: Database,
    resolution: str,
    position: Position,
    codes: list[str],
    *,
    kind: Kind,
    recorded_at: datetime,
    analyst: str,
    confidence: float | None,
    source: str | None,
    note: str | None,
) -> Logged:
    """Append one record per member (a bloc stands for its members on the meeting's date)."""
    try:
        check_recordable(position.value, kind.value)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    res = resolutions.get(db, resolution)
    chosen, skipped = expand_codes(db, res, codes)
    at = stored_time(recorded_at)
    source, note = clean_text(source), clean_text(note)
    mark = fingerprint(position.value, kind.value, at, confidence, source, note)
    logged_at = stored_time(now_utc())
    added: list[str] = []
    already: list[str] = []
    ids: list[int] = []
    for member, code in chosen:
        values = (res.id, member, position.value, kind.value, at, analyst, confidence, source)
        row = db.one(f"{INSERT} RETURNING id", (*values, note, mark, logged_at))
        if row is not None:
            ids.append(int(row[0]))
        (added if row is not None else already).append(code)
    if added:
        watch.announce(db, res.code)
    return Logged(
        res.code, position.value, kind.value, recorded_at, added, already, skipped, res.meeting, ids
    )


# -- many records -----------------------------------------------------------------------------


class PositionWriter:
    """Collects position rows and writes them; counts the rows actually added.

    A row is kept narrow: its resolution, its member and the number of its *identity*, the
    rest of its fields (position, kind, time, analyst, confidence, source, note, fingerprint),
    each distinct identity numbered once (a file of 870,000 votes has a handful). A small batch
    goes straight in with `executemany`. A large one is staged: the narrow rows are appended to
    a temporary table with no index (SQLite: `executemany` of three integers; PostgreSQL: COPY
    of text built in one join), the identities to another, then everything moves into
    `position` by one INSERT … SELECT … JOIN … ORDER BY … ON CONFLICT DO NOTHING, so the indexes
    are filled in their own order rather than at random. The order keeps the rows of one
    member in file order, so the later record still gets the higher id. On SQLite, into an
    empty table (a first import), the indexes are dropped and built once after the rows.

    With `outside`, rows are staged before the write transaction begins (SQLite's temporary
    tables are the connection's own and take no lock on the database; PostgreSQL's table lives
    for the session, so a retried transaction finds it whole), and members and resolutions the
    import will create are named by negative placeholder ids, mapped to their ids in `flush`.
    """

    CHUNK = 50_000
    # SQLite page cache for a bulk write, in KiB (measured: 32 MiB is as fast as 64 here).
    CACHE_KIB = 32 * 1024
    # Identities remembered for reuse; beyond, a repeated one is numbered again (harmless).
    REMEMBERED = 100_000

    def __init__(self, db: Database, *, outside: bool = False) -> None:
        self.db = db
        self.outside = outside
        # (resolution, member, identity) of the rows not yet staged; cleared in place, so a
        # caller may keep its `append`.
        self.pending: list[tuple[int, int, int]] = []
        self.added = 0
        self.written = 0
        self._staged = False
        self._staged_rows = 0  # rows in the staging table (staged outside: kept over a retry)
        self._numbers: dict[tuple[Any, ...], int] = {}
        self._identities: list[tuple[Any, ...]] = []  # (number, *fields) not yet staged
        self._count = 0
        self.logged_at = stored_time(now_utc())

    def identity(self, fields: tuple[Any, ...]) -> int:
        """The number of an identity (IDENTITY_FIELDS, in order), given it once."""
        number = self._numbers.get(fields)
        if number is None:
            self._count += 1
            number = self._count
            if len(self._numbers) >= self.REMEMBERED:
                self._numbers.clear()
            self._numbers[fields] = number
            self._identities.append((number, *fields))
        return number

    def add(self, row: tuple[Any, ...]) -> None:
        """Queue one row of every position field but `logged_at`, which is the writer's."""
        self.pending.append((row[0], row[1], self.identity(tuple(row[2:]))))
        if len(self.pending) >= self.CHUNK:
            self.stage()

    def stage(self) -> None:
        """Append the pending rows (and their new identities) to the staging tables."""
        db = self.db
        sqlite = db.backend == "sqlite"
        if not self._staged:
            self._drop()
            if sqlite:
                db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB:d}")
            end = "" if sqlite or self.outside else " ON COMMIT DROP"
            db.execute(POSITION_STAGING + end)
            db.execute(POSITION_IDENTITY + end)
            self._staged = True
        if sqlite:
            # Outside: one transaction per chunk, not per row; it writes only the connection's
            # own temporary database, so it takes no lock on the database itself.
            if self.outside:
                db.execute("BEGIN")
            db.executemany(
                f"INSERT INTO temp.position_identity VALUES ({_IDENTITY_MARKS})", self._identities
            )
            db.executemany("INSERT INTO temp.position_load VALUES (?, ?, ?)", self.pending)
            if self.outside:
                db.execute("COMMIT")
        else:
            db.copy_rows("COPY position_identity FROM STDIN", self._identities)
            db.copy_text(
                "COPY position_load FROM STDIN",
                "".join([f"{r}\t{m}\t{i}\n" for r, m, i in self.pending]),
            )
        self._staged_rows += len(self.pending)
        self._identities = []
        self.pending.clear()

    def stage_rest(self) -> None:
        """Outside: stage the last rows too once staging has begun, so that nothing the merge
        needs is written inside the transaction (a retried transaction finds it all)."""
        if self._staged and (self.pending or self._identities):
            self.stage()

    def flush(
        self, members: dict[int, int] | None = None, resolutions: dict[int, int] | None = None
    ) -> None:
        """Write everything queued, inside the write transaction; `members` and `resolutions`
        map placeholder ids to the ids created. Safe to run again after a rollback."""
        members, resolutions = members or {}, resolutions or {}
        if not self._staged:
            self._flush_direct(members, resolutions)
            return
        if self.pending or self._identities:
            self.stage()
        self.written = self._staged_rows
        joins, chosen, maps = "", ["l.resolution_id", "l.member_id"], []
        for index, (column, table, mapping) in enumerate(
            (
                ("resolution_id", "resolution_map", resolutions),
                ("member_id", "member_map", members),
            )
        ):
            if mapping:
                maps.append(table)
                self._map(table, mapping)
                joins += f" LEFT JOIN {table} ON {table}.placeholder = l.{column}"
                chosen[index] = f"coalesce({table}.id, l.{column})"
        fields = ", ".join(f"i.{name}" for name in IDENTITY_FIELDS)
        order = "l.rowid" if self.db.backend == "sqlite" else "l.ctid"
        select = (
            f"INSERT INTO position ({_NAMES}) SELECT {chosen[0]}, {chosen[1]}, {fields}, ?"
            f" FROM position_load l JOIN position_identity i ON i.id = l.identity_id{joins}"
            " WHERE true ORDER BY "
        )
        # Into the indexes in their own order, not at random; a member's rows in file order.
        insert = f"{select}1, 2, {order} ON CONFLICT DO NOTHING"
        if self.db.backend == "postgresql":
            # Temporary tables have no statistics until asked: without them the planner takes
            # the staged rows for a handful and joins them row by row.
            self.db.execute(
                "ANALYZE position_load, position_identity" + "".join(f", {t}" for t in maps)
            )
        if self.db.backend == "sqlite" and self.db.one("SELECT 1 FROM position LIMIT 1") is None:
            self.added = self._load_empty(f"{select}{order}", insert)
        else:
            self.added = self.db.execute(insert, (self.logged_at,))
        self._drop()
        if self.added:
            watch.announce(self.db, watch.ANY)

    def _load_empty(self, in_file_order: str, insert: str) -> int:
        """SQLite, into an empty `position` table: the rows first, in file order (so the later
        record of a member still gets the higher id), then the table's indexes, each built once
        from sorted keys instead of filled row by row. When the file holds one record twice,
        the unique index cannot be built: all of it is undone to the savepoint and the rows go
        in by `insert`, with the indexes in place, which keeps the first of the two."""
        db = self.db
        db.execute("SAVEPOINT bulk_load")
        try:
            for name in POSITION_INDEXES:
                db.execute(f"DROP INDEX {name}")
            added = db.execute(in_file_order, (self.logged_at,))
            for create in POSITION_INDEXES.values():
                db.execute(create)
        except sqlite3.IntegrityError:
            db.execute("ROLLBACK TO bulk_load")
            added = db.execute(insert, (self.logged_at,))
        db.execute("RELEASE bulk_load")
        return added

    def _flush_direct(self, members: dict[int, int], resolutions: dict[int, int]) -> None:
        """A batch too small to stage: the rows, whole, by `executemany`."""
        fields = {number: rest for number, *rest in self._identities}
        rows = [
            (resolutions.get(r, r), members.get(m, m), *fields[i], self.logged_at)
            for r, m, i in self.pending
        ]
        self.added = self.db.executemany(INSERT, rows) if rows else 0
        self.written = len(rows)
        if self.added:
            watch.announce(self.db, watch.ANY)

    def _map(self, table: str, mapping: dict[int, int]) -> None:
        """A temporary table of placeholder ids and the ids created for them."""
        sqlite = self.db.backend == "sqlite"
        self.db.execute(
            f"CREATE TEMPORARY TABLE {table} (placeholder integer PRIMARY KEY, id integer)"
            + ("" if sqlite else " ON COMMIT DROP")
        )
        self.db.executemany(f"INSERT INTO {table} VALUES (?, ?)", list(mapping.items()))

    def _drop(self) -> None:
        sqlite = self.db.backend == "sqlite"
        for table in ("position_load", "position_identity", "resolution_map", "member_map"):
            self.db.execute("DROP TABLE IF EXISTS " + ("temp." if sqlite else "") + table)

    def discard(self) -> None:
        """Drop what is staged, outside any transaction: when the import ends, however."""
        self.pending.clear()
        if self._staged:
            self._drop()
            self._staged = False
            self._staged_rows = 0
