"""The nouns: organizations, members, blocs, meetings and resolutions — list, show, add."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from oastrack.core.reports import MeetingInfo
from oastrack.core.rules import Rule, RuleName
from oastrack.core.values import clean_text
from oastrack.errors import Conflict, InvalidInput, NotFound
from oastrack.store import lookup
from oastrack.store.db import Database
from oastrack.store.lookup import iso

Row = dict[str, Any]


# -- organizations ----------------------------------------------------------------------------


def ensure_organization(db: Database, code: str, name: str | None = None) -> int:
    """The organization's id, creating it (named after its code) when it does not exist."""
    found = db.scalar("SELECT id FROM organization WHERE code = ?", (code,))
    if found is not None:
        return int(found)
    return db.insert(
        "INSERT INTO organization (code, name, rule) VALUES (?, ?, 'absolute') RETURNING id",
        (code, name or code),
    )


# -- members ----------------------------------------------------------------------------------


def list_members(db: Database, *, org: str | None, on: date) -> list[Row]:
    """Each member's status in each organization on a date (members of none are listed too)."""
    org_id = lookup.organization_id(db, org) if org else None
    rows = db.all(
        "SELECT m.code, m.name, o.code, ms.status, ms.start_date, ms.end_date"
        " FROM member m"
        " LEFT JOIN membership ms ON ms.member_id = m.id"
        "  AND (ms.start_date IS NULL OR ms.start_date <= ?)"
        "  AND (ms.end_date IS NULL OR ms.end_date >= ?)"
        " LEFT JOIN organization o ON o.id = ms.organization_id"
        " WHERE (? IS NULL OR ms.organization_id = ?)"
        " ORDER BY m.code, o.code",
        (on.isoformat(), on.isoformat(), org_id, org_id),
    )
    return [
        {
            "code": r[0],
            "name": r[1],
            "org": r[2],
            "status": r[3],
            "start": iso(r[4]),
            "end": iso(r[5]),
        }
        for r in rows
    ]


def show_member(db: Database, code: str) -> Row:
    member = db.one("SELECT id, code, name, note FROM member WHERE code = ?", (code,))
    if member is None:
        raise NotFound(f"no member {code!r}", hint="see: oastrack member list")
    memberships = db.all(
        "SELECT o.code, ms.status, ms.start_date, ms.end_date, ms.note FROM membership ms"
        " JOIN organization o ON o.id = ms.organization_id WHERE ms.member_id = ?"
        " ORDER BY o.code, ms.start_date IS NOT NULL, ms.start_date",
        (member[0],),
    )
    blocs = db.all(
        "SELECT bl.code, bl.name, b.start_date, b.end_date FROM bloc_member b"
        " JOIN bloc bl ON bl.id = b.bloc_id WHERE b.member_id = ? ORDER BY bl.code",
        (member[0],),
    )
    positions = db.scalar("SELECT count(*) FROM position WHERE member_id = ?", (member[0],))
    return {
        "code": member[1],
        "name": member[2],
        "note": member[3],
        "memberships": [
            {"org": r[0], "status": r[1], "start": iso(r[2]), "end": iso(r[3]), "note": r[4]}
            for r in memberships
        ],
        "blocs": [
            {"bloc": r[0], "name": r[1], "start": iso(r[2]), "end": iso(r[3])} for r in blocs
        ],
        "positions": int(positions or 0),
    }


@dataclass(frozen=True)
class NewMembership:
    org: str
    status: str = "active"
    start: date | None = None
    end: date | None = None
    note: str | None = None


