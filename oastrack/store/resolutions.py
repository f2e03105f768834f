"""The `resolution` and `sponsor` tables: draft texts at a meeting, their rule and sponsors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from oastrack.core.reports import MeetingInfo, ResolutionInfo
from oastrack.core.rules import Rule, RuleName, parse_rule_spec
from oastrack.core.values import clean_text
from oastrack.errors import Conflict, InvalidInput, NotFound
from oastrack.store import blocs, meetings, members
from oastrack.store.db import Database
from oastrack.store.sql import limit_to


@dataclass(frozen=True)
class NewResolution:
    code: str
    meeting: str
    title: str
    rule: str | None = None  # a rule's name or its general form; default: the meeting's
    required: int | None = None
    denominator: int | None = None
    status: str = "draft"
    sponsors: tuple[str, ...] = ()
    alternative_to: str | None = None
    note: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class AddedResolution:
    code: str
    meeting: MeetingInfo
    rule: Rule
    eligible: int
    total_weight: int | None


def rule_of(spec: str, required: Any, denominator: Any) -> Rule:
    """A resolution's rule from its stored columns (the rule's name or general form)."""
    return parse_rule_spec(
        spec,
        required=None if required is None else int(required),
        denominator=None if denominator is None else int(denominator),
    )


def find_id(db: Database, code: str) -> int | None:
    found = db.scalar("SELECT id FROM resolution WHERE code = ?", (code,))
    return None if found is None else int(found)


def find(db: Database, code: str) -> ResolutionInfo | None:
    row = db.one(
        "SELECT id, code, title, status, rule, required, denominator, meeting_id"
        " FROM resolution WHERE code = ?",
        (code,),
    )
    if row is None:
        return None
    rule = rule_of(row[4], row[5], row[6])
    return ResolutionInfo(row[0], row[1], row[2], row[3], rule, meetings.get_by_id(db, row[7]))


def get(db: Database, code: str) -> ResolutionInfo:
    found = find(db, code)
    if found is None:
        raise NotFound(f"no resolution {code!r}", hint="see: oastrack resolution list")
    return found


def resolve_rule(meeting: MeetingInfo, new: NewResolution) -> Rule:
    """A new resolution's rule: as given, else `fixed` with --required, else the meeting's."""
    spec = new.rule
    if spec is None:
        spec = RuleName.FIXED.value if new.required is not None else meeting.rule or "absolute"
    try:
        return parse_rule_spec(spec, required=new.required, denominator=new.denominator)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def insert(
    db: Database,
    code: str,
    meeting: MeetingInfo,
    title: str,
    rule: Rule,
    *,
    status: str = "draft",
    alternative_to: int | None = None,
    note: str | None = None,
    source: str | None = None,
) -> int:
    return db.insert(
        "INSERT INTO resolution (code, meeting_id, title, rule, required, denominator, status,"
        " alternative_to_id, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            code,
            meeting.id,
            title,
            rule.spec,
            rule.required,
            rule.denominator,
            status,
            alternative_to,
            note,
            source,
        ),
    )


def insert_many(db: Database, new: list[tuple[str, MeetingInfo, str, Rule]]) -> dict[str, int]:
    """Insert draft resolutions (code, meeting, title, rule) in one round trip, in order;
    their ids by code (a bulk import creates thousands: one statement each cost seconds)."""
    if not new:
        return {}
    db.executemany(
        "INSERT INTO resolution (code, meeting_id, title, rule, required, denominator, status)"
        " VALUES (?, ?, ?, ?, ?, ?, 'draft')",
        [
            (code, meeting.id, title, rule.spec, rule.required, rule.denominator)
            for code, meeting, title, rule in new
        ],
    )
    ids = all_targets(db)
    return {code: ids[code][0] for code, _, _, _ in new}


def set_sponsors(db: Database, resolution_id: int, codes: tuple[str, ...] | list[str]) -> None:
    """Record the sponsors in order; each code is a member or a bloc."""
    seen: set[str] = set()
    for ordinal, code in enumerate(codes, start=1):
        if code in seen:
            continue
        seen.add(code)
        member = members.find(db, code)
        bloc = None if member is not None else blocs.find_id(db, code)
        if member is None and bloc is None:
            raise NotFound(f"sponsor {code!r} is neither a member nor a bloc")
        db.execute(
            "INSERT INTO sponsor (resolution_id, ordinal, member_id, bloc_id) VALUES (?, ?, ?, ?)",
            (resolution_id, ordinal, None if member is None else member.id, bloc),
        )


def show_row(db: Database, code: str) -> dict[str, Any]:
    """The fields `resolution set` corrects, as stored (sponsors as a list of codes)."""
    row = _listing(db, None, code)[0]
    return {
        key: row[key] for key in ("title", "rule", "required", "denominator", "sponsors", "status")
    }


def update(db: Database, resolution_id: int, fields: dict[str, Any]) -> None:
    """Write a corrected title, rule, required, denominator and status (`store.corrections`)."""
    db.execute(
        "UPDATE resolution SET title = ?, rule = ?, required = ?, denominator = ?, status = ?"
        " WHERE id = ?",
        (
            fields["title"],
            fields["rule"],
            fields["required"],
            fields["denominator"],
            fields["status"],
            resolution_id,
        ),
    )


def replace_sponsors(db: Database, resolution_id: int, codes: list[str]) -> None:
    db.execute("DELETE FROM sponsor WHERE resolution_id = ?", (resolution_id,))
    set_sponsors(db, resolution_id, codes)


def set_alternative(db: Database, resolution_id: int, alternative_to: int) -> None:
    db.execute(
        "UPDATE resolution SET alternative_to_id = ? WHERE id = ?", (alternative_to, resolution_id)
    )


def set_status(db: Database, code: str, status: str) -> tuple[str, str]:
    """Set a resolution's status; returns (before, after)."""
    info = get(db, code)
    db.execute("UPDATE resolution SET status = ? WHERE id = ?", (status, info.id))
    return info.status, status


