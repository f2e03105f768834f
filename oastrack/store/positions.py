"""The `position` table: logged positions, append-only. The one place with its SQL.

Writing one record (`log_positions`) or many (`PositionWriter`), reading each member's current
record (the rule is `core.eligibility.latest`; official records decide once there are any),
a member's current position on every resolution, the history, and the streams the exports
read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from oastrack.core.eligibility import latest
from oastrack.core.positions import UNKNOWN, Kind, Position, check_recordable
from oastrack.core.reports import ResolutionInfo, Stance
from oastrack.core.values import as_time, clean_text, show_time, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import blocs, meetings, members, resolutions
from oastrack.store.columns import COLUMNS, POSITION_STAGING
from oastrack.store.db import Database
from oastrack.store.sql import eligible as eligible_in
from oastrack.store.sql import iso, limit_to

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
    for member, code in chosen:
        values = (res.id, member, position.value, kind.value, at, analyst, confidence, source)
        changed = db.execute(INSERT, (*values, note, mark, logged_at))
        (added if changed else already).append(code)
    return Logged(res.code, position.value, kind.value, recorded_at, added, already, skipped)


# -- many records -----------------------------------------------------------------------------


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

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: list[tuple[Any, ...]] = []
        self.added = 0
        self.written = 0
        self._staged = False
        self.logged_at = stored_time(now_utc())

    def add(self, row: tuple[Any, ...]) -> None:
        """Queue one row of every position field but `logged_at`, which is added here."""
        self.pending.append((*row, self.logged_at))
        if len(self.pending) >= self.CHUNK:
            self._stage()

    def _stage(self) -> None:
        if not self._staged:
            if self.db.backend == "sqlite":
                self.db.execute(f"PRAGMA cache_size = -{self.CACHE_KIB:d}")
                self.db.execute(POSITION_STAGING)
            else:
                self.db.execute(POSITION_STAGING + " ON COMMIT DROP")
            self._staged = True
        if self.db.backend == "sqlite":
            self.db.executemany(
                f"INSERT INTO temp.position_load ({_NAMES}) VALUES ({_MARKS})", self.pending
            )
        else:
            self.db.copy_rows(f"COPY position_load ({_NAMES}) FROM STDIN", self.pending)
        self.written += len(self.pending)
        self.pending = []

    def flush(self) -> None:
        """Write everything queued; call once at the end of the import."""
        if not self._staged:
            if self.pending:
                self.added += self.db.executemany(INSERT, self.pending)
                self.written += len(self.pending)
                self.pending = []
            return
        self._stage()
        order = "rowid" if self.db.backend == "sqlite" else "ctid"
        self.added += self.db.execute(
            f"INSERT INTO position ({_NAMES}) SELECT {_NAMES} FROM position_load"
            f" WHERE true ORDER BY resolution_id, member_id, {order} ON CONFLICT DO NOTHING"
        )
        self.db.execute("DROP TABLE position_load")
        self._staged = False


# -- reading ----------------------------------------------------------------------------------


K = TypeVar("K")
R = TypeVar("R")


def current_records(
    records: Iterable[tuple[K, str, Any, int, R]], official_decides: Callable[[K], bool]
) -> dict[K, R]:
    """The record that counts, from (key, kind, recorded_at, id, record) rows, for each key (a
    member on one resolution, or a resolution for one member): the latest by
    `core.eligibility.latest`, of the official records only where official records decide
    (the resolution has one from a member eligible at its meeting)."""
    return latest(
        (key, at, entered, record)
        for key, kind, at, entered, record in records
        if kind == Kind.OFFICIAL or not official_decides(key)
    )


def current_stances(
    db: Database, res: ResolutionInfo, as_of: datetime | None
) -> tuple[list[Stance], bool]:
    """The current record of every eligible member (official records win when there are any)."""
    listed = eligible(db, res)
    rows = db.all(
        "SELECT member_id, position, kind, recorded_at, confidence, id FROM position"
        " WHERE resolution_id = ? AND (? IS NULL OR recorded_at <= ?)",
        (res.id, *[None if as_of is None else stored_time(as_of)] * 2),
    )
    ids = {mid for mid, _, _ in listed}
    official = any(r[2] == Kind.OFFICIAL and r[0] in ids for r in rows)
    current = current_records(((r[0], r[2], r[3], r[5], r) for r in rows), lambda _: official)
    stances = []
    for mid, code, name in listed:
        found = current.get(mid)
        if found is None:
            stances.append(Stance(code, name, UNKNOWN, None, None, None))
        else:
            stances.append(Stance(code, name, found[1], found[2], found[4], as_time(found[3])))
    return stances, official


# One member's records on each resolution it has any on (of one meeting, of meetings since a
# date; the first N resolutions), newest meeting first, with whether official records decide
# there: `eligible` is the tally's rule, said in SQL (`store.sql`), on the meeting's date.
_MEMBER_POSITIONS = (
    "WITH chosen AS (SELECT r.id, r.code, mt.code AS meeting, mt.start_date,"
    " EXISTS (SELECT 1 FROM position o JOIN membership ms ON ms.member_id = o.member_id"
    " AND ms.organization_id = mt.organization_id WHERE o.resolution_id = r.id"
    f" AND o.kind = 'official' AND {eligible_in('ms', 'mt.start_date')}) AS decided"
    " FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
    " WHERE r.id IN (SELECT resolution_id FROM position WHERE member_id = ?)"
    " AND (? IS NULL OR mt.id = ?) AND (? IS NULL OR mt.start_date >= ?)"
    " ORDER BY mt.start_date DESC, mt.code, r.code{limit})"
    " SELECT c.id, c.code, c.meeting, c.start_date, c.decided, p.kind, p.recorded_at, p.id,"
    " p.position, p.confidence, p.analyst"
    " FROM chosen c JOIN position p ON p.resolution_id = c.id AND p.member_id = ?"
    " ORDER BY c.start_date DESC, c.meeting, c.code"
)


def member_positions(
    db: Database,
    member: str,
    *,
    meeting: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A member's current position on every resolution it has a record on, by the rule of the
    tally (`current_records`): newest meeting first, then by resolution code. A member whose
    records were all projections where an official vote decides shows `unknown`, as in the
    tally. One query."""
    member_id = members.get(db, member).id
    meeting_id = meetings.get(db, meeting).id if meeting else None
    day = since.isoformat() if since else None
    rows = db.all(
        _MEMBER_POSITIONS.format(limit=limit_to(limit)),
        (member_id, meeting_id, meeting_id, day, day, member_id),
    )
    decided = {r[0]: bool(r[4]) for r in rows}
    current = current_records(((r[0], r[5], r[6], r[7], r) for r in rows), decided.__getitem__)
    listed: list[dict[str, Any]] = []
    for r in rows:
        if listed and listed[-1]["resolution"] == r[1]:
            continue  # one line per resolution; its records are together
        found = current.get(r[0])
        listed.append(
            {
                "resolution": r[1],
                "meeting": r[2],
                "meeting_date": iso(r[3]),
                "position": found[8] if found else UNKNOWN,
                "kind": found[5] if found else None,
                "confidence": found[9] if found else None,
                "recorded_at": show_time(as_time(found[6])) if found else None,
                "analyst": found[10] if found else None,
            }
        )
    return listed


