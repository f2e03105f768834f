"""The count over time: the tally replayed after every moment a member moved.

A negotiation is a sequence of records; this replays them in the order the tally reads them
(time, then order of entry) and, after each moment (records sharing a time are one moment),
tallies the members' current records exactly as `tally --as-of` that moment would: each
member's latest record, and only official records once there is one. Pure: the store gives the
records, the rule, the eligible members and their powers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from oastrack.core.positions import UNKNOWN, Kind
from oastrack.core.rules import Rule
from oastrack.core.tally import Verdict, tally


@dataclass(frozen=True)
class Record:
    """One live record, as the replay reads it."""

    at: datetime
    member: str
    position: str
    kind: str


@dataclass(frozen=True)
class Move:
    """A member's stance changing at a moment: from what the count had before, to the record."""

    member: str
    before: str
    after: str
    kind: str


@dataclass(frozen=True)
class Step:
    """The count after one moment: who moved, and where the count then stood."""

    at: datetime
    moves: tuple[Move, ...]
    yes: int
    projected_yes: int
    required: int
    verdict: Verdict
    projected: Verdict
    official: bool


def timeline(
    rule: Rule,
    eligible: Collection[str],
    records: Iterable[Record],
    *,
    weights: Mapping[str, int] | None = None,
    vetoes: Collection[str] = frozenset(),
) -> list[Step]:
    """The steps of the count, one per moment at which an eligible member's record came in,
    oldest first. `records` come in the order the tally reads them (time, then entry)."""
    members = set(eligible)
    latest: dict[str, str] = {}
    official: dict[str, str] = {}
    steps: list[Step] = []
    pending: list[Record] = []

    def counted() -> dict[str, str]:
        chosen = official if official else latest
        return {code: chosen.get(code, UNKNOWN) for code in members}

    def close() -> None:
        before = counted()
        for record in pending:
            latest[record.member] = record.position
            if record.kind == Kind.OFFICIAL:
                official[record.member] = record.position
        after = counted()
        moves = tuple(
            Move(r.member, before[r.member], after[r.member], r.kind)
            for r in dict((r.member, r) for r in pending).values()
        )
        result = tally(rule, after, official=bool(official), weights=weights, vetoes=vetoes)
        steps.append(
            Step(
                pending[0].at,
                moves,
                result.yes,
                result.projected_yes,
                result.required,
                result.verdict,
                result.projected,
                result.official,
            )
        )
        pending.clear()

    for record in records:
        if record.member not in members:
            continue
        if pending and record.at != pending[0].at:
            close()
        pending.append(record)
    if pending:
        close()
    return steps
