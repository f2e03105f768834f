"""The analyst's questions about one or two resolutions: forecast, swing, comparison and the
chart. The store gathers each member's current stance; the arithmetic is in `oastrack.core`.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from oastrack.core.findings import (
    ChartReport,
    Comparison,
    Difference,
    ForecastReport,
    MemberChance,
    SwingReport,
    TimelineReport,
)
from oastrack.core.seating import seat_order
from oastrack.core.tally import count_positions, tally
from oastrack.core.timeline import Record, timeline
from oastrack.errors import InvalidInput
from oastrack.store import blocs as bloc_store
from oastrack.store import positions, records, resolutions
from oastrack.store.db import Database
from oastrack.store.tallies import current, powers, tally_resolution

# -- forecast ---------------------------------------------------------------------------------


def forecast_resolution(
    db: Database, code: str, *, as_of: datetime | None = None
) -> ForecastReport:
    """The exact chance that a resolution passes, from each eligible member's current stance
    and the confidence of its latest record (official votes, once recorded, decide); with
    `as_of`, as the records stood then."""
    from oastrack.core import forecast  # a tally does not need it: imported when asked

    res, stances, official = current(db, code, as_of)
    held = powers(db, res)
    chances_of = {s.code: (s.position, s.confidence) for s in stances}
    try:
        outlook = forecast.forecast(res.rule, chances_of, official=official, **held)
    except ValueError as error:  # too many differently weighted members for an exact answer
        raise InvalidInput(str(error)) from None
    result = tally(res.rule, {s.code: s.position for s in stances}, official=official, **held)
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
    return ForecastReport(res, official, result, outlook, chances, as_of)


# -- swing ------------------------------------------------------------------------------------


def swing_resolution(
    db: Database, code: str, *, by_bloc: bool = False, as_of: datetime | None = None
) -> SwingReport:
    """The fewest members whose move to yes carries the text, the pivotal members, and with
    `by_bloc` the smallest combinations of blocs (members on the meeting's date) that would;
    with `as_of`, as the records stood then."""
    from oastrack.core import swing  # a tally does not need it: imported when asked

    res, stances, official = current(db, code, as_of)
    held = powers(db, res)
    now = {s.code: s.position for s in stances}
    found = swing.swing(res.rule, now, official=official, **held)
    blocs = None
    if by_bloc:
        on_date = bloc_store.blocs_on(db, res.meeting.start)
        blocs = swing.swing_blocs(res.rule, now, on_date, official=official, **held)
    result = tally(res.rule, now, official=official, **held)
    by_code = {s.code: s for s in stances}
    return SwingReport(res, official, result, found, by_code, blocs, as_of)


# -- compare ----------------------------------------------------------------------------------


def compare_resolutions(db: Database, left: str, right: str) -> Comparison:
    """Two tallies, and the members whose current stance differs between them, by code."""
    if left == right:
        raise InvalidInput(f"compare {left} with another resolution, not with itself")
    first = tally_resolution(db, left)
    second = tally_resolution(db, right)
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


# -- chart ------------------------------------------------------------------------------------


def chart_resolution(db: Database, code: str) -> ChartReport:
    """The eligible members in seat order, with their stance and main bloc."""
    res, stances, official = current(db, code)
    members = seat_order(stances, bloc_store.blocs_on(db, res.meeting.start))
    counts = count_positions(m.position for m in members)
    held = powers(db, res)
    result = tally(res.rule, {s.code: s.position for s in stances}, official=official, **held)
    return ChartReport(res, official, members, counts, result)


def timeline_resolution(db: Database, code: str) -> TimelineReport:
    """The count after every moment a member moved (`chart --timeline`)."""
    res = resolutions.get(db, code)
    eligible = [member for _, member, _ in positions.eligible(db, res)]
    replayed = [Record(*row) for row in records.replay(db, res)]
    steps = timeline(res.rule, eligible, replayed, **powers(db, res))
    return TimelineReport(res, len(eligible), steps)
