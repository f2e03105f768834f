"""The analyst's questions: forecast, swing, comparison, cohesion, alignment, the chart, and the
versions of a draft's text. Queries here, arithmetic in `oastrack.core`.

"Official votes" are the records of kind `official`; when a member has several official
records on one resolution, the latest (by time, then by entry order) is its vote. Only `yes`,
`no` and `abstain` count as having voted (`core.alignment.VOTED`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from fractions import Fraction

from oastrack.core import alignment, forecast, swing
from oastrack.core.reports import (
    Agreement,
    ChartReport,
    CohesionReport,
    Comparison,
    Difference,
    ForecastReport,
    MemberChance,
    ResolutionInfo,
    Stance,
    SwingReport,
    TextDiff,
    TextVersion,
)
from oastrack.core.seating import seat_order
from oastrack.core.tally import count_positions, tally
from oastrack.core.textdiff import diff_words
from oastrack.core.values import as_time, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import lookup, votes
from oastrack.store.db import Database

# -- forecast ---------------------------------------------------------------------------------


def _stances(db: Database, code: str) -> tuple[ResolutionInfo, list[Stance], bool]:
    res = lookup.resolution(db, code)
    stances, official = votes.current_stances(db, res, None)
    return res, stances, official


def forecast_resolution(db: Database, code: str) -> ForecastReport:
    """The exact chance that a resolution passes, from each eligible member's current stance
    and the confidence of its latest record (official votes, once recorded, decide)."""
    res, stances, official = _stances(db, code)
    members = {s.code: (s.position, s.confidence) for s in stances}
    outlook = forecast.forecast(res.rule, members, official=official)
    result = tally(res.rule, {s.code: s.position for s in stances}, official=official)
    chances = [
        MemberChance(
            s.code,
            s.name,
            s.position,
            s.confidence,
            Fraction(int(s.position == "yes"))
            if official
            else forecast.yes_chance(s.position, s.confidence),
        )
        for s in stances
    ]
    return ForecastReport(res, official, result, outlook, chances)


# -- swing ------------------------------------------------------------------------------------


def swing_resolution(db: Database, code: str, *, by_bloc: bool = False) -> SwingReport:
    """The fewest members whose move to yes carries the text, the pivotal members, and with
    `by_bloc` the smallest combinations of blocs (members on the meeting's date) that would."""
    res, stances, official = _stances(db, code)
    positions = {s.code: s.position for s in stances}
    found = swing.swing(res.rule, positions, official=official)
    blocs = None
    if by_bloc:
        on_date = lookup.blocs_on(db, res.meeting.start)
        blocs = swing.swing_blocs(res.rule, positions, on_date, official=official)
    result = tally(res.rule, positions, official=official)
    return SwingReport(res, official, result, found, {s.code: s for s in stances}, blocs)


# -- compare ----------------------------------------------------------------------------------


def compare_resolutions(db: Database, left: str, right: str) -> Comparison:
    """Two tallies, and the members whose current stance differs between them, by code."""
    if left == right:
        raise InvalidInput(f"compare {left} with another resolution, not with itself")
    first = votes.tally_resolution(db, left)
    second = votes.tally_resolution(db, right)
    on_left = {s.code: s for s in first.stances}
    on_right = {s.code: s for s in second.stances}
    differences = []
    for member in sorted(on_left.keys() | on_right.keys()):
        a, b = on_left.get(member), on_right.get(member)
        stance_a = a.position if a else None
        stance_b = b.position if b else None
        if stance_a != stance_b:
            name = a.name if a else b.name if b else member
            differences.append(Difference(member, name, stance_a, stance_b))
    return Comparison(first, second, differences)


# -- cohesion ---------------------------------------------------------------------------------

# alignment.VOTED as an SQL list: ('yes', 'no', 'abstain').
VOTED_SQL = "(" + ", ".join(f"'{position}'" for position in alignment.VOTED) + ")"


def _latest(alias: str) -> str:
    """SQL: the record `alias` is its member's latest official record on the resolution."""
    return (
        f"NOT EXISTS (SELECT 1 FROM position q WHERE q.resolution_id = {alias}.resolution_id"
        f" AND q.member_id = {alias}.member_id AND q.kind = 'official' AND q.id <> {alias}.id"
        f" AND (q.recorded_at > {alias}.recorded_at"
        f" OR (q.recorded_at = {alias}.recorded_at AND q.id > {alias}.id)))"
    )


# The bloc's members' official votes, counted per roll call and position, in one pass: a member
# counts on a roll call when it belonged to the bloc on the date of the meeting.
COHESION_SQL = (
    "SELECT p.resolution_id, p.position, count(*) FROM position p"
    " JOIN resolution r ON r.id = p.resolution_id JOIN meeting mt ON mt.id = r.meeting_id"
    " WHERE p.member_id IN (SELECT member_id FROM bloc_member WHERE bloc_id = ?)"
    " AND p.kind = 'official'"
    " AND EXISTS (SELECT 1 FROM bloc_member b WHERE b.bloc_id = ? AND b.member_id = p.member_id"
    " AND (b.start_date IS NULL OR b.start_date <= mt.start_date)"
    " AND (b.end_date IS NULL OR b.end_date >= mt.start_date))"
    " AND (? IS NULL OR mt.start_date >= ?)"
    f" AND {_latest('p')} AND p.position IN {VOTED_SQL}"
    " GROUP BY p.resolution_id, p.position"
)


def bloc_cohesion(db: Database, code: str, since: date | None) -> CohesionReport:
    """The bloc's mean Agreement Index over the official votes (of meetings since a date)."""
    found = db.one("SELECT id, code, name FROM bloc WHERE code = ?", (code,))
    if found is None:
        raise NotFound(f"no bloc {code!r}", hint="see: oastrack bloc list")
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

PAIR_SQL = (
    "SELECT count(*), coalesce(sum(CASE WHEN a.position = b.position THEN 1 ELSE 0 END), 0)"
    " FROM position a JOIN position b ON b.resolution_id = a.resolution_id"
    " WHERE a.member_id = ? AND b.member_id = ? AND a.kind = 'official' AND b.kind = 'official'"
    f" AND a.position IN {VOTED_SQL} AND b.position IN {VOTED_SQL}"
    f" AND {_SINCE.format('a')} AND {_latest('a')} AND {_latest('b')}"
)

# One member's latest official votes (yes, no or abstain): a few thousand rows at most.
_MINE = (
    "WITH mine AS (SELECT p.resolution_id, p.position FROM position p"
    " WHERE p.member_id = ? AND p.kind = 'official'"
    f" AND {_SINCE.format('p')} AND {_latest('p')} AND p.position IN {VOTED_SQL}),"
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
    f" sum({_AGREES}) AS agreed{_OTHERS} AND {_latest('b')} GROUP BY +b.member_id)"
    " SELECT m.code, m.name, x.compared, x.agreed FROM agg x JOIN member m ON m.id = x.other"
)


def _member(db: Database, code: str) -> tuple[int, str]:
    found = db.one("SELECT id, name FROM member WHERE code = ?", (code,))
    if found is None:
        raise NotFound(f"no member {code!r}", hint="see: oastrack member list")
    return int(found[0]), str(found[1])


def align_pair(db: Database, member: str, other: str, since: date | None) -> Agreement:
    """How often two members voted alike in official votes (of meetings since a date)."""
    if member == other:
        raise InvalidInput(f"align {member} with another member, not with itself")
    first, _ = _member(db, member)
    second, second_name = _member(db, other)
    day = since.isoformat() if since else None
    row = db.one(PAIR_SQL, (first, second, day, day))
    compared, agreed = (int(row[0]), int(row[1])) if row else (0, 0)
    return Agreement(member, other, second_name, agreed, compared)


def align_all(db: Database, member: str, since: date | None) -> list[Agreement]:
    """A member's agreement with every member it shared an official vote with, most alike
    first (then most roll calls compared, then by code)."""
    first, _ = _member(db, member)
    day = since.isoformat() if since else None
    params = (first, day, day, first)
    rows = db.all(ALL_SQL, params)
    found = [
        Agreement(member, str(r[0]), str(r[1]), int(r[3] or 0), int(r[2] or 0))
        for r in rows
        if r[2]
    ]
    found.sort(key=lambda a: (-(a.share or 0), -a.compared, a.other))
    return found


# -- chart ------------------------------------------------------------------------------------


def chart_resolution(db: Database, code: str) -> ChartReport:
    """The eligible members in seat order, with their stance and main bloc."""
    res, stances, official = _stances(db, code)
    members = seat_order(stances, lookup.blocs_on(db, res.meeting.start))
    counts = count_positions(m.position for m in members)
    return ChartReport(res, official, members, counts)


# -- versions of the text ---------------------------------------------------------------------


def _versions(db: Database, resolution_id: int) -> list[int]:
    rows = db.all(
        "SELECT version FROM resolution_text WHERE resolution_id = ? ORDER BY version",
        (resolution_id,),
    )
    return [int(r[0]) for r in rows]


def add_text(
    db: Database, code: str, text: str, *, analyst: str, note: str | None, at: datetime
) -> int:
    """Store the next version of a resolution's text; returns its number (from 1).

    A text identical to the latest version is refused: nothing would change.
    """
    res = lookup.resolution(db, code)
    if not text.strip():
        raise InvalidInput("the text is empty; nothing stored")
    latest = db.one(
        "SELECT version, text FROM resolution_text WHERE resolution_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (res.id,),
    )
    if latest is not None and latest[1] == text:
        raise InvalidInput(
            f"the text is identical to version {latest[0]} of {res.code}; nothing stored"
        )
    version = 1 if latest is None else int(latest[0]) + 1
    db.execute(
        "INSERT INTO resolution_text (resolution_id, version, text, recorded_at, analyst, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (res.id, version, text, stored_time(at), analyst, note),
    )
    return version


def _text_version(db: Database, res: ResolutionInfo, version: int) -> TextVersion:
    row = db.one(
        "SELECT version, text, recorded_at, analyst, note FROM resolution_text"
        " WHERE resolution_id = ? AND version = ?",
        (res.id, version),
    )
    if row is None:
        known = _versions(db, res.id)
        listed = ", ".join(str(v) for v in known) if known else "none yet"
        raise NotFound(f"{res.code} has no version {version} (versions: {listed})")
    return TextVersion(int(row[0]), str(row[1]), as_time(row[2]), str(row[3]), row[4])


def diff_text(db: Database, code: str, old: int | None, new: int | None) -> TextDiff:
    """What changed between two versions of a resolution's text, word by word.

    No versions given: the last two. One given: that one against the latest.
    """
    res = lookup.resolution(db, code)
    if old is None or new is None:
        known = _versions(db, res.id)
        if old is None:
            if len(known) < 2:
                count = f"{len(known)} version{'s' if len(known) != 1 else ''}"
                raise InvalidInput(
                    f"{res.code} has {count} of its text: nothing to compare",
                    hint=f"store a new version with: oastrack resolution amend {res.code}"
                    " --text-file FILE",
                )
            old, new = known[-2], known[-1]
        else:
            new = known[-1] if known else old
    first = _text_version(db, res, old)
    second = _text_version(db, res, new)
    return TextDiff(res.code, first, second, diff_words(first.text, second.text))


# -- completion -------------------------------------------------------------------------------

_CODES_SQL = {
    "resolution": "SELECT code, title FROM resolution ORDER BY code",
    "member": "SELECT code, name FROM member ORDER BY code",
    "bloc": "SELECT code, name FROM bloc ORDER BY code",
}


def codes(db: Database, kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) of every resolution, member or bloc, for shell completion."""
    found: list[tuple[str, str]] = []
    for kind in kinds:
        found.extend((str(r[0]), str(r[1] or "")) for r in db.all(_CODES_SQL[kind]))
    return found
