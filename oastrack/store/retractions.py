"""The `retraction` table: a logged position withdrawn as a mistake. The one place with its SQL.

A retraction never edits or deletes the record: it is a row of its own (who, when, why), and every
count reads only the records no retraction names (`store.sql.live`), so the record before it
counts again. A member's record to retract is its latest live one, official or projection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oastrack.core.values import as_time, clean_text, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import blocs, members, resolutions, watch
from oastrack.store.db import Database
from oastrack.store.sql import live

INSERT = (
    "INSERT INTO retraction (position_id, retracted_at, analyst, note) VALUES (?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)


@dataclass(frozen=True)
class Record:
    """A logged record, as a retraction names it."""

    member: str
    position: str
    kind: str
    recorded_at: datetime


@dataclass(frozen=True)
class Retracted:
    resolution: str
    records: list[Record]  # what was retracted, one per member, in the order named
    now: dict[str, Record | None]  # each member's latest live record after it (None: none)


def _members(db: Database, meeting_start: Any, codes: Iterable[str]) -> list[tuple[int, str]]:
    """(id, code) of the members named, directly or through a bloc on the meeting's date."""
    chosen: dict[str, int] = {}
    for code in codes:
        member = members.find(db, code)
        if member is not None:
            chosen.setdefault(code, member.id)
            continue
        bloc = blocs.find_id(db, code)
        if bloc is None:
            raise NotFound(
                f"no member or bloc {code!r}", hint="see: oastrack member list, oastrack bloc list"
            )
        for member_id, member_code in blocs.members_on(db, bloc, meeting_start):
            chosen.setdefault(member_code, member_id)
    return [(mid, code) for code, mid in chosen.items()]


_LATEST = (
    "SELECT p.id, p.position, p.kind, p.recorded_at FROM position p"
    f" WHERE p.resolution_id = ? AND p.member_id = ? AND {live('p')}"
    " ORDER BY p.recorded_at DESC, p.id DESC LIMIT 1"
)


def _latest(db: Database, resolution_id: int, member_id: int) -> tuple[Any, ...] | None:
    return db.one(_LATEST, (resolution_id, member_id))


def retract(
    db: Database,
    resolution: str,
    codes: list[str],
    *,
    analyst: str,
    at: datetime,
    note: str | None,
) -> Retracted:
    """Retract each named member's latest live record on the resolution.

    A member (named directly) with nothing to retract is an error and nothing is written; a bloc's
    members with nothing to retract are passed over, unless none of them has anything.
    """
    res = resolutions.get(db, resolution)
    named = _members(db, res.meeting.start, codes)
    direct = {code for code in codes if members.find(db, code) is not None}
    found: list[tuple[int, str, tuple[Any, ...]]] = []
    for member_id, code in named:
        row = _latest(db, res.id, member_id)
        if row is not None:
            found.append((member_id, code, row))
        elif code in direct:
            raise InvalidInput(f"{code} has no record on {res.code} to retract")
    if not found:
        raise InvalidInput(f"none of {' '.join(codes)} has a record on {res.code} to retract")
    when, text = stored_time(at), clean_text(note)
    records: list[Record] = []
    now: dict[str, Record | None] = {}
    for member_id, code, row in found:
        db.execute(INSERT, (row[0], when, analyst, text))
        records.append(Record(code, row[1], row[2], as_time(row[3])))
        after = _latest(db, res.id, member_id)
        now[code] = None if after is None else Record(code, after[1], after[2], as_time(after[3]))
    watch.announce(db, res.code)
    return Retracted(res.code, records, now)


def of_resolution(db: Database, resolution_id: int) -> dict[int, tuple[Any, str, str | None]]:
    """position id -> (retracted_at, analyst, note) of the resolution's retracted records."""
    rows = db.all(
        "SELECT t.position_id, t.retracted_at, t.analyst, t.note FROM retraction t"
        " JOIN position p ON p.id = t.position_id WHERE p.resolution_id = ?",
        (resolution_id,),
    )
    return {int(r[0]): (r[1], r[2], r[3]) for r in rows}


def any_made(db: Database) -> bool:
    """Whether any record was ever retracted (without one, every record is live)."""
    return bool(db.scalar("SELECT EXISTS (SELECT 1 FROM retraction)"))


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(resolution, member, fingerprint, retracted_at, analyst, note) of every retraction, in the
    snapshot's order of positions."""
    return db.stream(
        "SELECT r.code, m.code, p.fingerprint, t.retracted_at, t.analyst, t.note"
        " FROM retraction t JOIN position p ON p.id = t.position_id"
        " JOIN resolution r ON r.id = p.resolution_id JOIN member m ON m.id = p.member_id"
        " ORDER BY r.code, m.code, p.recorded_at, p.fingerprint"
    )


def insert_for(
    db: Database,
    resolution_id: int,
    member_id: int,
    fingerprint: int,
    retracted_at: str,
    analyst: str,
    note: str | None,
) -> int:
    """Retract the record known by its fingerprint (a snapshot's); 1 if added, 0 if it was."""
    position = db.scalar(
        "SELECT id FROM position WHERE resolution_id = ? AND member_id = ? AND fingerprint = ?",
        (resolution_id, member_id, fingerprint),
    )
    if position is None:
        raise InvalidInput("the retracted record is not in the file")
    return db.execute(INSERT, (position, retracted_at, analyst, note))


def retract_records(
    db: Database, ids: list[int], *, analyst: str, at: datetime, note: str | None
) -> list[Record]:
    """Retract these records (the live board's undo of what it wrote); the ones already
    retracted are passed over. Returns what was retracted, by member code."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.all(
        "SELECT p.id, m.code, p.position, p.kind, p.recorded_at, r.code FROM position p"
        " JOIN member m ON m.id = p.member_id JOIN resolution r ON r.id = p.resolution_id"
        f" WHERE p.id IN ({marks}) AND {live('p')} ORDER BY m.code",
        ids,
    )
    when, text = stored_time(at), clean_text(note)
    for row in rows:
        db.execute(INSERT, (row[0], when, analyst, text))
    for code in sorted({str(row[5]) for row in rows}):
        watch.announce(db, code)
    return [Record(str(r[1]), str(r[2]), str(r[3]), as_time(r[4])) for r in rows]
