"""Positions: logging them (append-only), the tally's inputs, and the history."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from oastrack.core.positions import UNKNOWN, Kind, Position, check_recordable
from oastrack.core.reports import ResolutionInfo, Stance, TallyReport
from oastrack.core.tally import count_positions, tally
from oastrack.core.values import as_time, clean_text, show_time, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import lookup
from oastrack.store.db import Database

POSITION_COLUMNS = (
    "resolution_id, member_id, position, kind, recorded_at, analyst, confidence, source,"
    " note, fingerprint, logged_at"
)
INSERT_POSITION = (
    f"INSERT INTO position ({POSITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)


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


@dataclass(frozen=True)
class Logged:
    resolution: str
    position: str
    kind: str
    recorded_at: datetime
    added: list[str]
    already: list[str]
    skipped: list[str] = field(default_factory=list)


def expand_codes(
    db: Database, res: ResolutionInfo, codes: Iterable[str]
) -> tuple[list[tuple[int, str]], list[str]]:
    """Members named directly or through a bloc, in order, each once; ineligible bloc members
    are skipped (and listed), an ineligible member named directly is an error."""
    eligible = {code: mid for mid, code, _ in _eligible(db, res)}
    meeting = res.meeting
    chosen: dict[str, int] = {}
    skipped: list[str] = []
    for code in codes:
        member = db.scalar("SELECT id FROM member WHERE code = ?", (code,))
        if member is not None:
            if code not in eligible:
                raise InvalidInput(_not_eligible(db, res, int(member), code))
            chosen.setdefault(code, eligible[code])
            continue
        bloc = lookup.bloc_id(db, code)
        if bloc is None:
            raise NotFound(
                f"no member or bloc {code!r}", hint="see: oastrack member list, oastrack bloc list"
            )
        members = lookup.bloc_members(db, bloc, meeting.start)
        if not members:
            raise InvalidInput(f"bloc {code} has no members on {meeting.start}")
        for _, member_code in members:
            if member_code in eligible:
                chosen.setdefault(member_code, eligible[member_code])
            elif member_code not in skipped:
                skipped.append(member_code)
    return [(mid, code) for code, mid in chosen.items()], skipped


def _eligible(db: Database, res: ResolutionInfo) -> list[tuple[int, str, str]]:
    return lookup.eligible_members(db, res.meeting.organization_id, res.meeting.start)


def _not_eligible(db: Database, res: ResolutionInfo, member: int, code: str) -> str:
    status = lookup.status_on(db, res.meeting.organization_id, member, res.meeting.start)
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
    res = lookup.resolution(db, resolution)
    members, skipped = expand_codes(db, res, codes)
    at = stored_time(recorded_at)
    source, note = clean_text(source), clean_text(note)
    mark = fingerprint(position.value, kind.value, at, confidence, source, note)
    logged_at = stored_time(now_utc())
    added: list[str] = []
    already: list[str] = []
    for member, code in members:
        changed = db.execute(
            INSERT_POSITION,
            (
                res.id,
                member,
                position.value,
                kind.value,
                at,
                analyst,
                confidence,
                source,
                note,
                mark,
                logged_at,
            ),
        )
        (added if changed else already).append(code)
    return Logged(res.code, position.value, kind.value, recorded_at, added, already, skipped)


# -- the tally --------------------------------------------------------------------------------


def current_stances(
    db: Database, res: ResolutionInfo, as_of: datetime | None
) -> tuple[list[Stance], bool]:
    """The latest record of every eligible member (official records win when there are any)."""
    eligible = _eligible(db, res)
    if as_of is None:
        rows = db.all(
            "SELECT member_id, position, kind, recorded_at, confidence, id FROM position"
            " WHERE resolution_id = ?",
            (res.id,),
        )
    else:
        rows = db.all(
            "SELECT member_id, position, kind, recorded_at, confidence, id FROM position"
            " WHERE resolution_id = ? AND recorded_at <= ?",
            (res.id, stored_time(as_of)),
        )
    eligible_ids = {mid for mid, _, _ in eligible}
    official = any(r[2] == Kind.OFFICIAL and r[0] in eligible_ids for r in rows)
    latest: dict[int, tuple[Any, ...]] = {}
    # Later time wins; at the same time the later record (higher id) wins.
    for row in sorted(rows, key=lambda r: (r[3], r[5])):
        if official and row[2] != Kind.OFFICIAL:
            continue
        latest[row[0]] = row
    stances = []
    for mid, code, name in eligible:
        found = latest.get(mid)
        if found is None:
            stances.append(Stance(code, name, UNKNOWN, None, None, None))
        else:
            stances.append(Stance(code, name, found[1], found[2], found[4], as_time(found[3])))
    return stances, official


def tally_resolution(
    db: Database,
    resolution: str,
    *,
    as_of: datetime | None = None,
    assume: list[tuple[str, Position]] | None = None,
    by_bloc: bool = False,
) -> TallyReport:
    """Tally a resolution as of a time, with what-if assumptions applied (nothing is written)."""
    res = lookup.resolution(db, resolution)
    stances, official = current_stances(db, res, as_of)
    assumed: dict[str, str] = {}
    if assume:
        for code, position in assume:
            chosen, _ = expand_codes(db, res, [code])
            for _, member_code in chosen:
                assumed[member_code] = position.value
        stances = [
            Stance(s.code, s.name, assumed[s.code], s.kind, None, s.recorded_at)
            if s.code in assumed
            else s
            for s in stances
        ]
    result = tally(res.rule, {s.code: s.position for s in stances}, official=official)
    blocs: dict[str, dict[str, int]] | None = None
    if by_bloc:
        by_code = {s.code: s.position for s in stances}
        blocs = {}
        in_any: set[str] = set()
        for bloc, members in lookup.blocs_on(db, res.meeting.start).items():
            present = [by_code[m] for m in members if m in by_code]
            if present:
                blocs[bloc] = count_positions(present)
                in_any.update(m for m in members if m in by_code)
        rest = [p for code, p in by_code.items() if code not in in_any]
        if rest:
            blocs["(no bloc)"] = count_positions(rest)
    return TallyReport(res, as_of, result, stances, assumed, blocs)


# -- history ----------------------------------------------------------------------------------


def history(db: Database, resolution: str, member: str | None) -> list[dict[str, Any]]:
    """Every record on a resolution (of one member, if given), oldest first."""
    res = lookup.resolution(db, resolution)
    member_id = lookup.member_id(db, member) if member else None
    rows = db.all(
        "SELECT p.recorded_at, m.code, p.position, p.kind, p.confidence, p.analyst, p.source,"
        " p.note, p.logged_at FROM position p JOIN member m ON m.id = p.member_id"
        " WHERE p.resolution_id = ? AND (? IS NULL OR p.member_id = ?)"
        " ORDER BY p.recorded_at, p.id",
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
