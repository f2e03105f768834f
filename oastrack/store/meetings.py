"""The `meeting` table: sessions of a body of an organization, with dates and a default rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from oastrack.core.reports import MeetingInfo
from oastrack.core.rules import RuleName
from oastrack.core.values import as_date, clean_text
from oastrack.errors import Conflict, InvalidInput, NotFound
from oastrack.store import organizations
from oastrack.store.db import Database
from oastrack.store.sql import day, iso, limit_to


@dataclass(frozen=True)
class NewMeeting:
    code: str
    org: str
    start: date
    end: date | None = None
    body: str | None = None
    title: str | None = None
    venue: str | None = None
    rule: str | None = None  # the default rule of its resolutions, as `Rule.spec`
    note: str | None = None


_INFO = (
    "SELECT mt.id, mt.code, o.id, o.code, mt.start_date, mt.rule, o.rule, mt.end_date"
    " FROM meeting mt JOIN organization o ON o.id = mt.organization_id"
)


def _info(row: tuple[Any, ...]) -> MeetingInfo:
    start = as_date(row[4])
    assert start is not None  # a meeting always has a start
    return MeetingInfo(
        int(row[0]), str(row[1]), int(row[2]), str(row[3]), start, row[5] or row[6], as_date(row[7])
    )


def find(db: Database, code: str) -> MeetingInfo | None:
    row = db.one(f"{_INFO} WHERE mt.code = ?", (code,))
    return None if row is None else _info(row)


def get(db: Database, code: str) -> MeetingInfo:
    found = find(db, code)
    if found is None:
        raise NotFound(f"no meeting {code!r}", hint="see: oastrack meeting list")
    return found


def get_by_id(db: Database, meeting_id: int) -> MeetingInfo:
    row = db.one(f"{_INFO} WHERE mt.id = ?", (meeting_id,))
    assert row is not None, "a resolution's meeting exists (foreign key)"
    return _info(row)


def insert(db: Database, new: NewMeeting) -> None:
    """Insert a meeting (its organization is created when missing). Text arrives cleaned."""
    org_id, _ = organizations.ensure(db, new.org)
    db.execute(
        "INSERT INTO meeting (code, organization_id, body, title, start_date, end_date, venue,"
        " rule, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.code,
            org_id,
            new.body,
            new.title,
            new.start.isoformat(),
            day(new.end),
            new.venue,
            new.rule,
            new.note,
        ),
    )


def first_date(db: Database, org_id: int) -> date | None:
    """The day of the organization's first meeting, if it has any."""
    return as_date(
        db.scalar("SELECT min(start_date) FROM meeting WHERE organization_id = ?", (org_id,))
    )


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, org, body, title, start, end, venue, rule, note) of every meeting, by code."""
    return db.stream(
        "SELECT mt.code, o.code, mt.body, mt.title, mt.start_date, mt.end_date, mt.venue,"
        " mt.rule, mt.note FROM meeting mt JOIN organization o ON o.id = mt.organization_id"
        " ORDER BY mt.code"
    )


def bodies(db: Database) -> Iterator[tuple[Any, ...]]:
    """(organization code, body) of the bodies that meet, by organization then body."""
    return db.stream(
        "SELECT DISTINCT o.code, mt.body FROM meeting mt"
        " JOIN organization o ON o.id = mt.organization_id WHERE mt.body IS NOT NULL"
        " ORDER BY o.code, mt.body"
    )


# -- the commands' questions ------------------------------------------------------------------

_LISTING = (
    "SELECT mt.code, o.code, mt.body, mt.title, mt.start_date, mt.end_date, mt.venue,"
    " coalesce(mt.rule, o.rule),"
    " (SELECT count(*) FROM resolution r WHERE r.meeting_id = mt.id), mt.note"
    " FROM meeting mt JOIN organization o ON o.id = mt.organization_id"
)


def _listed(r: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "code": r[0],
        "org": r[1],
        "body": r[2],
        "title": r[3],
        "start": iso(r[4]),
        "end": iso(r[5]),
        "venue": r[6],
        "rule": r[7],
        "resolutions": int(r[8]),
    }


def list_meetings(
    db: Database, *, org: str | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Meetings, oldest first (of one organization; the first `limit`, if given)."""
    org_id = organizations.get_id(db, org) if org else None
    rows = db.all(
        f"{_LISTING} WHERE (? IS NULL OR o.id = ?)"
        f" ORDER BY mt.start_date, mt.code{limit_to(limit)}",
        (org_id, org_id),
    )
    return [_listed(r) for r in rows]


def describe(db: Database, code: str) -> dict[str, Any]:
    """A meeting as `meeting show` lists it, with its note; `resolutions` is their number."""
    row = db.one(f"{_LISTING} WHERE mt.code = ?", (code,))
    if row is None:
        raise NotFound(f"no meeting {code!r}", hint="see: oastrack meeting list")
    return {**_listed(row), "note": row[9]}


def add_meeting(db: Database, new: NewMeeting) -> NewMeeting:
    """Add a meeting; returns it as stored (text cleaned)."""
    if new.rule == RuleName.FIXED.value:
        raise InvalidInput(
            "a meeting's default rule cannot be fixed (it has no number of votes); "
            "give each resolution --required N instead"
        )
    new = replace(
        new,
        body=clean_text(new.body),
        title=clean_text(new.title),
        venue=clean_text(new.venue),
        note=clean_text(new.note),
    )
    if new.end and new.end < new.start:
        raise InvalidInput(f"the end {new.end} comes before the start {new.start}")
    if find(db, new.code) is not None:
        raise Conflict(
            f"meeting {new.code} exists already", hint=f"see: oastrack meeting show {new.code}"
        )
    insert(db, new)
    return new
