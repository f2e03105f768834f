"""The `member` and `membership` tables: member states and their dated statuses.

Eligibility on a date (`store.sql.eligible`) is asked of the memberships here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from oastrack.core.values import as_date, clean_text
from oastrack.errors import Conflict, InvalidInput, NotFound
from oastrack.store import meetings, organizations
from oastrack.store.db import Database
from oastrack.store.sql import covers, day, eligible, iso, limit_to


@dataclass(frozen=True)
class Member:
    id: int
    code: str
    name: str
    note: str | None


@dataclass(frozen=True)
class NewMembership:
    org: str
    status: str = "active"
    start: date | None = None
    end: date | None = None
    note: str | None = None
    veto: bool = False
    weight: int | None = None
    # No start and this set: a member since always, even of an organization with meetings.
    since_always: bool = False


@dataclass(frozen=True)
class AddedMember:
    """What `member add` did: created the member, or only added a membership."""

    code: str
    name: str
    created: bool
    membership: NewMembership | None


# -- members ----------------------------------------------------------------------------------


def find(db: Database, code: str) -> Member | None:
    row = db.one("SELECT id, code, name, note FROM member WHERE code = ?", (code,))
    return None if row is None else Member(int(row[0]), str(row[1]), str(row[2]), row[3])


def get(db: Database, code: str) -> Member:
    """The member; NotFound when no member has the code."""
    found = find(db, code)
    if found is None:
        raise NotFound(f"no member {code!r}", hint="see: oastrack member list")
    return found


def ids(db: Database) -> dict[str, int]:
    """Every member's id by code (the bulk import's look-up table)."""
    return {str(code): int(mid) for mid, code in db.all("SELECT id, code FROM member")}


def insert(db: Database, code: str, name: str, note: str | None = None) -> int:
    return db.insert(
        "INSERT INTO member (code, name, note) VALUES (?, ?, ?) RETURNING id", (code, name, note)
    )


def insert_many(db: Database, new: list[tuple[str, str, int]]) -> dict[str, int]:
    """Insert members (code, name, organization), each active there without dates, in order;
    their ids by code."""
    if not new:
        return {}
    db.executemany("INSERT INTO member (code, name) VALUES (?, ?)", [(c, n) for c, n, _ in new])
    found = ids(db)
    db.executemany(
        "INSERT INTO membership (organization_id, member_id, status) VALUES (?, ?, 'active')",
        [(org, found[code]) for code, _, org in new],
    )
    return {code: found[code] for code, _, _ in new}


def codes(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every member, by code."""
    return [
        (str(c), str(n or "")) for c, n in db.all("SELECT code, name FROM member ORDER BY code")
    ]


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, name, note) of every member, by code."""
    return db.stream("SELECT code, name, note FROM member ORDER BY code")


# -- memberships ------------------------------------------------------------------------------


def membership_exists(
    db: Database, org_id: int, member_id: int, status: str, start: Any, end: Any
) -> bool:
    """Whether the member has exactly this status record (same status and dates)."""
    found = db.scalar(
        "SELECT count(*) FROM membership WHERE organization_id = ? AND member_id = ?"
        " AND status = ? AND start_date IS NOT DISTINCT FROM ?"
        " AND end_date IS NOT DISTINCT FROM ?",
        (org_id, member_id, status, day(start), day(end)),
    )
    return bool(found)


def open_memberships(db: Database, org_id: int, member_id: int) -> list[tuple[int, Any, str]]:
    """(id, start, status) of the member's memberships of the organization with no end."""
    rows = db.all(
        "SELECT id, start_date, status FROM membership WHERE organization_id = ? AND member_id = ?"
        " AND end_date IS NULL ORDER BY id",
        (org_id, member_id),
    )
    return [(int(r[0]), as_date(r[1]), str(r[2])) for r in rows]


def end_membership(db: Database, membership_id: int, on: date) -> None:
    db.execute("UPDATE membership SET end_date = ? WHERE id = ?", (day(on), membership_id))


