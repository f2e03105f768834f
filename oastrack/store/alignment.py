"""How members vote together across official votes: a bloc's cohesion, members' agreement.

"Official votes" are the records of kind `official`; when a member has several official
records on one resolution, the latest (`store.sql.latest_official`) is its vote. Only `yes`,
`no` and `abstain` count as having voted (`core.alignment.VOTED`). The counting is in SQL (one
pass over the position table); the indices are computed in `oastrack.core.alignment`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date
from itertools import chain, repeat
from typing import Any

from oastrack.core import alignment
from oastrack.core.findings import Agreement, CohesionReport
from oastrack.core.matrix import AgreementMatrix, MatrixMember, VoteSets, agreement_matrix
from oastrack.errors import InvalidInput
from oastrack.store import blocs, members, organizations
from oastrack.store.db import Database
from oastrack.store.sql import VOTED_SQL, covers, latest_official, live

# -- cohesion ---------------------------------------------------------------------------------

# The bloc's members' official votes, counted per roll call and position, in one pass: a member
# counts on a roll call when it belonged to the bloc on the date of the meeting.
COHESION_SQL = (
    "SELECT p.resolution_id, p.position, count(*) FROM position p"
    " JOIN resolution r ON r.id = p.resolution_id JOIN meeting mt ON mt.id = r.meeting_id"
    " WHERE p.member_id IN (SELECT member_id FROM bloc_member WHERE bloc_id = ?)"
    " AND p.kind = 'official'"
    " AND EXISTS (SELECT 1 FROM bloc_member b WHERE b.bloc_id = ? AND b.member_id = p.member_id"
    f" AND {covers('b', 'mt.start_date')})"
    " AND (? IS NULL OR mt.start_date >= ?)"
    f" AND {latest_official('p')} AND p.position IN {VOTED_SQL}"
    " GROUP BY p.resolution_id, p.position"
)


def bloc_cohesion(db: Database, code: str, since: date | None) -> CohesionReport:
    """The bloc's mean Agreement Index over the official votes (of meetings since a date)."""
    found = blocs.get(db, code)
    day = since.isoformat() if since else None
    roll_calls: dict[int, dict[str, int]] = {}
    for resolution_id, position, count in db.all(COHESION_SQL, (found[0], found[0], day, day)):
        roll_calls.setdefault(int(resolution_id), {})[str(position)] = int(count)
    return CohesionReport(
        str(found[1]), str(found[2]), since, alignment.cohesion(roll_calls.values())
    )


# -- alignment --------------------------------------------------------------------------------

# Resolutions of meetings from a date on (every resolution when the date is NULL).
_SINCE = (
    "(? IS NULL OR {0}.resolution_id IN (SELECT r.id FROM resolution r"
    " JOIN meeting mt ON mt.id = r.meeting_id WHERE mt.start_date >= ?))"
)

# Two members' latest official records on the roll calls both have one on (the pairing and the
# counting are core.alignment.agreement's).
PAIR_SQL = (
    "SELECT a.position, b.position"
    " FROM position a JOIN position b ON b.resolution_id = a.resolution_id"
    " WHERE a.member_id = ? AND b.member_id = ? AND a.kind = 'official' AND b.kind = 'official'"
    f" AND {_SINCE.format('a')} AND {latest_official('a')} AND {latest_official('b')}"
)

# One member's latest official votes (yes, no or abstain): a few thousand rows at most.
_MINE = (
    "WITH mine AS (SELECT p.resolution_id, p.position FROM position p"
    " WHERE p.member_id = ? AND p.kind = 'official'"
    f" AND {_SINCE.format('p')} AND {latest_official('p')} AND p.position IN {VOTED_SQL}),"
)