def import_targets(db: Database, code: str) -> tuple[int, int] | None:
    """(resolution id, meeting id) of a resolution, for the bulk import's look-ups."""
    row = db.one("SELECT id, meeting_id FROM resolution WHERE code = ?", (code,))
    return None if row is None else (int(row[0]), int(row[1]))


def all_targets(db: Database) -> dict[str, tuple[int, int]]:
    """(resolution id, meeting id) of every resolution by code, in one query."""
    rows = db.all("SELECT code, id, meeting_id FROM resolution")
    return {str(code): (int(rid), int(mid)) for code, rid, mid in rows}


def with_official_votes(db: Database, org_id: int) -> list[tuple[str, Any]]:
    """(code, meeting start) of the organization's resolutions that have official votes, by
    code: the ones whose recorded tally a new member of the organization would change."""
    rows = db.all(
        "SELECT r.code, mt.start_date FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
        " WHERE mt.organization_id = ? AND EXISTS (SELECT 1 FROM position p"
        " WHERE p.resolution_id = r.id AND p.kind = 'official') ORDER BY r.code",
        (org_id,),
    )
    return [(str(code), start) for code, start in rows]


def codes(db: Database) -> list[tuple[str, str]]:
    """(code, title) of every resolution, by code."""
    rows = db.all("SELECT code, title FROM resolution ORDER BY code")
    return [(str(c), str(t or "")) for c, t in rows]


def versions(db: Database, resolution_id: int) -> int:
    """How many versions of the text are stored."""
    found = db.scalar(
        "SELECT count(*) FROM resolution_text WHERE resolution_id = ?", (resolution_id,)
    )
    return int(found or 0)


# -- listings ---------------------------------------------------------------------------------

_LISTING = (
    "SELECT r.id, r.code, mt.code, r.title, r.rule, r.required, r.denominator, r.status,"
    " alt.code, (SELECT count(*) FROM position p WHERE p.resolution_id = r.id), r.note, r.source"
    " FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
    " LEFT JOIN resolution alt ON alt.id = r.alternative_to_id"
)
# Which resolutions: those of one meeting, one by code, or all (NULL parameters).
_WHICH = "(? IS NULL OR r.meeting_id = ?) AND (? IS NULL OR r.code = ?)"


_ORDER = " ORDER BY mt.start_date, mt.code, r.code"