def insert_membership(
    db: Database,
    org_id: int,
    member_id: int,
    status: str = "active",
    start: Any = None,
    end: Any = None,
    note: str | None = None,
    veto: bool = False,
    weight: int | None = None,
) -> None:
    db.execute(
        "INSERT INTO membership (organization_id, member_id, status, start_date, end_date, note,"
        " veto, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (org_id, member_id, status, day(start), day(end), note, veto, weight),
    )


def eligible_members(db: Database, org_id: int, on: date) -> list[tuple[int, str, str]]:
    """(id, code, name) of the members eligible in the organization on the date, by code."""
    rows = db.all(
        "SELECT DISTINCT m.id, m.code, m.name FROM membership ms"
        " JOIN member m ON m.id = ms.member_id"
        f" WHERE ms.organization_id = ? AND {eligible('ms')} ORDER BY m.code",
        (org_id, *[on.isoformat()] * 4),
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def powers(db: Database, org_id: int, on: date) -> tuple[frozenset[str], dict[str, int]]:
    """The codes of the eligible members holding a veto on the date, and each eligible member's
    weight (members without one weigh 0), from the memberships that make them eligible."""
    rows = db.all(
        "SELECT m.code, ms.veto, ms.weight FROM membership ms JOIN member m ON m.id = ms.member_id"
        f" WHERE ms.organization_id = ? AND {eligible('ms')}",
        (org_id, *[on.isoformat()] * 4),
    )
    vetoes = frozenset(str(code) for code, veto, _ in rows if veto)
    weights: dict[str, int] = {}
    for code, _, weight in rows:
        weights[str(code)] = max(weights.get(str(code), 0), int(weight or 0))
    return vetoes, weights


def status_on(db: Database, org_id: int, member_id: int, on: date) -> str | None:
    """A member's status in an organization on a date; None when it was not a member."""
    row = db.one(
        "SELECT status FROM membership ms WHERE organization_id = ? AND member_id = ?"
        f" AND {covers('ms')} ORDER BY CASE status WHEN 'active' THEN 1 ELSE 0 END LIMIT 1",
        (org_id, member_id, on.isoformat(), on.isoformat()),
    )
    return None if row is None else str(row[0])


def statuses(db: Database) -> list[tuple[int, str, str, Any, Any, bool, int]]:
    """(organization id, member code, status, start, end, veto, weight) of every membership (a
    few hundred)."""
    return [
        (int(r[0]), str(r[1]), str(r[2]), r[3], r[4], bool(r[5]), int(r[6] or 0))
        for r in db.all(
            "SELECT ms.organization_id, m.code, ms.status, ms.start_date, ms.end_date, ms.veto,"
            " ms.weight FROM membership ms JOIN member m ON m.id = ms.member_id"
        )
    ]


def dump_memberships(db: Database) -> Iterator[tuple[Any, ...]]:
    """(org, member, status, start, end, veto, weight, note) of every membership, in a stable
    order."""
    return db.stream(
        "SELECT o.code, m.code, ms.status, ms.start_date, ms.end_date, ms.veto, ms.weight,"
        " ms.note"
        " FROM membership ms JOIN organization o ON o.id = ms.organization_id"
        " JOIN member m ON m.id = ms.member_id"
        " ORDER BY o.code, m.code, ms.start_date IS NOT NULL, ms.start_date, ms.status,"
        " ms.end_date"
    )


def export_rows(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, name, org, status, start, end, veto, weight, note) per membership; members of
    none too."""
    return db.stream(
        "SELECT m.code, m.name, o.code, ms.status, ms.start_date, ms.end_date, ms.veto,"
        " ms.weight, coalesce(ms.note, m.note) FROM member m"
        " LEFT JOIN membership ms ON ms.member_id = m.id"
        " LEFT JOIN organization o ON o.id = ms.organization_id"
        " ORDER BY m.code, o.code, ms.start_date IS NOT NULL, ms.start_date"
    )


# -- the commands' questions ------------------------------------------------------------------


def list_members(
    db: Database, *, org: str | None, on: date, limit: int | None = None
) -> list[dict[str, Any]]:
    """Each member's status in each organization on a date (members of none are listed too),
    by member and organization; the first `limit` rows, if given."""
    org_id = organizations.get_id(db, org) if org else None
    rows = db.all(
        "SELECT m.code, m.name, o.code, ms.status, ms.start_date, ms.end_date, ms.veto, ms.weight"
        " FROM member m"
        f" LEFT JOIN membership ms ON ms.member_id = m.id AND {covers('ms')}"
        " LEFT JOIN organization o ON o.id = ms.organization_id"
        " WHERE (? IS NULL OR ms.organization_id = ?)"
        f" ORDER BY m.code, o.code{limit_to(limit)}",
        (on.isoformat(), on.isoformat(), org_id, org_id),
    )
    keys = ("code", "name", "org", "status")
    return [
        {
            **dict(zip(keys, r[:4], strict=True)),
            "start": iso(r[4]),
            "end": iso(r[5]),
            "veto": None if r[6] is None else bool(r[6]),
            "weight": r[7],
        }
        for r in rows
    ]


def show_member(db: Database, code: str) -> dict[str, Any]:
    member = get(db, code)
    memberships = db.all(
        "SELECT o.code, ms.status, ms.start_date, ms.end_date, ms.note, ms.veto, ms.weight"
        " FROM membership ms"
        " JOIN organization o ON o.id = ms.organization_id WHERE ms.member_id = ?"
        " ORDER BY o.code, ms.start_date IS NOT NULL, ms.start_date",
        (member.id,),
    )
    blocs = db.all(
        "SELECT bl.code, bl.name, b.start_date, b.end_date FROM bloc_member b"
        " JOIN bloc bl ON bl.id = b.bloc_id WHERE b.member_id = ? ORDER BY bl.code",
        (member.id,),
    )
    positions = db.scalar("SELECT count(*) FROM position WHERE member_id = ?", (member.id,))
    return {
        "code": member.code,
        "name": member.name,
        "note": member.note,
        "memberships": [
            {
                "org": r[0],
                "status": r[1],
                "start": iso(r[2]),
                "end": iso(r[3]),
                "veto": bool(r[5]),
                "weight": r[6],
                "note": r[4],
            }
            for r in memberships
        ],
        "blocs": [
            {"bloc": r[0], "name": r[1], "start": iso(r[2]), "end": iso(r[3])} for r in blocs
        ],
        "positions": int(positions or 0),
    }


def add_member(
    db: Database, code: str, name: str, membership: NewMembership | None, note: str | None
) -> AddedMember:
    """Add a member, or a membership to an existing one."""
    name, note = clean_text(name) or "", clean_text(note)
    if membership is not None:
        membership = replace(membership, note=clean_text(membership.note))
    found = find(db, code)
    if found is None:
        if not name:
            raise InvalidInput(
                f"a new member needs a name: oastrack member add {code} --name NAME --org ORG"
            )
        member_id = insert(db, code, name, note)
    else:
        member_id = found.id
        name = found.name
        if membership is None:
            raise Conflict(
                f"member {code} exists already ({found.name})",
                hint="add a membership with --org ORG [--status S] [--start D] [--end D]",
            )
    if membership is not None:
        if membership.start and membership.end and membership.end < membership.start:
            raise InvalidInput(
                f"the end {membership.end} comes before the start {membership.start}"
            )
        org_id, _ = organizations.ensure(db, membership.org)
        first = meetings.first_date(db, org_id)
        if membership.start is None and not membership.since_always and first is not None:
            raise InvalidInput(
                f"{membership.org} has met since {first}: with no start, {code} would count as a"
                " member at every meeting, and past tallies would change",
                hint="give --start DATE (its first day), or --since-always if it always was",
            )
        if membership_exists(
            db, org_id, member_id, membership.status, membership.start, membership.end
        ):
            raise Conflict(f"{code} already has that membership of {membership.org}")
        insert_membership(
            db,
            org_id,
            member_id,
            membership.status,
            membership.start,
            membership.end,
            membership.note,
            membership.veto,
            membership.weight,
        )
    return AddedMember(code, name, found is None, membership)