# Everyone else's official records on those resolutions, in one sequential pass over the
# position table: the unary `+` keeps SQLite from reading it through an index in random order
# (several times slower on 870,000 rows), and the IN lists are built once. A record agrees when the
# member's vote on that resolution is in the list of the same position.
_AGREES = (
    "CASE WHEN b.position = 'yes' THEN CASE WHEN +b.resolution_id IN"
    " (SELECT resolution_id FROM mine WHERE position = 'yes') THEN 1 ELSE 0 END"
    " WHEN b.position = 'no' THEN CASE WHEN +b.resolution_id IN"
    " (SELECT resolution_id FROM mine WHERE position = 'no') THEN 1 ELSE 0 END"
    " WHEN b.position = 'abstain' THEN CASE WHEN +b.resolution_id IN"
    " (SELECT resolution_id FROM mine WHERE position = 'abstain') THEN 1 ELSE 0 END"
    " ELSE 0 END"
)
_OTHERS = (
    " FROM position b WHERE +b.resolution_id IN (SELECT resolution_id FROM mine)"
    " AND b.kind = 'official' AND +b.member_id <> ?"
)


# Everyone's agreement with one member, in one query; only each member's latest official
# record on a resolution counts. (Counting every official record and checking for repeats with
# count(DISTINCT) instead was at best 30% faster and needed a second query when there were.)
ALL_SQL = (
    f"{_MINE} agg AS (SELECT +b.member_id AS other,"
    f" sum(CASE WHEN b.position IN {VOTED_SQL} THEN 1 ELSE 0 END) AS compared,"
    f" sum({_AGREES}) AS agreed{_OTHERS} AND {latest_official('b')} GROUP BY +b.member_id)"
    " SELECT m.code, m.name, x.compared, x.agreed FROM agg x JOIN member m ON m.id = x.other"
)


def align_pair(db: Database, member: str, other: str, since: date | None) -> Agreement:
    """How often two members voted alike in official votes (of meetings since a date)."""
    if member == other:
        raise InvalidInput(f"align {member} with another member, not with itself")
    first = members.get(db, member).id
    second = members.get(db, other)
    day = since.isoformat() if since else None
    pairs = db.all(PAIR_SQL, (first, second.id, day, day))
    agreed, compared = alignment.agreement([a for a, _ in pairs], [b for _, b in pairs])
    return Agreement(member, other, second.name, agreed, compared)


def align_all(
    db: Database, member: str, since: date | None, limit: int | None = None
) -> list[Agreement]:
    """A member's agreement with every member it shared an official vote with, most alike
    first (then most roll calls compared, then by code); the first `limit`, if given."""
    first = members.get(db, member).id
    day = since.isoformat() if since else None
    params = (first, day, day, first)
    rows = db.all(ALL_SQL, params)
    found = [
        Agreement(member, str(r[0]), str(r[1]), int(r[3] or 0), int(r[2] or 0))
        for r in rows
        if r[2]
    ]
    found.sort(key=lambda a: (-(a.share or 0), -a.compared, a.other))
    # Cut here, not in SQL: the order is by the share, an exact fraction the core computes,
    # and the query costs the same whatever is kept (one row per member, a few hundred).
    return found if limit is None else found[:limit]


# -- every pair at once -----------------------------------------------------------------------

# The positions of the first three planes of bytes a record is marked in; the fourth holds any
# other position (absent, a lean, undecided: not having voted).
_PLANES = ("yes", "no", "abstain")
# At most this many bytes of planes at once (4 planes x members x roll calls): more roll calls
# are read a range of resolution ids at a time.
PLANE_BYTES = 1 << 26

# Every live official record as the place of its byte in the planes: plane, then member, then
# resolution, from the ids ({plane}, {width}, {member}, {start}: integers the code computes). One
# sequential pass over the position table: the unary `+` keeps SQLite from going through an
# index in random order.
_CELLS = (
    "SELECT CASE p.position WHEN 'yes' THEN 0 WHEN 'no' THEN {plane}"
    " WHEN 'abstain' THEN 2 * {plane} ELSE 3 * {plane} END"
    " + (p.member_id - {member}) * {width} + (p.resolution_id - {start}) FROM position p"
    f" WHERE p.kind = 'official' AND {live('p')}"
)
_IN_RANGE = " AND +p.resolution_id BETWEEN ? AND ?"
# The resolutions counted: every one, or of meetings from a date on, of an organization.
_CHOSEN = "SELECT r.id FROM resolution r JOIN meeting mt ON mt.id = r.meeting_id WHERE 1 = 1"
_FROM_DAY = " AND mt.start_date >= ?"
_OF_ORG = " AND mt.organization_id = ?"
# One member's vote on one roll call where its live official records differ: the latest.
_LATEST = (
    "SELECT p.position FROM position p WHERE p.member_id = ? AND p.resolution_id = ?"
    f" AND p.kind = 'official' AND {latest_official('p')}"
)
# "1" for a byte marked, as `int(..., 2)` reads a row of a plane.
_MARKED, _BLANK = ord("1"), b"0"


