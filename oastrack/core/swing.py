"""The swing: the fewest members whose move carries a text, and who the outcome turns on.

Counting: with official votes only `yes` and `no` count as such; for a projection a lean counts
as its side (`lean-yes` as yes, `lean-no` as no) and undecided or unknown members as not
voting. So in a projection the lean-yes members are already counted yes and never appear among
the members to win over.

A member moving to yes adds one yes and its weight; if it was counted as a no it also removes
one no. Under a veto every veto holder counted as no must move: to abstain when that is enough
(a veto holder's abstention is no veto), to yes when its yes is needed too; either is one move.
A move to yes is never worse than any other move, so the fewest moves are the fewest members
moving to yes, the veto holders counted no among them.

The search never tries every combination. For each size it asks whether some set of that size
carries the text: that turns on how many of the set are counted no (a no that turns is worth
more under a quota of the votes cast) and, for that number, on the heaviest members of each
group. The likeliest set of the smallest size is then built member by member in the order of
LIKELIEST_TO_YES, keeping a member when the set can still be completed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations

from oastrack.core.ballot import holders_of, weights_of
from oastrack.core.positions import LIKELIEST_TO_YES, UNKNOWN, Position
from oastrack.core.rules import Rule

_STANCES = frozenset({*(p.value for p in Position), UNKNOWN})
# Rank for sorting the members already counted yes: the softest (most likely to defect) first.
_SOFTEST_FIRST: dict[str, int] = {Position.LEAN_YES: 0, Position.YES: 1}


@dataclass(frozen=True)
class Swing:
    """What `oastrack swing` reports.

    `carried`: the text passes as counted. `possible`: some set of moves carries it (true when
    carried). `needed`: the fewest members who must move (0 when carried, None when
    impossible). `members`: one such smallest set, likeliest first (empty when carried or
    impossible). `moves`: for each of them (code, stance now, stance to move to): `yes`, or
    `abstain` for a veto holder whose abstention is enough. `pivotal`: the members whose single
    move changes the outcome.
    """

    carried: bool
    possible: bool
    needed: int | None
    members: tuple[str, ...]
    pivotal: tuple[str, ...]
    moves: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class _Count:
    rule: Rule
    eligible: int
    yes: int
    no: int
    stances: dict[str, str]
    counted_yes: frozenset[str]
    counted_no: frozenset[str]
    weight: dict[str, int]
    weight_yes: int
    weight_total: int
    holders: frozenset[str]
    # The veto holders counted as no: each of them must move.
    forced: frozenset[str]

    def carries(self, to_yes: Collection[str], to_abstain: Collection[str] = ()) -> bool:
        """Whether the text passes once `to_yes` vote yes and `to_abstain` abstain."""
        moved_no = sum(code in self.counted_no for code in (*to_yes, *to_abstain))
        return self.passes(
            len(to_yes), moved_no, sum(self.weight[c] for c in to_yes), to_yes, to_abstain
        )

    def passes(
        self,
        moved: int,
        moved_no: int,
        gained: int,
        to_yes: Collection[str] = (),
        to_abstain: Collection[str] = (),
    ) -> bool:
        vetoed = any(code not in to_yes and code not in to_abstain for code in self.forced)
        return self.rule.passes(
            self.yes + moved,
            self.no - moved_no,
            self.eligible,
            weight_yes=self.weight_yes + gained,
            weight_total=self.weight_total,
            vetoed=vetoed,
        )


def _count(
    rule: Rule,
    members: Mapping[str, str],
    official: bool,
    weights: Mapping[str, int] | None,
    vetoes: Collection[str],
) -> _Count:
    for code, stance in members.items():
        if stance not in _STANCES:
            raise ValueError(f"{stance!r} is not a position (member {code})")
    yes_side = {Position.YES} if official else {Position.YES, Position.LEAN_YES}
    no_side = {Position.NO} if official else {Position.NO, Position.LEAN_NO}
    counted_yes = frozenset(code for code, stance in members.items() if stance in yes_side)
    counted_no = frozenset(code for code, stance in members.items() if stance in no_side)
    weight = weights_of(rule, weights, members)
    holders = holders_of(rule, vetoes, members)
    return _Count(
        rule=rule,
        eligible=len(members),
        yes=len(counted_yes),
        no=len(counted_no),
        stances={code: str(stance) for code, stance in members.items()},
        counted_yes=counted_yes,
        counted_no=counted_no,
        weight=weight,
        weight_yes=sum(weight[code] for code in counted_yes),
        weight_total=sum(weight.values()),
        holders=holders,
        forced=holders & counted_no,
    )


def _likeliest(count: _Count) -> dict[str, tuple[int, str]]:
    """Sort key of each member not counted yes: the order of LIKELIEST_TO_YES, then code."""
    return {
        code: (LIKELIEST_TO_YES.index(stance), code)
        for code, stance in count.stances.items()
        if code not in count.counted_yes
    }


def _completes(count: _Count, chosen: Collection[str], pool: Sequence[str], size: int) -> bool:
    """Whether `chosen` and some members of `pool`, `size` in all, carry the text on moving
    to yes. For a number `taken` of counted no votes among those taken from the pool, the best
    choice is the heaviest of the pool's counted no and the heaviest of its others."""
    wanted = size - len(chosen)
    if not 0 <= wanted <= len(pool) or count.forced - set(chosen):
        return False
    nays = sorted((count.weight[c] for c in pool if c in count.counted_no), reverse=True)
    others = sorted((count.weight[c] for c in pool if c not in count.counted_no), reverse=True)
    top_nays, top_others = [0, *accumulate(nays)], [0, *accumulate(others)]
    chosen_no = sum(code in count.counted_no for code in chosen)
    gained = sum(count.weight[code] for code in chosen)
    return any(
        count.passes(
            size, chosen_no + taken, gained + top_nays[taken] + top_others[wanted - taken], chosen
        )
        for taken in range(max(0, wanted - len(others)), min(wanted, len(nays)) + 1)
    )


