"""The tally of a resolution: each eligible member's current stance, the vetoes and weights
of the meeting, and the what-if assumptions; the arithmetic is in `oastrack.core.tally`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oastrack.core.blocs import counts_by_bloc
from oastrack.core.positions import Position
from oastrack.core.reports import ResolutionInfo, Stance, TallyReport
from oastrack.core.tally import tally
from oastrack.store import blocs as bloc_store
from oastrack.store import members, positions, records, resolutions
from oastrack.store.db import Database


def current(
    db: Database, code: str, as_of: datetime | None = None
) -> tuple[ResolutionInfo, list[Stance], bool]:
    """The resolution, each eligible member's current stance (as it stood at `as_of`, if
    given), and whether official votes decide."""
    res = resolutions.get(db, code)
    stances, official = records.current_stances(db, res, as_of)
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
    stances, official = records.current_stances(db, res, as_of)
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