def add_member(
    db: Database, code: str, name: str, membership: NewMembership | None, note: str | None
) -> str:
    """Add a member, or a membership to an existing one; returns what was done, for people."""
    name, note = clean_text(name) or "", clean_text(note)
    if membership is not None:
        membership = replace(membership, note=clean_text(membership.note))
    found = db.one("SELECT id, name FROM member WHERE code = ?", (code,))
    if found is None:
        member = db.insert(
            "INSERT INTO member (code, name, note) VALUES (?, ?, ?) RETURNING id",
            (code, name, note),
        )
        done = f"added member {code} ({name})"
    else:
        member = int(found[0])
        if membership is None:
            raise Conflict(
                f"member {code} exists already ({found[1]})",
                hint="add a membership with --org ORG [--status S] [--start D] [--end D]",
            )
        done = f"member {code}"
    if membership is not None:
        if membership.start and membership.end and membership.end < membership.start:
            raise InvalidInput(
                f"the end {membership.end} comes before the start {membership.start}"
            )
        org_id = ensure_organization(db, membership.org)
        same = db.scalar(
            "SELECT count(*) FROM membership WHERE organization_id = ? AND member_id = ?"
            " AND status = ? AND start_date IS NOT DISTINCT FROM ?"
            " AND end_date IS NOT DISTINCT FROM ?",
            (org_id, member, membership.status, _d(membership.start), _d(membership.end)),
        )
        if same:
            raise Conflict(f"{code} already has that membership of {membership.org}")
        db.execute(
            "INSERT INTO membership"
            " (organization_id, member_id, status, start_date, end_date, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                org_id,
                member,
                membership.status,
                _d(membership.start),
                _d(membership.end),
                membership.note,
            ),
        )
        span = _span(membership.start, membership.end)
        done += f", {membership.status} in {membership.org}{span}"
    return done


