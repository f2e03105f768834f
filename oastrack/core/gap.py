"""What the tally says beyond the count: who blocks a text, and who could have closed the gap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oastrack.core.positions import Position
from oastrack.core.reports import Stance
from oastrack.core.rules import RuleName
from oastrack.core.tally import TallyResult

# The members who stayed out of a recorded vote: each could have voted yes.
STAYED_OUT: tuple[str, ...] = (Position.ABSTAIN, Position.ABSENT)


@dataclass(frozen=True)
class GapClosers:
    """The members who abstained or were absent from a vote that fell short, and what they
    are called: under a membership rule each is one vote of the gap; where no votes count (a
    no that turns is worth two), only the group is named."""

    title: str
    order: tuple[str, ...]
    members: tuple[Stance, ...]


def blocked_by(result: TallyResult) -> int:
    """Under consensus, the number of no votes that block the text (enough yes votes is not
    the question there: every objection must go); 0 otherwise."""
    rule = result.rule
    if rule.name is RuleName.CONSENSUS and rule.required is None:
        return int(result.counts[Position.NO])
    return 0


def gap_closers(result: TallyResult, stances: Sequence[Stance]) -> GapClosers | None:
    """The abstainers and absentees of an official vote that fell short, or None."""
    if not (result.short_by and result.official):
        return None
    found = tuple(s for s in stances if s.position in STAYED_OUT)
    if not found:
        return None
    title = (
        "Abstained or absent"
        if result.rule.counts_cast_votes
        else f"Could have closed the gap of {result.short_by:,}"
    )
    return GapClosers(title, STAYED_OUT, found)