def align_matrix(
    db: Database, since: date | None, org: str | None, chosen: Sequence[str] = ()
) -> AgreementMatrix:
    """The agreement of every pair of members in official votes (of meetings since a date, of
    an organization's meetings), from one pass over the records: the members who voted at
    least once, sorted by code, or the members chosen, in that order.

    Each member's latest live official record on a roll call is its vote, as in `align_pair`.
    The records are marked in four planes of bytes (yes, no, abstain, other) read as the bits
    of `core.matrix.VoteSets`; a member marked in two planes on one roll call has records
    that differ there, and that one roll call is settled by its latest record.
    """
    for member in chosen:
        members.get(db, member)
    org_id = organizations.get_id(db, org) if org else None
    day = since.isoformat() if since else None
    chosen_sql = _CHOSEN + (_FROM_DAY if day else "") + (_OF_ORG if org_id else "")
    filters = tuple(value for value in (day, org_id) if value is not None)
    span = db.one(f"SELECT min(id), max(id) FROM resolution WHERE id IN ({chosen_sql})", filters)
    people = db.all("SELECT id, code, name FROM member ORDER BY id")
    bits = {int(row[0]): [0, 0, 0] for row in people}
    if span is not None and span[0] is not None and people:
        first, width = int(people[0][0]), int(people[-1][0]) - int(people[0][0]) + 1
        step = max(1, PLANE_BYTES // (4 * width))
        low, high = int(span[0]), int(span[1])
        ranged = high - low + 1 > step
        in_chosen = f" AND +p.resolution_id IN ({chosen_sql})" if filters else ""
        query = _CELLS + in_chosen + (_IN_RANGE if ranged else "")
        for start in range(low, high + 1, step):
            end = min(high, start + step - 1)
            length = end - start + 1
            sql = query.format(plane=width * length, width=length, member=first, start=start)
            params = filters + ((start, end) if ranged else ())
            planes = _planes(db, sql, params, width, length)
            for member_id, sets in bits.items():
                found = _vote_bits(db, planes, member_id, member_id - first, start, length)
                for index in range(3):
                    sets[index] = (sets[index] << length) | found[index]
    votes = {str(code): VoteSets(*bits[int(mid)]) for mid, code, _ in people}
    names = {str(code): str(name) for _, code, name in people}
    shown = list(chosen) or sorted(c for c, v in votes.items() if v.voted)
    listed = [MatrixMember(c, names[c], votes[c].voted.bit_count()) for c in shown]
    return AgreementMatrix(listed, agreement_matrix({c: votes[c] for c in shown}), since, org)


def _planes(db: Database, sql: str, params: Sequence[Any], width: int, length: int) -> bytearray:
    """The four planes of `width` members by `length` roll calls, each record's byte marked."""
    marked = bytearray(_BLANK) * (4 * width * length)
    mark = marked.__setitem__
    for batch in db.batches(sql, params):
        # The per-record work stays in C: a map over the places, consumed by a zero-length deque.
        deque(map(mark, chain.from_iterable(batch), repeat(_MARKED)), 0)
    return marked


def _vote_bits(
    db: Database, planes: bytearray, member_id: int, row: int, start: int, length: int
) -> list[int]:
    """One member's yes, no and abstain bits in a range of roll calls (the first is the highest
    bit), with the roll calls on which its records differ settled by the latest."""
    size = len(planes) // 4
    yes, no, abstain, other = (
        int(planes[p * size + row * length : p * size + (row + 1) * length], 2) for p in range(4)
    )
    differ = (yes & (no | abstain | other)) | (no & (abstain | other)) | (abstain & other)
    while differ:
        bit = differ & -differ
        differ ^= bit
        resolution_id = start + length - bit.bit_length()
        latest = db.scalar(_LATEST, (member_id, resolution_id))
        yes, no, abstain = (
            (plane & ~bit) | (bit if latest == position else 0)
            for plane, position in zip((yes, no, abstain), _PLANES, strict=True)
        )
    return [yes, no, abstain]
