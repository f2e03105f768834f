"""The `position` table: logged positions, append-only. Its writing: one record
(`log_positions`) or many (`PositionWriter`), and which members a code stands for. Reading the
records is `store.records`; the two together are the only places with this table's SQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oastrack.core.positions import Kind, Position, check_recordable
from oastrack.core.reports import MeetingInfo, ResolutionInfo
from oastrack.core.values import clean_text, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import blocs, members, resolutions, watch
from oastrack.store.columns import COLUMNS, POSITION_STAGING
from oastrack.store.db import Database

# The columns a writer fills, in schema order (every one but the id).
FIELDS: tuple[str, ...] = COLUMNS["position"]
_NAMES = ", ".join(FIELDS)
_MARKS = ", ".join("?" for _ in FIELDS)
INSERT = f"INSERT INTO position ({_NAMES}) VALUES ({_MARKS}) ON CONFLICT DO NOTHING"


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
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
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

    A small batch goes straight in with `executemany`. A large one is staged: chunks are
    appended to a temporary table with no index (SQLite: `executemany`; PostgreSQL: COPY),
    then moved into `position` by one INSERT … SELECT … ORDER BY … ON CONFLICT DO NOTHING, so
    the indexes are filled in their own order rather than at random (a file like the UN data,
    not grouped by roll call, otherwise costs an index page read per row). The order keeps the
    rows of one member in file order, so the later record still gets the higher id.

    With `outside`, rows are staged before the write transaction begins (SQLite's temporary
    tables are the connection's own and take no lock on the database; PostgreSQL's table lives
    for the session, so a retried transaction finds it whole), and members and resolutions the
    import will create are named by negative placeholder ids, mapped to their ids in `flush`.
    """

    CHUNK = 50_000
    # SQLite page cache for a bulk write, in KiB (measured: 32 MiB is as fast as 64 here).
    CACHE_KIB = 32 * 1024

    def __init__(self, db: Database, *, outside: bool = False) -> None:
        self.db = db
        self.outside = outside
        self.pending: list[tuple[Any, ...]] = []
        self.added = 0
        self.written = 0
        self._staged = False
        self._staged_rows = 0  # rows in the staging table (staged outside: kept over a retry)
        self.logged_at = stored_time(now_utc())

    def add(self, row: tuple[Any, ...]) -> None:
        """Queue one row of every position field but `logged_at`, which is added here."""
        self.pending.append((*row, self.logged_at))
        if len(self.pending) >= self.CHUNK:
            self._stage()

    def _stage(self) -> None:
        sqlite = self.db.backend == "sqlite"
        if not self._staged:
            self.db.execute("DROP TABLE IF EXISTS " + ("temp." if sqlite else "") + "position_load")
            if sqlite:
                self.db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB:d}")
                self.db.execute(POSITION_STAGING)
            elif self.outside:
                self.db.execute(POSITION_STAGING)
            else:
                self.db.execute(POSITION_STAGING + " ON COMMIT DROP")
            self._staged = True
        if sqlite:
            insert = f"INSERT INTO temp.position_load ({_NAMES}) VALUES ({_MARKS})"
            if self.outside:
                # One transaction per chunk, not per row; it writes only the connection's own
                # temporary database, so it takes no lock on the database itself.
                self.db.execute("BEGIN")
                self.db.executemany(insert, self.pending)
                self.db.execute("COMMIT")
            else:
                self.db.executemany(insert, self.pending)
        else:
            self.db.copy_rows(f"COPY position_load ({_NAMES}) FROM STDIN", self.pending)
        self._staged_rows += len(self.pending)
        self.pending = []

    def stage_rest(self) -> None:
        """Outside: stage the last rows too once staging has begun, so that nothing the merge
        needs is written inside the transaction (a retried transaction finds it all)."""
        if self._staged and self.pending:
            self._stage()

    def flush(
        self, members: dict[int, int] | None = None, resolutions: dict[int, int] | None = None
    ) -> None:
        """Write everything queued, inside the write transaction; `members` and `resolutions`
        map placeholder ids to the ids created. Safe to run again after a rollback."""
        members, resolutions = members or {}, resolutions or {}
        if not self._staged:
            rows = self.pending
            if members or resolutions:
                rows = [
                    (resolutions.get(r[0], r[0]), members.get(r[1], r[1]), *r[2:]) for r in rows
                ]
            self.added = self.db.executemany(INSERT, rows) if rows else 0
            self.written = len(rows)
            if self.added:
                watch.announce(self.db, watch.ANY)
            return
        if self.pending:
            self._stage()
        self.written = self._staged_rows
        chosen = [
            self._mapped(column, table, mapping)
            for column, table, mapping in (
                ("resolution_id", "resolution_map", resolutions),
                ("member_id", "member_map", members),
            )
        ]
        rest = ", ".join(FIELDS[2:])
        order = "rowid" if self.db.backend == "sqlite" else "ctid"
        self.added = self.db.execute(
            f"INSERT INTO position ({_NAMES}) SELECT {chosen[0]}, {chosen[1]}, {rest}"
            f" FROM position_load WHERE true ORDER BY 1, 2, {order} ON CONFLICT DO NOTHING"
        )
        self._drop()
        if self.added:
            watch.announce(self.db, watch.ANY)

    def _mapped(self, column: str, table: str, mapping: dict[int, int]) -> str:
        """The column as selected from the staging table: placeholders replaced by ids."""
        if not mapping:
            return column
        sqlite = self.db.backend == "sqlite"
        self.db.execute(
            f"CREATE TEMPORARY TABLE {table} (placeholder integer PRIMARY KEY, id integer)"
            + ("" if sqlite else " ON COMMIT DROP")
        )
        self.db.executemany(f"INSERT INTO {table} VALUES (?, ?)", list(mapping.items()))
        return (
            f"CASE WHEN {column} < 0 THEN (SELECT id FROM {table} WHERE placeholder = {column})"
            f" ELSE {column} END"
        )

    def _drop(self) -> None:
        sqlite = self.db.backend == "sqlite"
        for table in ("position_load", "resolution_map", "member_map"):
            self.db.execute("DROP TABLE IF EXISTS " + ("temp." if sqlite else "") + table)

    def discard(self) -> None:
        """Drop what is staged, outside any transaction: when the import ends, however."""
        self.pending = []
        if self._staged:
            self._drop()
            self._staged = False
            self._staged_rows = 0
