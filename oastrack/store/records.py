"""The `position` table, read: each member's current record (the rule is
`core.eligibility.latest`; official records decide once there are any; retracted records count
nowhere), a member's current position on every resolution, the history, the replay of a
negotiation, and the streams the exports read. `store.positions` writes the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from oastrack.core.eligibility import latest
from oastrack.core.positions import UNKNOWN, Kind
from oastrack.core.reports import ResolutionInfo, Stance
from oastrack.core.values import as_time, show_time, stored_time
from oastrack.store import meetings, members, resolutions, retractions
from oastrack.store.db import Database
from oastrack.store.positions import eligible
from oastrack.store.sql import day, iso, limit_to, live
from oastrack.store.sql import eligible as eligible_in

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
        "SELECT p.member_id, p.position, p.kind, p.recorded_at, p.confidence, p.id FROM position p"
        f" WHERE p.resolution_id = ? AND (? IS NULL OR p.recorded_at <= ?) AND {live('p')}",
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
    f" AND o.kind = 'official' AND {live('o')} AND {eligible_in('ms', 'mt.start_date')})"
    " AS decided"
    " FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
    f" WHERE r.id IN (SELECT resolution_id FROM position q WHERE member_id = ? AND {live('q')})"
    " AND (? IS NULL OR mt.id = ?) AND (? IS NULL OR mt.start_date >= ?)"
    " ORDER BY mt.start_date DESC, mt.code, r.code{limit})"
    " SELECT c.id, c.code, c.meeting, c.start_date, c.decided, p.kind, p.recorded_at, p.id,"
    " p.position, p.confidence, p.analyst"
    " FROM chosen c JOIN position p ON p.resolution_id = c.id AND p.member_id = ?"
    f" AND {live('p')}"
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
    db: Database,
    resolution: str,
    member: str | None,
    *,
    kind: str | None = None,
    analyst: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every record on a resolution (of one member, if given) and every retraction of one, in
    the order they happened, oldest first; optionally only one kind (`projection`, `official`,
    `retraction`), one analyst's, or those since a time; the first `limit` of them.

    A record says when it was retracted (`retracted_at`); a retraction is an entry of its own,
    of kind `retraction`, at its time, by its analyst, naming the record's time (`retracts`).
    """
    res = resolutions.get(db, resolution)
    member_id = members.get(db, member).id if member else None
    rows = db.all(
        "SELECT p.recorded_at, m.code, p.position, p.kind, p.confidence, p.analyst, p.source,"
        " p.note, p.logged_at, t.retracted_at, t.analyst, t.note"
        " FROM position p JOIN member m ON m.id = p.member_id"
        " LEFT JOIN retraction t ON t.position_id = p.id"
        " WHERE p.resolution_id = ? AND (? IS NULL OR p.member_id = ?)"
        " ORDER BY p.recorded_at, p.id",
        (res.id, member_id, member_id),
    )
    entries: list[tuple[datetime, int, dict[str, Any]]] = []
    for order, r in enumerate(rows):
        at, retracted = as_time(r[0]), None if r[9] is None else as_time(r[9])
        entry = {
            "recorded_at": show_time(at),
            "member": r[1],
            "position": r[2],
            "kind": r[3],
            "confidence": r[4],
            "analyst": r[5],
            "source": r[6],
            "note": r[7],
            "logged_at": show_time(as_time(r[8])),
            "retracted_at": None if retracted is None else show_time(retracted),
            "retracts": None,
        }
        entries.append((at, order, entry))
        if retracted is not None:
            undo = {
                **dict.fromkeys(entry),
                "recorded_at": show_time(retracted),
                "member": r[1],
                "position": r[2],
                "kind": "retraction",
                "analyst": r[10],
                "note": r[11],
                "logged_at": show_time(retracted),
                "retracts": show_time(at),
            }
            entries.append((retracted, len(rows) + order, undo))
    entries.sort(key=lambda e: (e[0], e[1]))
    chosen = [
        entry
        for at, _, entry in entries
        if (kind is None or entry["kind"] == kind)
        and (analyst is None or entry["analyst"] == analyst)
        and (since is None or at >= since)
    ]
    return chosen if limit is None else chosen[:limit]


def dump(
    db: Database,
    resolution_ids: Sequence[int] = (),
    meeting_ids: Sequence[int] = (),
    *,
    live_only: bool = False,
) -> Iterator[tuple[Any, ...]]:
    """(resolution, member, position, kind, recorded_at, analyst, confidence, source, note,
    retracted_at, retracted_by, retraction_note) of every record — or of the live ones only —
    in a stable order (the snapshot's); with ids, only the records on those resolutions and on
    the resolutions of those meetings."""
    return db.stream(*_dump_query(resolution_ids, meeting_ids, live_only, retraction=True))


