"""The forecast: the exact probability that a text passes, from positions and confidences.

Each member votes independently. Its chance of voting yes follows PRODUCT.md (see
`yes_chance`); the rest of its chance goes to one other outcome, chosen here:

- `yes`, `lean-yes`: the remainder is an abstention (a wavering supporter stays away rather
  than vote against);
- `no`, `lean-no`: the remainder is a no;
- `abstain`, `absent`: the remainder is an abstention;
- `undecided`, unknown: the remainder is a no (a member not won over is counted against).

The choice only matters where no votes count: under a quota of the votes cast (`simple`,
`two-thirds-voting`, `consensus`, voting>=F) and under a veto (a veto holder's no sinks the
text, its abstention does not).

The probability is computed exactly over integer numerators with a common denominator (the
product of each member's own denominator), never by sampling and never with floats: the rule's
pieces become a goal on the yes count, the no count and the yes weight, summed by the engines
of oastrack.core.exact (a dense array for one sum, a dict of states for two, meet in the
middle for weights). Under a veto, a veto holder's no is given no mass: the text passes only
in the outcomes where no veto holder votes no.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import prod

from oastrack.core.ballot import holders_of, weights_of
from oastrack.core.exact import Goal, Voter, winning
from oastrack.core.positions import UNKNOWN, Position
from oastrack.core.rules import Rule
from oastrack.core.tally import Verdict, tally

# Default chance of a yes for each stance when the analyst gave no confidence.
_DEFAULT_YES: dict[str, Fraction] = {
    Position.YES: Fraction(1),
    Position.LEAN_YES: Fraction(3, 4),
    Position.UNDECIDED: Fraction(1, 2),
    UNKNOWN: Fraction(1, 2),
    Position.LEAN_NO: Fraction(1, 4),
    Position.NO: Fraction(0),
    Position.ABSTAIN: Fraction(0),
    Position.ABSENT: Fraction(0),
}

# Stances whose confidence is the chance of a yes; for the others it is the chance of not.
_CONFIDENCE_IS_YES = frozenset({Position.YES, Position.LEAN_YES})
# Stances whose confidence is ignored: an undecided member is a coin toss.
_CONFIDENCE_IGNORED = frozenset({Position.UNDECIDED, UNKNOWN})
# Stances whose non-yes remainder is a no vote (the others abstain).
_REST_IS_NO = frozenset({Position.NO, Position.LEAN_NO, Position.UNDECIDED, UNKNOWN})


@dataclass(frozen=True)
class Forecast:
    """The chance that a text passes, and the expected yes and no votes."""

    probability: Fraction
    expected_yes: Fraction
    expected_no: Fraction


def _check_stance(position: str) -> str:
    if position not in _DEFAULT_YES:
        names = ", ".join([*(p.value for p in Position), UNKNOWN])
        raise ValueError(f"{position!r} is not a position; use one of: {names}")
    return str(position)


def _exact(confidence: float) -> Fraction:
    """Read a confidence as the analyst typed it: 0.8 is 4/5, not the nearest binary float."""
    try:
        value = Fraction(str(confidence))
    except ValueError:
        raise ValueError(
            f"confidence must be a number between 0 and 1, not {confidence!r}"
        ) from None
    if not 0 <= value <= 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    return value


def yes_chance(position: str, confidence: float | None) -> Fraction:
    """A member's chance of voting yes, from its position (or `unknown`) and confidence.

    `yes` and `lean-yes` take the confidence (default 1 and 3/4); `undecided` and unknown are
    1/2 whatever the confidence; `lean-no` is 1 - confidence (default 1/4); `no`, `abstain` and
    `absent` are 1 - confidence (default 0). Raises ValueError for an unknown position or a
    confidence outside 0..1.
    """
    stance = _check_stance(position)
    if confidence is None or stance in _CONFIDENCE_IGNORED:
        return _DEFAULT_YES[stance]
    value = _exact(confidence)
    return value if stance in _CONFIDENCE_IS_YES else 1 - value


def chances(position: str, confidence: float | None) -> tuple[Fraction, Fraction, Fraction]:
    """A member's chances of voting (yes, no, abstain or stay away); they sum to 1.

    The non-yes remainder goes to no or to abstention as the module docstring says.
    """
    yes = yes_chance(position, confidence)
    if position in _REST_IS_NO:
        return yes, 1 - yes, Fraction(0)
    return yes, Fraction(0), 1 - yes


def goal_of(rule: Rule, eligible: int, total_weight: int) -> Goal:
    """The rule's pieces as a goal on the yes count, the no count and the yes weight."""
    terms = rule.terms
    voting, weight = terms.voting, terms.weight
    return Goal(
        least_yes=rule.required_yes(eligible),
        voting=voting is not None,
        # den x yes >= num x (yes + no)  <=>  (den - num) x yes - num x no >= 0
        gain=0 if voting is None else voting.share.denominator - voting.share.numerator,
        cost=0 if voting is None else voting.share.numerator,
        strict=voting is not None and voting.strict,
        least_weight=None if weight is None else weight.least(total_weight),
        deemed_above=None if terms.blocking is None else eligible - terms.blocking,
    )


def forecast(
    rule: Rule,
    members: Mapping[str, tuple[str, float | None]],
    *,
    official: bool,
    weights: Mapping[str, int] | None = None,
    vetoes: Collection[str] = frozenset(),
) -> Forecast:
    """The exact probability that the text passes, with the expected yes and no counts.

    `members` maps every eligible member code to (position or `unknown`, confidence or None);
    `weights` and `vetoes` are as for `tally`. With `official` set the recorded vote decides:
    the probability is 0 or 1 and confidences are ignored. Otherwise members vote
    independently with the chances of `chances`. Raises ValueError for a bad position,
    confidence or weight, and when a weighted rule has too many uncertain members of distinct
    weights for an exact answer (see oastrack.core.exact).
    """
    if official:
        stances = {code: _check_stance(position) for code, (position, _) in members.items()}
        result = tally(rule, stances, official=True, weights=weights, vetoes=vetoes)
        return Forecast(
            Fraction(int(result.verdict is Verdict.PASSES)),
            Fraction(result.counts[Position.YES]),
            Fraction(result.counts[Position.NO]),
        )
    weight = weights_of(rule, weights, members)
    holders = holders_of(rule, vetoes, members)
    table = {
        code: chances(position, confidence) for code, (position, confidence) in members.items()
    }
    expected_yes = sum((yes for yes, _, _ in table.values()), Fraction(0))
    expected_no = sum((no for _, no, _ in table.values()), Fraction(0))
    voters = []
    for code, (yes, no, _) in table.items():
        # Everything over one common denominator: the product of each member's own. A veto
        # holder's no never passes, so under a veto that outcome gets no mass at all.
        rest = yes.denominator - yes.numerator
        vetoing = no > 0 and code in holders
        voters.append(Voter(yes.numerator, 0 if vetoing else rest, no > 0, weight[code]))
    goal = goal_of(rule, len(members), sum(weight.values()))
    total = prod(yes.denominator for yes, _, _ in table.values())
    return Forecast(Fraction(winning(goal, voters), total), expected_yes, expected_no)