def _d(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _span(start: date | None, end: date | None) -> str:
    if start and end:
        return f" from {start} to {end}"
    if start:
        return f" from {start}"
    if end:
        return f" until {end}"
    return ""


# -- blocs ------------------------------------------------------------------------------------


def list_blocs(db: Database, *, on: date | None) -> list[Row]:
    """Blocs with their member count (on a date, or all who ever belonged)."""
    blocs = db.all("SELECT id, code, name FROM bloc ORDER BY code")
    result = []
    for bloc_id, code, name in blocs:
        members = lookup.bloc_members(db, bloc_id, on)
        result.append(
            {
                "code": code,
                "name": name,
                "size": len(members),
                "members": " ".join(m for _, m in members),
            }
        )
    return result


def show_bloc(db: Database, code: str) -> Row:
    bloc = db.one("SELECT id, code, name, note FROM bloc WHERE code = ?", (code,))
    if bloc is None:
        raise NotFound(f"no bloc {code!r}", hint="see: oastrack bloc list")
    rows = db.all(
        "SELECT m.code, m.name, b.start_date, b.end_date, b.note FROM bloc_member b"
        " JOIN member m ON m.id = b.member_id WHERE b.bloc_id = ?"
        " ORDER BY m.code, b.start_date IS NOT NULL, b.start_date",
        (bloc[0],),
    )
    return {
        "code": bloc[1],
        "name": bloc[2],
        "note": bloc[3],
        "members": [
            {"member": r[0], "name": r[1], "start": iso(r[2]), "end": iso(r[3]), "note": r[4]}
            for r in rows
        ],
    }


def add_bloc(
    db: Database,
    code: str,
    name: str | None,
    members: list[str],
    start: date | None,
    end: date | None,
    note: str | None,
) -> str:
    """Create a bloc, or add members to an existing one; returns what was done."""
    name, note = clean_text(name), clean_text(note)
    if start and end and end < start:
        raise InvalidInput(f"the end {end} comes before the start {start}")
    found = db.one("SELECT id, name FROM bloc WHERE code = ?", (code,))
    if found is None:
        if not name:
            raise InvalidInput(f"a new bloc needs a name: oastrack bloc add {code} --name NAME")
        bloc = db.insert(
            "INSERT INTO bloc (code, name, note) VALUES (?, ?, ?) RETURNING id", (code, name, note)
        )
        done = f"added bloc {code} ({name})"
    else:
        bloc = int(found[0])
        if not members:
            raise Conflict(
                f"bloc {code} exists already ({found[1]})",
                hint=f"add members with: oastrack bloc add {code} --member CODE",
            )
        done = f"bloc {code}"
    added = []
    for member_code in members:
        member = lookup.member_id(db, member_code)
        same = db.scalar(
            "SELECT count(*) FROM bloc_member WHERE bloc_id = ? AND member_id = ?"
            " AND start_date IS NOT DISTINCT FROM ? AND end_date IS NOT DISTINCT FROM ?",
            (bloc, member, _d(start), _d(end)),
        )
        if same:
            continue
        db.execute(
            "INSERT INTO bloc_member (bloc_id, member_id, start_date, end_date)"
            " VALUES (?, ?, ?, ?)",
            (bloc, member, _d(start), _d(end)),
        )
        added.append(member_code)
    if members:
        done += f": {len(added)} member{'s' if len(added) != 1 else ''} added"
        if added:
            done += f" ({' '.join(added)}){_span(start, end)}"
    return done


# -- meetings ---------------------------------------------------------------------------------


def list_meetings(db: Database, *, org: str | None) -> list[Row]:
    org_id = lookup.organization_id(db, org) if org else None
    rows = db.all(
        "SELECT mt.code, o.code, mt.body, mt.title, mt.start_date, mt.end_date, mt.venue,"
        " coalesce(mt.rule, o.rule),"
        " (SELECT count(*) FROM resolution r WHERE r.meeting_id = mt.id)"
        " FROM meeting mt JOIN organization o ON o.id = mt.organization_id"
        " WHERE (? IS NULL OR o.id = ?) ORDER BY mt.start_date, mt.code",
        (org_id, org_id),
    )
    return [
        {
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
        for r in rows
    ]


def show_meeting(db: Database, code: str) -> Row:
    rows = [m for m in list_meetings(db, org=None) if m["code"] == code]
    if not rows:
        raise NotFound(f"no meeting {code!r}", hint="see: oastrack meeting list")
    found = rows[0]
    found["note"] = db.scalar("SELECT note FROM meeting WHERE code = ?", (code,))
    found["resolutions"] = list_resolutions(db, meeting=code)
    return found


@dataclass(frozen=True)
class NewMeeting:
    code: str
    org: str
    start: date
    end: date | None = None
    body: str | None = None
    title: str | None = None
    venue: str | None = None
    rule: RuleName | None = None
    note: str | None = None


def add_meeting(db: Database, new: NewMeeting) -> str:
    if new.rule is RuleName.FIXED:
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
    if db.scalar("SELECT id FROM meeting WHERE code = ?", (new.code,)) is not None:
        raise Conflict(
            f"meeting {new.code} exists already", hint=f"see: oastrack meeting show {new.code}"
        )
    org_id = ensure_organization(db, new.org)
    db.execute(
        "INSERT INTO meeting (code, organization_id, body, title, start_date, end_date, venue,"
        " rule, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.code,
            org_id,
            new.body,
            new.title,
            new.start.isoformat(),
            _d(new.end),
            new.venue,
            new.rule.value if new.rule else None,
            new.note,
        ),
    )
    return f"added meeting {new.code} of {new.org}, {new.start}"


# -- resolutions ------------------------------------------------------------------------------


def list_resolutions(db: Database, *, meeting: str | None) -> list[Row]:
    meeting_id = lookup.meeting(db, meeting).id if meeting else None
    rows = db.all(
        "SELECT r.id, r.code, mt.code, r.title, r.rule, r.required, r.denominator, r.status,"
        " alt.code, (SELECT count(*) FROM position p WHERE p.resolution_id = r.id)"
        " FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
        " LEFT JOIN resolution alt ON alt.id = r.alternative_to_id"
        " WHERE (? IS NULL OR r.meeting_id = ?) ORDER BY mt.start_date, mt.code, r.code",
        (meeting_id, meeting_id),
    )
    sponsors = _sponsors(db, [int(r[0]) for r in rows])
    return [
        {
            "code": r[1],
            "meeting": r[2],
            "title": r[3],
            "rule": r[4],
            "required": r[5],
            "denominator": r[6],
            "status": r[7],
            "sponsors": ";".join(sponsors.get(int(r[0]), [])),
            "alternative_to": r[8],
            "positions": int(r[9]),
        }
        for r in rows
    ]


def _sponsors(db: Database, resolution_ids: list[int]) -> dict[int, list[str]]:
    if not resolution_ids:
        return {}
    rows = db.all(
        "SELECT s.resolution_id, coalesce(m.code, bl.code) FROM sponsor s"
        " LEFT JOIN member m ON m.id = s.member_id LEFT JOIN bloc bl ON bl.id = s.bloc_id"
        " ORDER BY s.resolution_id, s.ordinal"
    )
    wanted = set(resolution_ids)
    found: dict[int, list[str]] = {}
    for resolution_id, code in rows:
        if resolution_id in wanted:
            found.setdefault(int(resolution_id), []).append(str(code))
    return found


def show_resolution(db: Database, code: str) -> Row:
    info = lookup.resolution(db, code)
    row = db.one("SELECT note, source FROM resolution WHERE id = ?", (info.id,))
    assert row is not None
    listed = next(r for r in list_resolutions(db, meeting=info.meeting.code) if r["code"] == code)
    competing = db.all(
        "SELECT code FROM resolution WHERE alternative_to_id = ? ORDER BY code", (info.id,)
    )
    versions = db.scalar("SELECT count(*) FROM resolution_text WHERE resolution_id = ?", (info.id,))
    eligible = len(lookup.eligible_members(db, info.meeting.organization_id, info.meeting.start))
    listed.update(
        {
            "organization": info.meeting.organization,
            "meeting_date": info.meeting.start.isoformat(),
            "eligible": eligible,
            "rule_means": info.rule.describe(eligible),
            "sponsors": listed["sponsors"].split(";") if listed["sponsors"] else [],
            "alternatives": [c for (c,) in competing],
            "versions": int(versions or 0),
            "note": row[0],
            "source": row[1],
        }
    )
    return listed


@dataclass(frozen=True)
class NewResolution:
    code: str
    meeting: str
    title: str
    rule: RuleName | None = None
    required: int | None = None
    denominator: int | None = None
    status: str = "draft"
    sponsors: tuple[str, ...] = ()
    alternative_to: str | None = None
    note: str | None = None
    source: str | None = None


def resolve_rule(meeting: MeetingInfo, new: NewResolution) -> Rule:
    """A new resolution's rule: as given, else `fixed` with --required, else the meeting's."""
    name = new.rule
    if name is None:
        name = RuleName.FIXED if new.required is not None else RuleName(meeting.rule or "absolute")
    try:
        return Rule(name, required=new.required, denominator=new.denominator)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def add_resolution(db: Database, new: NewResolution) -> str:
    title = clean_text(new.title)
    if title is None:
        raise InvalidInput("a resolution needs a title")
    new = replace(new, title=title, note=clean_text(new.note), source=clean_text(new.source))
    meeting = lookup.meeting(db, new.meeting)
    if db.scalar("SELECT id FROM resolution WHERE code = ?", (new.code,)) is not None:
        raise Conflict(
            f"resolution {new.code} exists already",
            hint=f"see: oastrack resolution show {new.code}",
        )
    rule = resolve_rule(meeting, new)
    alternative = lookup.resolution(db, new.alternative_to).id if new.alternative_to else None
    resolution_id = db.insert(
        "INSERT INTO resolution (code, meeting_id, title, rule, required, denominator, status,"
        " alternative_to_id, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            new.code,
            meeting.id,
            new.title,
            rule.name.value,
            rule.required,
            rule.denominator,
            new.status,
            alternative,
            new.note,
            new.source,
        ),
    )
    set_sponsors(db, resolution_id, new.sponsors)
    return (
        f"added resolution {new.code} at {meeting.code} ({rule.describe(_eligible(db, meeting))})"
    )


def _eligible(db: Database, meeting: MeetingInfo) -> int:
    return len(lookup.eligible_members(db, meeting.organization_id, meeting.start))


def set_sponsors(db: Database, resolution_id: int, codes: tuple[str, ...] | list[str]) -> None:
    """Record the sponsors in order; each code is a member or a bloc."""
    seen: set[str] = set()
    for ordinal, code in enumerate(codes, start=1):
        if code in seen:
            continue
        seen.add(code)
        member = db.scalar("SELECT id FROM member WHERE code = ?", (code,))
        bloc = None if member is not None else lookup.bloc_id(db, code)
        if member is None and bloc is None:
            raise NotFound(f"sponsor {code!r} is neither a member nor a bloc")
        db.execute(
            "INSERT INTO sponsor (resolution_id, ordinal, member_id, bloc_id) VALUES (?, ?, ?, ?)",
            (resolution_id, ordinal, member, bloc),
        )


def set_status(db: Database, code: str, status: str) -> str:
    info = lookup.resolution(db, code)
    db.execute("UPDATE resolution SET status = ? WHERE id = ?", (status, info.id))
    return f"{code}: {info.status} -> {status}"