def _smallest(count: _Count, keys: dict[str, tuple[int, str]]) -> tuple[str, ...]:
    """The likeliest smallest set of members whose move to yes carries the text, or ()."""
    order = sorted((code for code in keys if code not in count.forced), key=keys.__getitem__)
    low, high = max(1, len(count.forced)), len(keys)
    if low > high or not _completes(count, count.forced, order, high):
        return ()
    # A move to yes never hurts, so the sizes that can carry the text are all those from the
    # smallest on: bisect for it.
    while low < high:
        middle = (low + high) // 2
        if _completes(count, count.forced, order, middle):
            high = middle
        else:
            low = middle + 1
    size = low
    chosen = set(count.forced)
    # Likeliest set: keep each member, likeliest first, when the set can still be completed
    # from the members after it; this gives the set whose sorted keys come first.
    for index, code in enumerate(order):
        if len(chosen) == size:
            break
        if _completes(count, [*chosen, code], order[index + 1 :], size):
            chosen.add(code)
    return tuple(sorted(chosen, key=keys.__getitem__))


def _moves(count: _Count, chosen: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """Where each chosen member moves: a veto holder abstains when its yes is not needed."""
    to_yes, to_abstain = list(chosen), list[str]()
    for code in chosen:
        if code in count.forced:
            rest = [other for other in to_yes if other != code]
            if count.carries(rest, [*to_abstain, code]):
                to_yes, to_abstain = rest, [*to_abstain, code]
    return tuple(
        (code, count.stances[code], "abstain" if code in to_abstain else "yes") for code in chosen
    )


def swing(
    rule: Rule,
    members: Mapping[str, str],
    *,
    official: bool,
    weights: Mapping[str, int] | None = None,
    vetoes: Collection[str] = frozenset(),
) -> Swing:
    """The fewest members whose move carries the text, where they move, and the pivotal members.

    `members` maps every eligible member code to its current stance (a position or `unknown`);
    `weights` and `vetoes` are as for `tally`. If the text is carried, `pivotal` lists the
    members counted yes whose single move to no would sink it, softest first (lean-yes, then
    yes), then by code. Otherwise it lists the members whose single move to yes would carry
    it, likeliest first, then by code. Raises ValueError for a stance that is not a position.
    """
    count = _count(rule, members, official, weights, vetoes)
    if count.carries(()):
        pivotal = sorted(
            (
                code
                for code in count.counted_yes
                if not count.rule.passes(
                    count.yes - 1,
                    count.no + 1,
                    count.eligible,
                    weight_yes=count.weight_yes - count.weight[code],
                    weight_total=count.weight_total,
                    vetoed=code in count.holders,
                )
            ),
            key=lambda code: (_SOFTEST_FIRST[count.stances[code]], code),
        )
        return Swing(carried=True, possible=True, needed=0, members=(), pivotal=tuple(pivotal))
    keys = _likeliest(count)
    chosen = _smallest(count, keys)
    pivotal = sorted((code for code in keys if count.carries([code])), key=keys.__getitem__)
    if not chosen:
        return Swing(carried=False, possible=False, needed=None, members=(), pivotal=())
    return Swing(
        carried=False,
        possible=True,
        needed=len(chosen),
        members=chosen,
        pivotal=tuple(pivotal),
        moves=_moves(count, chosen),
    )


def swing_blocs(
    rule: Rule,
    members: Mapping[str, str],
    blocs: Mapping[str, Sequence[str]],
    *,
    official: bool,
    weights: Mapping[str, int] | None = None,
    vetoes: Collection[str] = frozenset(),
) -> list[tuple[str, ...]]:
    """The smallest combinations of blocs whose members, all moving to yes, carry the text.

    `blocs` maps a bloc code to its member codes; members that are not eligible (not keys of
    `members`) are ignored. Combinations of up to 3 blocs are tried; a combination is listed
    only if no smaller part of it already carries the text. Ordered by number of blocs, then
    members moved, then codes; at most 10. Empty when the text is already carried or when no
    combination carries it. `weights` and `vetoes` are as for `tally`: a veto holder counted
    as no that is in none of the blocs still sinks the text.
    """
    count = _count(rule, members, official, weights, vetoes)
    if count.carries(()):
        return []
    movers = {
        bloc: frozenset(code for code in codes if code in members and code not in count.counted_yes)
        for bloc, codes in blocs.items()
    }
    found: list[tuple[int, int, tuple[str, ...]]] = []
    carrying: set[frozenset[str]] = set()
    for size in range(1, min(3, len(movers)) + 1):
        for combo in combinations(sorted(movers), size):
            if any(frozenset(part) in carrying for part in _proper_parts(combo)):
                continue
            moved = frozenset().union(*(movers[bloc] for bloc in combo))
            if count.carries(moved):
                carrying.add(frozenset(combo))
                found.append((size, len(moved), combo))
    found.sort()
    return [combo for _, _, combo in found[:10]]


def _proper_parts(combo: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every non-empty proper sub-combination of a combination of blocs."""
    return [part for size in range(1, len(combo)) for part in combinations(combo, size)]