def _listing(
    db: Database, meeting_id: int | None, code: str | None, rows: int | None = None
) -> list[dict[str, Any]]:
    """Resolutions with their sponsors (the first `rows` of them, if given): two queries
    whatever their number."""
    params = (meeting_id, meeting_id, code, code)
    found = db.all(f"{_LISTING} WHERE {_WHICH}{_ORDER}{limit_to(rows)}", params)
    # The sponsors of the same resolutions: of all that match, or of the first `rows` listed.
    which = f"SELECT r.id FROM resolution r WHERE {_WHICH}"
    if rows is not None:
        which = (
            "SELECT r.id FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id"
            f" WHERE {_WHICH}{_ORDER}{limit_to(rows)}"
        )
    sponsors: dict[int, list[str]] = {}
    for resolution_id, sponsor in db.all(
        "SELECT s.resolution_id, coalesce(m.code, bl.code) FROM sponsor s"
        " LEFT JOIN member m ON m.id = s.member_id LEFT JOIN bloc bl ON bl.id = s.bloc_id"
        f" WHERE s.resolution_id IN ({which})"
        " ORDER BY s.resolution_id, s.ordinal",
        params,
    ):
        sponsors.setdefault(int(resolution_id), []).append(str(sponsor))
    return [
        {
            "code": r[1],
            "meeting": r[2],
            "title": r[3],
            "rule": r[4],
            "required": r[5],
            "denominator": r[6],
            "status": r[7],
            "sponsors": sponsors.get(int(r[0]), []),
            "alternative_to": r[8],
            "positions": int(r[9]),
            "note": r[10],
            "source": r[11],
        }
        for r in found
    ]


def list_resolutions(
    db: Database, *, meeting: str | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Resolutions by meeting date, meeting and code (of one meeting; the first `limit`)."""
    meeting_id = meetings.get(db, meeting).id if meeting else None
    return [
        {
            **{k: v for k, v in row.items() if k not in ("note", "source")},
            "sponsors": ";".join(row["sponsors"]),
        }
        for row in _listing(db, meeting_id, None, limit)
    ]


def dump(db: Database) -> list[dict[str, Any]]:
    """Every resolution with its note, source and sponsors (a list), in listing order."""
    return _listing(db, None, None)


def show_resolution(db: Database, code: str) -> dict[str, Any]:
    info = get(db, code)
    listed = _listing(db, None, code)[0]
    note, source = listed.pop("note"), listed.pop("source")
    competing = db.all(
        "SELECT code FROM resolution WHERE alternative_to_id = ? ORDER BY code", (info.id,)
    )
    eligible = len(members.eligible_members(db, info.meeting.organization_id, info.meeting.start))
    total = None
    if info.rule.weighted:
        _, weights = members.powers(db, info.meeting.organization_id, info.meeting.start)
        total = sum(weights.values())
    listed.update(
        {
            "organization": info.meeting.organization,
            "meeting_date": info.meeting.start.isoformat(),
            "eligible": eligible,
            "rule_means": info.rule.describe(eligible, total_weight=total),
            "alternatives": [c for (c,) in competing],
            "versions": versions(db, info.id),
            "note": note,
            "source": source,
        }
    )
    return listed


def show_meeting(db: Database, code: str) -> dict[str, Any]:
    """`meeting show`: the meeting, and its resolutions as `resolution list` gives them."""
    found = meetings.describe(db, code)
    found["resolutions"] = list_resolutions(db, meeting=code)
    return found


def add_resolution(db: Database, new: NewResolution) -> AddedResolution:
    title = clean_text(new.title)
    if title is None:
        raise InvalidInput("a resolution needs a title")
    new = replace(new, title=title, note=clean_text(new.note), source=clean_text(new.source))
    meeting = meetings.get(db, new.meeting)
    if find_id(db, new.code) is not None:
        raise Conflict(
            f"resolution {new.code} exists already",
            hint=f"see: oastrack resolution show {new.code}",
        )
    rule = resolve_rule(meeting, new)
    alternative = get(db, new.alternative_to).id if new.alternative_to else None
    resolution_id = insert(
        db,
        new.code,
        meeting,
        title,
        rule,
        status=new.status,
        alternative_to=alternative,
        note=new.note,
        source=new.source,
    )
    set_sponsors(db, resolution_id, new.sponsors)
    eligible = len(members.eligible_members(db, meeting.organization_id, meeting.start))
    total = None
    if rule.weighted:
        total = sum(members.powers(db, meeting.organization_id, meeting.start)[1].values())
    return AddedResolution(new.code, meeting, rule, eligible, total)


def motions(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, title, rule, required, denominator, status, meeting, organization id, meeting
    start, body, organization code) of every resolution, by code: the Popolo motions."""
    return db.stream(
        "SELECT r.code, r.title, r.rule, r.required, r.denominator, r.status, mt.code,"
        " mt.organization_id, mt.start_date, mt.body, o.code FROM resolution r"
        " JOIN meeting mt ON mt.id = r.meeting_id"
        " JOIN organization o ON o.id = mt.organization_id ORDER BY r.code"
    )