def _dump_query(
    resolution_ids: Sequence[int],
    meeting_ids: Sequence[int],
    live_only: bool,
    *,
    retraction: bool,
    columns: str | None = None,
    retracted: bool = True,
) -> tuple[str, tuple[int, ...]]:
    """The dump's SQL and parameters, with the retraction's columns or without them (or with
    other columns, of the same rows in the same order). Of the live records only, when no
    record was retracted (`retracted` false), without looking for a retraction of each."""
    joined = retraction or not live_only or retracted
    chosen = []
    if resolution_ids:
        chosen.append(f"p.resolution_id IN ({', '.join('?' for _ in resolution_ids)})")
    if meeting_ids:
        chosen.append(f"r.meeting_id IN ({', '.join('?' for _ in meeting_ids)})")
    where = [f"({' OR '.join(chosen)})"] if chosen else []
    if live_only and joined:
        where.append("t.id IS NULL")
    if columns is None:
        columns = _DUMPED + (", t.retracted_at, t.analyst, t.note" if retraction else "")
    return (
        f"SELECT {columns}"
        " FROM position p JOIN resolution r ON r.id = p.resolution_id"
        " JOIN member m ON m.id = p.member_id"
        + (" LEFT JOIN retraction t ON t.position_id = p.id" if joined else "")
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY r.code, m.code, p.recorded_at, p.fingerprint",
        (*resolution_ids, *meeting_ids),
    )


_DUMPED = (
    "r.code, m.code, p.position, p.kind, p.recorded_at, p.analyst, p.confidence, p.source, p.note"
)


def dump_live(
    db: Database, resolution_ids: Sequence[int] = (), meeting_ids: Sequence[int] = ()
) -> Iterator[list[tuple[Any, ...]]]:
    """The records in force as `dump` gives them, without the (empty) retraction columns,
    a batch of rows at a time: for a bulk export."""
    sql, params = _dump_query(
        resolution_ids, meeting_ids, True, retraction=False, retracted=retractions.any_made(db)
    )
    return db.batches(sql, params, size=10_000)


def dump_live_query(
    db: Database,
    columns: str,
    resolution_ids: Sequence[int] = (),
    meeting_ids: Sequence[int] = (),
) -> tuple[str, tuple[int, ...]]:
    """The SQL of `dump_live` selecting other columns (of `p`, `r`, `m`), and its parameters
    (after any of the columns' own)."""
    return _dump_query(
        resolution_ids,
        meeting_ids,
        True,
        retraction=False,
        columns=columns,
        retracted=retractions.any_made(db),
    )


def dump_by_id(db: Database, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Some records, by id, as `dump_live` gives them."""
    found: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ", ".join("?" for _ in part)
        for row in db.all(
            f"SELECT p.id, {_DUMPED} FROM position p JOIN resolution r ON r.id = p.resolution_id"
            f" JOIN member m ON m.id = p.member_id WHERE p.id IN ({marks})",
            part,
        ):
            found[row[0]] = row[1:]
    return found


def dump_batches(db: Database) -> Iterator[list[tuple[Any, ...]]]:
    """Every record as `dump` gives it, a batch of rows at a time: for the snapshot."""
    return db.batches(*_dump_query((), (), False, retraction=True), size=10_000)


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
        f" WHERE p.kind = 'official' AND {live('p')}"
        " ORDER BY r.code, m.code, p.recorded_at, p.id"
    )


def recorded_after(db: Database, member_id: int, org_id: int, on: Any) -> list[str]:
    """Codes of the resolutions of the organization's meetings after the day on which the
    member has a live record: ending its membership on that day would drop it from them."""
    rows = db.all(
        "SELECT DISTINCT r.code FROM position p JOIN resolution r ON r.id = p.resolution_id"
        " JOIN meeting mt ON mt.id = r.meeting_id"
        f" WHERE p.member_id = ? AND mt.organization_id = ? AND mt.start_date > ? AND {live('p')}"
        " ORDER BY r.code",
        (member_id, org_id, day(on)),
    )
    return [str(r[0]) for r in rows]


def replay(db: Database, res: ResolutionInfo) -> list[tuple[Any, str, str, str]]:
    """(recorded_at, member code, position, kind) of the resolution's live records, in the order
    the tally reads them: by time, then by entry."""
    rows = db.all(
        "SELECT p.recorded_at, m.code, p.position, p.kind FROM position p"
        " JOIN member m ON m.id = p.member_id"
        f" WHERE p.resolution_id = ? AND {live('p')} ORDER BY p.recorded_at, p.id",
        (res.id,),
    )
    return [(as_time(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
