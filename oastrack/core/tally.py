"""The tally: counts, the verdict before and after the vote, and how many votes are missing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from oastrack.core.positions import COUNT_KEYS, UNKNOWN, Position
from oastrack.core.rules import Rule


class Verdict(StrEnum):
    PASSES = "passes"
    FAILS = "fails"
    OPEN = "open"


# Positions that are neither firm yes nor firm against: the members still in play.
IN_PLAY: tuple[str, ...] = (Position.LEAN_YES, Position.UNDECIDED, Position.LEAN_NO, UNKNOWN)


def count_positions(stances: Iterable[str]) -> dict[str, int]:
    """Count stances into an entry for every position and `unknown`, in the contract's order."""
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for stance in stances:
        counts[stance] += 1
    return counts


@dataclass(frozen=True)
class TallyResult:
    """What the tally table and `tally --format json` report."""

    rule: Rule
    eligible: int
    required: int
    counts: dict[str, int]
    verdict: Verdict
    projected: Verdict
    short_by: int
    official: bool

    @property
    def yes(self) -> int:
        return self.counts[Position.YES]

    @property
    def projected_yes(self) -> int:
        return self.counts[Position.YES] + self.counts[Position.LEAN_YES]

    @property
    def in_play(self) -> int:
        return sum(self.counts[key] for key in IN_PLAY)


def tally(rule: Rule, stances: Mapping[str, str], *, official: bool) -> TallyResult:
    """Tally the current stance of every eligible member (member code -> position or unknown).

    With `official` set, the stances are the recorded vote and decide the verdict. Before the
    vote, the verdict is `passes` when the firm yes votes carry the text whatever the members in
    play do, `fails` when it cannot pass even if all of them vote yes, and `open` otherwise. The
    projected verdict counts leans as their side and undecided or unknown members as not voting.
    """
    counts = count_positions(stances.values())
    eligible = len(stances)
    yes, no = counts[Position.YES], counts[Position.NO]
    required = rule.required_yes(eligible, no)
    if official:
        verdict = Verdict.PASSES if rule.passes(yes, no, eligible) else Verdict.FAILS
        projected = verdict
    else:
        in_play = sum(counts[key] for key in IN_PLAY)
        if rule.passes(yes, no + in_play, eligible):
            verdict = Verdict.PASSES
        elif not rule.passes(yes + in_play, no, eligible):
            verdict = Verdict.FAILS
        else:
            verdict = Verdict.OPEN
        carried = rule.passes(
            yes + counts[Position.LEAN_YES], no + counts[Position.LEAN_NO], eligible
        )
        projected = Verdict.PASSES if carried else Verdict.FAILS
    return TallyResult(
        rule=rule,
        eligible=eligible,
        required=required,
        counts=counts,
        verdict=verdict,
        projected=projected,
        short_by=max(0, required - yes),
        official=official,
    )