def history(
    db: Database, resolution: str, member: str | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Every record on a resolution (of one member, if given), oldest first; the first
    `limit`, if given."""
    res = resolutions.get(db, resolution)
    member_id = members.get(db, member).id if member else None
    rows = db.all(
        "SELECT p.recorded_at, m.code, p.position, p.kind, p.confidence, p.analyst, p.source,"
        " p.note, p.logged_at FROM position p JOIN member m ON m.id = p.member_id"
        " WHERE p.resolution_id = ? AND (? IS NULL OR p.member_id = ?)"
        f" ORDER BY p.recorded_at, p.id{limit_to(limit)}",
        (res.id, member_id, member_id),
    )
    return [
        {
            "recorded_at": show_time(as_time(r[0])),
            "member": r[1],
            "position": r[2],
            "kind": r[3],
            "confidence": r[4],
            "analyst": r[5],
            "source": r[6],
            "note": r[7],
            "logged_at": show_time(as_time(r[8])),
        }
        for r in rows
    ]


def dump(
    db: Database, resolution_ids: Sequence[int] = (), meeting_ids: Sequence[int] = ()
) -> Iterator[tuple[Any, ...]]:
    """(resolution, member, position, kind, recorded_at, analyst, confidence, source, note) of
    every record, in a stable order (the snapshot's); with ids, only the records on those
    resolutions and on the resolutions of those meetings."""
    chosen = []
    if resolution_ids:
        chosen.append(f"p.resolution_id IN ({', '.join('?' for _ in resolution_ids)})")
    if meeting_ids:
        chosen.append(f"r.meeting_id IN ({', '.join('?' for _ in meeting_ids)})")
    where = f" WHERE {' OR '.join(chosen)}" if chosen else ""
    return db.stream(
        "SELECT r.code, m.code, p.position, p.kind, p.recorded_at, p.analyst, p.confidence,"
        " p.source, p.note FROM position p JOIN resolution r ON r.id = p.resolution_id"
        f" JOIN member m ON m.id = p.member_id{where}"
        " ORDER BY r.code, m.code, p.recorded_at, p.fingerprint",
        (*resolution_ids, *meeting_ids),
    )


def official_votes(db: Database) -> Iterator[tuple[Any, ...]]:
    """Every official record with its resolution's rule and meeting, each resolution's together
    and each member's in the order `core.eligibility.latest` reads them: (resolution, rule,
    required, denominator, meeting, organization id, meeting start, body, organization code,
    member, position, recorded_at)."""
    return db.stream(
        "SELECT r.code, r.rule, r.required, r.denominator, mt.code, mt.organization_id,"
        " mt.start_date, mt.body, o.code, m.code, p.position, p.recorded_at"
        " FROM position p JOIN resolution r ON r.id = p.resolution_id"
        " JOIN meeting mt ON mt.id = r.meeting_id"
        " JOIN organization o ON o.id = mt.organization_id"
        " JOIN member m ON m.id = p.member_id"
        " WHERE p.kind = 'official'"
        " ORDER BY r.code, m.code, p.recorded_at, p.id"
    )
