"""The tally: counts, the verdict before and after the vote, and how many votes are missing."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from oastrack.core.ballot import holders_of, weights_of
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
    """What the tally table and `tally --format json` report.

    Under a rule with a veto, `vetoed_by` lists the veto holders counted as `no` (in code
    order) and `projected_vetoed_by` those projected as `no` (at no or, before the vote, at
    lean-no). Under a weighted rule, `weight_yes` is the weight of the firm yes votes,
    `projected_weight_yes` that of the yes and lean-yes, `weight_total` the eligible members'
    weight, `weight_required` the yes weight needed and `weight_short_by` what the firm yes
    weight lacks; all None under a rule without weight.
    """

    rule: Rule
    eligible: int
    required: int
    counts: dict[str, int]
    verdict: Verdict
    projected: Verdict
    short_by: int
    official: bool
    vetoed_by: tuple[str, ...] = ()
    projected_vetoed_by: tuple[str, ...] = ()
    weight_yes: int | None = None
    projected_weight_yes: int | None = None
    weight_total: int | None = None
    weight_required: int | None = None
    weight_short_by: int | None = None

    @property
    def yes(self) -> int:
        return self.counts[Position.YES]

    @property
    def projected_yes(self) -> int:
        return self.counts[Position.YES] + self.counts[Position.LEAN_YES]

    @property
    def in_play(self) -> int:
        return sum(self.counts[key] for key in IN_PLAY)


def _weighs(weight: dict[str, int], stances: Mapping[str, str], *keys: str) -> int:
    return sum(weight[code] for code, stance in stances.items() if stance in keys)


def _holding(holders: frozenset[str], stances: Mapping[str, str], *keys: str) -> tuple[str, ...]:
    return tuple(sorted(code for code in holders if stances[code] in keys))


def tally(
    rule: Rule,
    stances: Mapping[str, str],
    *,
    official: bool,
    weights: Mapping[str, int] | None = None,
    vetoes: Collection[str] = frozenset(),
) -> TallyResult:
    """Tally the current stance of every eligible member (member code -> position or unknown).

    `weights` maps member codes to non-negative integers (missing: 0) and `vetoes` holds the
    codes of the veto holders; they count only under a weighted rule and a rule with a veto.

    With `official` set, the stances are the recorded vote and decide the verdict. Before the
    vote, the verdict is `passes` when the firm positions carry the text whatever the members
    in play do (so no veto holder may still be in play: it could vote no), `fails` when it
    cannot pass however they move (a veto holder firmly at no sinks it), and `open` otherwise.
    The projected verdict counts leans as their side (a veto holder leaning no as a veto) and
    undecided or unknown members as not voting yes.
    """
    counts = count_positions(stances.values())
    eligible = len(stances)
    weight = weights_of(rule, weights, stances)
    holders = holders_of(rule, vetoes, stances)
    total = sum(weight.values())
    yes, no = counts[Position.YES], counts[Position.NO]
    weight_yes = _weighs(weight, stances, Position.YES)
    vetoed_by = _holding(holders, stances, Position.NO)
    required = rule.required_yes(eligible, no)

    def carried(yes: int, no: int, weight_yes: int, vetoed: bool) -> Verdict:
        passes = rule.passes(
            yes, no, eligible, weight_yes=weight_yes, weight_total=total, vetoed=vetoed
        )
        return Verdict.PASSES if passes else Verdict.FAILS

    if official:
        verdict = carried(yes, no, weight_yes, bool(vetoed_by))
        projected, projected_vetoed_by, projected_weight = verdict, vetoed_by, weight_yes
    else:
        # The rules are monotone: the members in play all voting no is the worst case for the
        # text, all voting yes the best, so these two tallies settle the verdict.
        in_play = sum(counts[key] for key in IN_PLAY)
        worst = carried(
            yes, no + in_play, weight_yes, bool(_holding(holders, stances, Position.NO, *IN_PLAY))
        )
        best = carried(
            yes + in_play, no, weight_yes + _weighs(weight, stances, *IN_PLAY), bool(vetoed_by)
        )
        verdict = worst if worst is best else Verdict.OPEN
        projected_vetoed_by = _holding(holders, stances, Position.NO, Position.LEAN_NO)
        projected_weight = weight_yes + _weighs(weight, stances, Position.LEAN_YES)
        projected = carried(
            yes + counts[Position.LEAN_YES],
            no + counts[Position.LEAN_NO],
            projected_weight,
            bool(projected_vetoed_by),
        )
    weight_required = rule.required_weight(total)
    weighted = weight_required is not None
    return TallyResult(
        rule=rule,
        eligible=eligible,
        required=required,
        counts=counts,
        verdict=verdict,
        projected=projected,
        short_by=max(0, required - yes),
        official=official,
        vetoed_by=vetoed_by,
        projected_vetoed_by=projected_vetoed_by,
        weight_yes=weight_yes if weighted else None,
        projected_weight_yes=projected_weight if weighted else None,
        weight_total=total if weighted else None,
        weight_required=weight_required,
        weight_short_by=max(0, weight_required - weight_yes)
        if weight_required is not None
        else None,
    )
