"""The forecast: the exact probability that a text passes, from positions and confidences.

Each member votes independently. Its chance of voting yes follows PRODUCT.md (see
`yes_chance`); the rest of its chance goes to one other outcome, chosen here:

- `yes`, `lean-yes`: the remainder is an abstention (a wavering supporter stays away rather
  than vote against);
- `no`, `lean-no`: the remainder is a no;
- `abstain`, `absent`: the remainder is an abstention;
- `undecided`, unknown: the remainder is a no (a member not won over is counted against).

The choice only matters under `simple`, `two-thirds-voting` and `consensus`, where no votes
count; under `absolute`, `two-thirds` and a fixed requirement only the yes votes matter.

The probability is computed exactly by dynamic programming over integer numerators with a
common denominator (the product of each member's own denominator), never by sampling and
never with floats:

- rules counting against membership (`absolute`, `two-thirds`, fixed): the yes count;
- `simple` (yes > no): the difference yes - no;
- `two-thirds-voting` (yes >= 2 no and at least one yes): the sum yes - 2 no; the outcomes
  with no yes at all that still reach yes - 2 no >= 0 are exactly "every member abstains",
  whose probability is subtracted instead of carrying an "at least one yes" flag;
- `consensus` (no one votes no, someone votes yes): a product formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import prod

from oastrack.core.positions import UNKNOWN, Position
from oastrack.core.rules import Rule, RuleName

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


def _winning(steps: list[tuple[int, int, int, int, int]], threshold: int) -> int:
    """The weight of the outcomes whose sum of independent two-valued steps reaches `threshold`.

    Each step is (weight_a, delta_a, weight_b, delta_b, denominator): the sum moves by delta_a
    with chance weight_a / denominator, else by delta_b. The answer is over the product of all
    denominators. States that can no longer fall below the threshold are banked as won and
    states that can no longer reach it are dropped, so the list stays short near the end.
    """
    count = len(steps)
    # What the steps from index i on can still add at least / at most, and their denominators.
    least, most, rest = [0] * (count + 1), [0] * (count + 1), [1] * (count + 1)
    for i in reversed(range(count)):
        weight_a, delta_a, weight_b, delta_b, denominator = steps[i]
        moves = [d for w, d in ((weight_a, delta_a), (weight_b, delta_b)) if w]
        least[i] = least[i + 1] + min(moves)
        most[i] = most[i + 1] + max(moves)
        rest[i] = rest[i + 1] * denominator

    low, weights, won = 0, [1], 0
    for i in range(count + 1):
        if i:
            weight_a, delta_a, weight_b, delta_b, _ = steps[i - 1]
            if weight_a == 0 or weight_b == 0:
                # A certain outcome only shifts the distribution (its denominator is 1).
                low += delta_b if weight_a == 0 else delta_a
            else:
                base = min(delta_a, delta_b)
                shift_a, shift_b = delta_a - base, delta_b - base
                grown = [0] * (len(weights) + max(shift_a, shift_b))
                for index, weight in enumerate(weights):
                    grown[index + shift_a] += weight * weight_a
                    grown[index + shift_b] += weight * weight_b
                low += base
                weights = grown
        # From index `cut` up, every state passes whatever the remaining members do.
        cut = max(0, threshold - least[i] - low)
        if cut < len(weights):
            won += sum(weights[cut:]) * rest[i]
            del weights[cut:]
        # Below index `drop`, no state can reach the threshold any more.
        drop = threshold - most[i] - low
        if drop > 0:
            del weights[:drop]
            low += drop
        if not weights:
            break
    return won


def _official(rule: Rule, members: Mapping[str, tuple[str, float | None]]) -> Forecast:
    stances = [_check_stance(position) for position, _ in members.values()]
    yes = stances.count(Position.YES)
    no = stances.count(Position.NO)
    passes = rule.passes(yes, no, len(stances))
    return Forecast(Fraction(int(passes)), Fraction(yes), Fraction(no))


def forecast(
    rule: Rule, members: Mapping[str, tuple[str, float | None]], *, official: bool
) -> Forecast:
    """The exact probability that the text passes, with the expected yes and no counts.

    `members` maps every eligible member code to (position or `unknown`, confidence or None).
    With `official` set the recorded vote decides: the probability is 0 or 1 and confidences
    are ignored. Otherwise members vote independently with the chances of `chances`.
    """
    if official:
        return _official(rule, members)
    eligible = len(members)
    table = [chances(position, confidence) for position, confidence in members.values()]
    expected_yes = sum((yes for yes, _, _ in table), Fraction(0))
    expected_no = sum((no for _, no, _ in table), Fraction(0))

    # Everything over one common denominator: the product of each member's own denominator.
    denominators = [yes.denominator for yes, _, _ in table]
    yes_weights = [yes.numerator for yes, _, _ in table]
    rest_weights = [den - num for den, num in zip(denominators, yes_weights, strict=True)]
    rest_is_no = [no > 0 for _, no, _ in table]
    members_at = list(zip(yes_weights, rest_weights, rest_is_no, denominators, strict=True))
    total = prod(denominators)
    # Every member abstaining: yes - 2 no >= 0 holds but no text passes without a yes.
    all_abstain = prod(0 if is_no else r for _, r, is_no, _ in members_at)

    if rule.required is not None or rule.name in (RuleName.ABSOLUTE, RuleName.TWO_THIRDS):
        # Only the yes count matters here: passes() does not look at the no votes.
        threshold = next(
            (k for k in range(eligible + 1) if rule.passes(k, 0, eligible)), eligible + 1
        )
        steps = [(y, 1, r, 0, den) for y, r, _, den in members_at]
        winning = _winning(steps, threshold)
    elif rule.name is RuleName.SIMPLE:
        # yes > no  <=>  yes - no >= 1
        steps = [(y, 1, r, -1 if is_no else 0, den) for y, r, is_no, den in members_at]
        winning = _winning(steps, 1)
    elif rule.name is RuleName.TWO_THIRDS_VOTING:
        # yes >= 2 no  <=>  yes - 2 no >= 0; the one outcome with no yes is everyone abstaining.
        steps = [(y, 1, r, -2 if is_no else 0, den) for y, r, is_no, den in members_at]
        winning = _winning(steps, 0) - all_abstain
    else:  # consensus: no one votes no, and not everyone abstains
        no_objection = prod(y if is_no else y + r for y, r, is_no, _ in members_at)
        winning = no_objection - all_abstain
    return Forecast(Fraction(winning, total), expected_yes, expected_no)
