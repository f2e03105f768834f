"""The analyst's questions about one or two resolutions: the tally, forecast, swing, comparison
and chart. The store gathers each member's current stance; the arithmetic is in `oastrack.core`.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from oastrack.core import forecast, swing
from oastrack.core.blocs import counts_by_bloc
from oastrack.core.positions import Position
from oastrack.core.reports import (
    ChartReport,
    Comparison,
    Difference,
    ForecastReport,
    MemberChance,
    ResolutionInfo,
    Stance,
    SwingReport,
    TallyReport,
)
from oastrack.core.seating import seat_order
from oastrack.core.tally import count_positions, tally
from oastrack.errors import InvalidInput
from oastrack.store import blocs as bloc_store
from oastrack.store import members, positions, resolutions
from oastrack.store.db import Database


def _stances(db: Database, code: str) -> tuple[ResolutionInfo, list[Stance], bool]:
    res = resolutions.get(db, code)
    stances, official = positions.current_stances(db, res, None)
    return res, stances, official


def powers(db: Database, res: ResolutionInfo) -> dict[str, Any]:
    """The vetoes and weights of the members at the resolution's meeting, as keyword arguments
    of the core's tally, forecast and swing (nothing is read when the rule has neither)."""
    if not (res.rule.has_veto or res.rule.weighted):
        return {}
    vetoes, weights = members.powers(db, res.meeting.organization_id, res.meeting.start)
    return {"vetoes": vetoes, "weights": weights}


# -- tally ------------------------------------------------------------------------------------


def tally_resolution(
    db: Database,
    resolution: str,
    *,
    as_of: datetime | None = None,
    assume: list[tuple[str, Position]] | None = None,
    by_bloc: bool = False,
) -> TallyReport:
    """Tally a resolution as of a time, with what-if assumptions applied (nothing is written)."""
    res = resolutions.get(db, resolution)
    stances, official = positions.current_stances(db, res, as_of)
    assumed: dict[str, str] = {}
    if assume:
        for code, position in assume:
            chosen, _ = positions.expand_codes(db, res, [code])
            for _, member_code in chosen:
                assumed[member_code] = position.value
        stances = [
            Stance(s.code, s.name, assumed[s.code], s.kind, None, s.recorded_at)
            if s.code in assumed
            else s
            for s in stances
        ]
    held = powers(db, res)
    result = tally(res.rule, {s.code: s.position for s in stances}, official=official, **held)
    blocs = None
    if by_bloc:
        on_date = bloc_store.blocs_on(db, res.meeting.start)
        blocs = counts_by_bloc({s.code: s.position for s in stances}, on_date)
    return TallyReport(res, as_of, result, stances, assumed, blocs)


# -- forecast ---------------------------------------------------------------------------------


def forecast_resolution(db: Database, code: str) -> ForecastReport:
    """The exact chance that a resolution passes, from each eligible member's current stance
    and the confidence of its latest record (official votes, once recorded, decide)."""
    res, stances, official = _stances(db, code)
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
    return ForecastReport(res, official, result, outlook, chances)


# -- swing ------------------------------------------------------------------------------------


def swing_resolution(db: Database, code: str, *, by_bloc: bool = False) -> SwingReport:
    """The fewest members whose move to yes carries the text, the pivotal members, and with
    `by_bloc` the smallest combinations of blocs (members on the meeting's date) that would."""
    res, stances, official = _stances(db, code)
    held = powers(db, res)
    current = {s.code: s.position for s in stances}
    found = swing.swing(res.rule, current, official=official, **held)
    blocs = None
    if by_bloc:
        on_date = bloc_store.blocs_on(db, res.meeting.start)
        blocs = swing.swing_blocs(res.rule, current, on_date, official=official, **held)
    result = tally(res.rule, current, official=official, **held)
    return SwingReport(res, official, result, found, {s.code: s for s in stances}, blocs)


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
    res, stances, official = _stances(db, code)
    members = seat_order(stances, bloc_store.blocs_on(db, res.meeting.start))
    counts = count_positions(m.position for m in members)
    return ChartReport(res, official, members, counts)
