"""Finding things by code, and who is eligible or in a bloc on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from oastrack.core.reports import MeetingInfo, ResolutionInfo
from oastrack.core.rules import Rule, RuleName
from oastrack.core.values import as_date
from oastrack.errors import NotFound
from oastrack.store.db import Database


def _missing(kind: str, code: str, listing: str) -> NotFound:
    return NotFound(f"no {kind} {code!r}", hint=f"see: oastrack {listing} list")


def organization_id(db: Database, code: str) -> int:
    found = db.scalar("SELECT id FROM organization WHERE code = ?", (code,))
    if found is None:
        raise NotFound(
            f"no organization {code!r}", hint="organizations come with members and meetings"
        )
    return int(found)


def member_id(db: Database, code: str) -> int:
    found = db.scalar("SELECT id FROM member WHERE code = ?", (code,))
    if found is None:
        raise _missing("member", code, "member")
    return int(found)


def bloc_id(db: Database, code: str) -> int | None:
    found = db.scalar("SELECT id FROM bloc WHERE code = ?", (code,))
    return None if found is None else int(found)


def meeting(db: Database, code: str) -> MeetingInfo:
    row = db.one(
        "SELECT mt.id, mt.code, o.id, o.code, mt.start_date, mt.rule, o.rule"
        " FROM meeting mt JOIN organization o ON o.id = mt.organization_id WHERE mt.code = ?",
        (code,),
    )
    if row is None:
        raise _missing("meeting", code, "meeting")
    start = as_date(row[4])
    assert start is not None
    return MeetingInfo(row[0], row[1], row[2], row[3], start, row[5] or row[6])


def resolution(db: Database, code: str) -> ResolutionInfo:
    row = db.one(
        "SELECT r.id, r.code, r.title, r.status, r.rule, r.required, r.denominator, mt.code"
        " FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id WHERE r.code = ?",
        (code,),
    )
    if row is None:
        raise _missing("resolution", code, "resolution")
    rule = Rule(RuleName(row[4]), required=row[5], denominator=row[6])
    return ResolutionInfo(row[0], row[1], row[2], row[3], rule, meeting(db, row[7]))


def eligible_members(db: Database, org_id: int, on: date) -> list[tuple[int, str, str]]:
    """(id, code, name) of the members active in the organization on the date, by code."""
    rows = db.all(
        "SELECT DISTINCT m.id, m.code, m.name FROM membership ms"
        " JOIN member m ON m.id = ms.member_id"
        " WHERE ms.organization_id = ? AND ms.status = 'active'"
        " AND (ms.start_date IS NULL OR ms.start_date <= ?)"
        " AND (ms.end_date IS NULL OR ms.end_date >= ?)"
        # A suspension (or any other status) on that date overrides an open active status.
        " AND NOT EXISTS (SELECT 1 FROM membership x WHERE x.organization_id = ms.organization_id"
        "  AND x.member_id = ms.member_id AND x.status <> 'active'"
        "  AND (x.start_date IS NULL OR x.start_date <= ?)"
        "  AND (x.end_date IS NULL OR x.end_date >= ?))"
        " ORDER BY m.code",
        (org_id, on.isoformat(), on.isoformat(), on.isoformat(), on.isoformat()),
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def status_on(db: Database, org_id: int, member: int, on: date) -> str | None:
    """A member's status in an organization on a date; None when it was not a member."""
    row = db.one(
        "SELECT status FROM membership WHERE organization_id = ? AND member_id = ?"
        " AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)"
        " ORDER BY CASE status WHEN 'active' THEN 1 ELSE 0 END LIMIT 1",
        (org_id, member, on.isoformat(), on.isoformat()),
    )
    return None if row is None else str(row[0])


def bloc_members(db: Database, bloc: int, on: date | None) -> list[tuple[int, str]]:
    """(id, code) of a bloc's members on a date (all that ever were, when no date), by code."""
    if on is None:
        rows = db.all(
            "SELECT DISTINCT m.id, m.code FROM bloc_member b JOIN member m ON m.id = b.member_id"
            " WHERE b.bloc_id = ? ORDER BY m.code",
            (bloc,),
        )
    else:
        rows = db.all(
            "SELECT DISTINCT m.id, m.code FROM bloc_member b JOIN member m ON m.id = b.member_id"
            " WHERE b.bloc_id = ? AND (b.start_date IS NULL OR b.start_date <= ?)"
            " AND (b.end_date IS NULL OR b.end_date >= ?) ORDER BY m.code",
            (bloc, on.isoformat(), on.isoformat()),
        )
    return [(int(r[0]), str(r[1])) for r in rows]


def blocs_on(db: Database, on: date) -> dict[str, list[str]]:
    """Every bloc's member codes on a date, blocs by code (empty blocs left out)."""
    rows = db.all(
        "SELECT bl.code, m.code FROM bloc_member b JOIN bloc bl ON bl.id = b.bloc_id"
        " JOIN member m ON m.id = b.member_id"
        " WHERE (b.start_date IS NULL OR b.start_date <= ?)"
        " AND (b.end_date IS NULL OR b.end_date >= ?) ORDER BY bl.code, m.code",
        (on.isoformat(), on.isoformat()),
    )
    blocs: dict[str, list[str]] = {}
    for bloc_code, member_code in rows:
        members = blocs.setdefault(bloc_code, [])
        if member_code not in members:
            members.append(member_code)
    return blocs


def iso(value: Any) -> str | None:
    """A date from either database as ISO text, for output."""
    found = as_date(value)
    return None if found is None else found.isoformat()
