"""Exact sums over every way independent members can vote: the engines behind the forecast.

Each member votes yes with mass `yes`, else takes its other outcome (a no or an abstention)
with mass `rest`; masses are integer numerators over the member's own denominator, so the sum
returned is over the product of all the denominators. A mass of 0 removes the outcome: the
forecast gives a veto holder's no the mass 0, since no outcome with it passes.

The rule is reduced to a `Goal` on three sums: the yes count y, the no count n and the yes
weight w. Three engines, by what the goal looks at:

- one sum (y alone, or the score gain x y - cost x n of a voting quota): a dense array indexed
  by the sum, with outcomes banked once they pass whatever the rest do and dropped once they
  cannot pass any more (fast for hundreds of members);
- y and n without weight: the same over a dict of (y, n) states;
- weight: meet in the middle. Each half of the members is spread into its (y, n, w) states;
  then for every pair of (y, n) groups the weights that reach the goal are found by bisection
  in the other half's sorted weights, with suffix sums of the masses. 27 members with distinct
  populations make 2^13 and 2^14 states: well under a tenth of a second.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from math import prod

# Beyond this many states in one half, an exact sum under a weighted rule is out of reach.
HALF_LIMIT = 1 << 17


@dataclass(frozen=True)
class Voter:
    yes: int
    rest: int
    rest_is_no: bool
    weight: int


@dataclass(frozen=True)
class Goal:
    """When an outcome passes: y >= least_yes; gain x y - cost x n >= 0 (> 0 if strict) when
    `voting`; w >= least_weight unless y > deemed_above (the blocking clause)."""

    least_yes: int
    voting: bool = False
    gain: int = 0
    cost: int = 0
    strict: bool = False
    least_weight: int | None = None
    deemed_above: int | None = None

    def score_met(self, y: int, n: int) -> bool:
        """The voting quota: gain x y - cost x n >= 0 (> 0 when strict); true without one."""
        if not self.voting:
            return True
        score = self.gain * y - self.cost * n
        return score > 0 if self.strict else score >= 0

    def counts_met(self, y: int, n: int) -> bool:
        return y >= self.least_yes and self.score_met(y, n)

    def waived(self, y: int) -> bool:
        """Whether the weight no longer matters: there is none, or the blocking clause."""
        return self.least_weight is None or (
            self.deemed_above is not None and y > self.deemed_above
        )

    def met(self, y: int, n: int, w: int) -> bool:
        return self.counts_met(y, n) and (self.waived(y) or w >= (self.least_weight or 0))


def winning(goal: Goal, voters: Sequence[Voter]) -> int:
    """The mass of the outcomes that meet the goal, over the product of the denominators."""
    factor, y0, n0, w0 = 1, 0, 0, 0
    branching: list[Voter] = []
    # A member with one possible outcome only shifts the sums and scales the mass.
    for voter in voters:
        if voter.yes and voter.rest:
            branching.append(voter)
        elif voter.yes:
            factor, y0, w0 = factor * voter.yes, y0 + 1, w0 + voter.weight
        elif voter.rest:
            factor, n0 = factor * voter.rest, n0 + voter.rest_is_no
        else:
            return 0
    least_weight = goal.least_weight
    if least_weight is not None:
        if least_weight <= w0:
            goal = replace(goal, least_weight=None)
        elif least_weight > w0 + sum(v.weight for v in branching):
            # The weight cannot be met: only the blocking clause can carry the text.
            if goal.deemed_above is None:
                return 0
            least = max(goal.least_yes, goal.deemed_above + 1)
            goal = replace(goal, least_yes=least, least_weight=None)
    if goal.least_weight is not None:
        return factor * _halves(goal, branching, (y0, n0, w0))
    if not goal.voting:
        steps = [(v.yes, 1, v.rest, 0) for v in branching]
        return factor * _dense(steps, goal.least_yes - y0)
    if goal.least_yes - y0 <= 1:
        # One sum: the score. Only the outcome with no yes among the branching members can
        # meet the score and still miss least_yes: its mass is taken off.
        steps = [(v.yes, goal.gain, v.rest, -goal.cost * v.rest_is_no) for v in branching]
        start = goal.gain * y0 - goal.cost * n0
        won = _dense(steps, (1 if goal.strict else 0) - start)
        none_yes = n0 + sum(v.rest_is_no for v in branching)
        if goal.least_yes > y0 and goal.score_met(y0, none_yes):
            won -= prod(v.rest for v in branching)
        return factor * won
    return factor * _pairs(goal, branching, (y0, n0))


def _dense(steps: list[tuple[int, int, int, int]], threshold: int) -> int:
    """The mass of the outcomes whose sum of steps reaches `threshold`.

    Each step is (mass_a, delta_a, mass_b, delta_b), both masses non-zero. States that can no
    longer fall below the threshold are banked as won and states that can no longer reach it
    are dropped, so the array stays short near the end.
    """
    count = len(steps)
    # What the steps from index i on can still add at least / at most, and their total mass.
    least, most, rest = [0] * (count + 1), [0] * (count + 1), [1] * (count + 1)
    for i in reversed(range(count)):
        mass_a, delta_a, mass_b, delta_b = steps[i]
        least[i] = least[i + 1] + min(delta_a, delta_b)
        most[i] = most[i + 1] + max(delta_a, delta_b)
        rest[i] = rest[i + 1] * (mass_a + mass_b)

    low, masses, won = 0, [1], 0
    for i in range(count + 1):
        if i:
            mass_a, delta_a, mass_b, delta_b = steps[i - 1]
            base = min(delta_a, delta_b)
            shift_a, shift_b = delta_a - base, delta_b - base
            grown = [0] * (len(masses) + max(shift_a, shift_b))
            for index, mass in enumerate(masses):
                grown[index + shift_a] += mass * mass_a
                grown[index + shift_b] += mass * mass_b
            low += base
            masses = grown
        # From index `cut` up, every state passes whatever the remaining members do.
        cut = max(0, threshold - least[i] - low)
        if cut < len(masses):
            won += sum(masses[cut:]) * rest[i]
            del masses[cut:]
        # Below index `drop`, no state can reach the threshold any more.
        drop = threshold - most[i] - low
        if drop > 0:
            del masses[:drop]
            low += drop
        if not masses:
            break
    return won


def _pairs(goal: Goal, voters: list[Voter], start: tuple[int, int]) -> int:
    """The mass of the outcomes meeting the goal, over (yes, no) states, banked and dropped."""
    count = len(voters)
    more_no, rest = [0] * (count + 1), [1] * (count + 1)
    for i in reversed(range(count)):
        more_no[i] = more_no[i + 1] + voters[i].rest_is_no
        rest[i] = rest[i + 1] * (voters[i].yes + voters[i].rest)
    states: dict[tuple[int, int], int] = {start: 1}
    won = 0
    for i in range(count + 1):
        if i:
            voter, grown = voters[i - 1], defaultdict[tuple[int, int], int](int)
            for (y, n), mass in states.items():
                grown[(y + 1, n)] += mass * voter.yes
                grown[(y, n + voter.rest_is_no)] += mass * voter.rest
            states = grown
        kept: dict[tuple[int, int], int] = {}
        for (y, n), mass in states.items():
            if goal.counts_met(y, n + more_no[i]):
                won += mass * rest[i]  # passes even if every remaining member does not vote yes
            elif goal.counts_met(y + count - i, n):
                kept[(y, n)] = mass
        states = kept
    return won


def _spread(voters: Sequence[Voter], track_no: bool) -> dict[tuple[int, int, int], int]:
    """Every (yes, no, weight) sum of these members, with its mass."""
    states: dict[tuple[int, int, int], int] = {(0, 0, 0): 1}
    for voter in voters:
        grown: dict[tuple[int, int, int], int] = defaultdict(int)
        for (y, n, w), mass in states.items():
            grown[(y + 1, n, w + voter.weight)] += mass * voter.yes
            grown[(y, n + (track_no and voter.rest_is_no), w)] += mass * voter.rest
        states = grown
        if len(states) > HALF_LIMIT:
            raise ValueError(
                f"an exact forecast cannot weigh {len(voters) * 2} or so members whose votes "
                "are uncertain and whose weights differ; log the positions that are firm"
            )
    return states


def _grouped(
    states: dict[tuple[int, int, int], int],
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """The states by (yes, no), each group's (weight, mass) sorted by weight."""
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for (y, n, w), mass in states.items():
        groups[(y, n)].append((w, mass))
    for items in groups.values():
        items.sort()
    return groups


def _halves(goal: Goal, voters: list[Voter], start: tuple[int, int, int]) -> int:
    """Meet in the middle over the weight: see the module docstring."""
    y0, n0, w0 = start
    need = (goal.least_weight or 0) - w0
    left = _grouped(_spread(voters[0::2], goal.voting))
    right = {}
    for key, items in _grouped(_spread(voters[1::2], goal.voting)).items():
        suffix = [0] * (len(items) + 1)
        for index in reversed(range(len(items))):
            suffix[index] = suffix[index + 1] + items[index][1]
        right[key] = ([w for w, _ in items], suffix)
    won = 0
    for (ya, na), items in left.items():
        light, heavy = items[0][0], items[-1][0]
        mass_a = sum(mass for _, mass in items)
        for (yb, nb), (weights, suffix) in right.items():
            y = y0 + ya + yb
            if not goal.counts_met(y, n0 + na + nb):
                continue
            if goal.waived(y) or light + weights[0] >= need:
                won += mass_a * suffix[0]
            elif heavy + weights[-1] >= need:
                won += sum(mass * suffix[bisect_left(weights, need - w)] for w, mass in items)
    return won
