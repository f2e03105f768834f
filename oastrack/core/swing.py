"""The swing: the fewest members whose move to yes carries a text, and who the outcome turns on.

Counting: with official votes only `yes` and `no` count as such; for a projection a lean counts
as its side (`lean-yes` as yes, `lean-no` as no) and undecided or unknown members as not
voting. So in a projection the lean-yes members are already counted yes and never appear among
the members to win over.

A member moving to yes adds one yes; if it was counted as a no it also removes one no. Under
`absolute`, `two-thirds` and a fixed requirement every move is worth the same, but under
`simple` and `two-thirds-voting` winning over a no is worth more, and under `consensus` every
no must move. The smallest set is therefore found by searching how many to take from each of
the two groups (counted no, the rest), each group taken likeliest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from oastrack.core.positions import LIKELIEST_TO_YES, UNKNOWN, Position
from oastrack.core.rules import Rule

_STANCES = frozenset({*(p.value for p in Position), UNKNOWN})
# Rank for sorting the members already counted yes: the softest (most likely to defect) first.
_SOFTEST_FIRST: dict[str, int] = {Position.LEAN_YES: 0, Position.YES: 1}


@dataclass(frozen=True)
class Swing:
    """What `oastrack swing` reports.

    `carried`: the text passes as counted. `possible`: some set of moves to yes carries it
    (true when carried). `needed`: the fewest members who must move to yes (0 when carried,
    None when impossible). `members`: one such smallest set, likeliest first (empty when
    carried or impossible). `pivotal`: the members whose single move changes the outcome.
    """

    carried: bool
    possible: bool
    needed: int | None
    members: tuple[str, ...]
    pivotal: tuple[str, ...]


@dataclass(frozen=True)
class _Count:
    eligible: int
    yes: int
    no: int
    stances: dict[str, str]
    counted_yes: frozenset[str]
    counted_no: frozenset[str]


def _count(members: Mapping[str, str], official: bool) -> _Count:
    for code, stance in members.items():
        if stance not in _STANCES:
            raise ValueError(f"{stance!r} is not a position (member {code})")
    yes_side = {Position.YES} if official else {Position.YES, Position.LEAN_YES}
    no_side = {Position.NO} if official else {Position.NO, Position.LEAN_NO}
    counted_yes = frozenset(code for code, stance in members.items() if stance in yes_side)
    counted_no = frozenset(code for code, stance in members.items() if stance in no_side)
    return _Count(
        eligible=len(members),
        yes=len(counted_yes),
        no=len(counted_no),
        stances={code: str(stance) for code, stance in members.items()},
        counted_yes=counted_yes,
        counted_no=counted_no,
    )


def _carries(rule: Rule, count: _Count, moved: int, moved_no: int) -> bool:
    """Whether the text passes once `moved` members (of whom `moved_no` were no) vote yes."""
    return rule.passes(count.yes + moved, count.no - moved_no, count.eligible)


def _likeliest(count: _Count) -> dict[str, tuple[int, str]]:
    """Sort key of each member not counted yes: the order of LIKELIEST_TO_YES, then code."""
    return {
        code: (LIKELIEST_TO_YES.index(stance), code)
        for code, stance in count.stances.items()
        if code not in count.counted_yes
    }


def _smallest(rule: Rule, count: _Count, keys: dict[str, tuple[int, str]]) -> tuple[str, ...]:
    """The likeliest smallest set of members whose move to yes carries the text, or ()."""
    nays = sorted((code for code in keys if code in count.counted_no), key=keys.__getitem__)
    others = sorted((code for code in keys if code not in count.counted_no), key=keys.__getitem__)
    for size in range(1, len(nays) + len(others) + 1):
        best: list[tuple[int, str]] | None = None
        for taken_no in range(max(0, size - len(others)), min(size, len(nays)) + 1):
            if not _carries(rule, count, size, taken_no):
                continue
            chosen = sorted(keys[c] for c in (*nays[:taken_no], *others[: size - taken_no]))
            # Likeliest set: compare the sorted keys, so the likeliest first member wins.
            if best is None or chosen < best:
                best = chosen
        if best is not None:
            return tuple(code for _, code in best)
    return ()


def swing(rule: Rule, members: Mapping[str, str], *, official: bool) -> Swing:
    """The fewest members whose move to yes carries the text, and the pivotal members.

    `members` maps every eligible member code to its current stance (a position or `unknown`).
    If the text is carried, `pivotal` lists the members counted yes whose single move to no
    would sink it, softest first (lean-yes, then yes), then by code. Otherwise it lists the
    members whose single move to yes would carry it, likeliest first, then by code.
    Raises ValueError for a stance that is not a position.
    """
    count = _count(members, official)
    if rule.passes(count.yes, count.no, count.eligible):
        # Every member counted yes weighs the same: one yes less and one no more.
        sinking = not rule.passes(count.yes - 1, count.no + 1, count.eligible)
        pivotal = sorted(
            (code for code in count.counted_yes if sinking),
            key=lambda code: (_SOFTEST_FIRST[count.stances[code]], code),
        )
        return Swing(carried=True, possible=True, needed=0, members=(), pivotal=tuple(pivotal))
    keys = _likeliest(count)
    chosen = _smallest(rule, count, keys)
    pivotal = sorted(
        (code for code in keys if _carries(rule, count, 1, int(code in count.counted_no))),
        key=keys.__getitem__,
    )
    if not chosen:
        return Swing(carried=False, possible=False, needed=None, members=(), pivotal=())
    return Swing(
        carried=False,
        possible=True,
        needed=len(chosen),
        members=chosen,
        pivotal=tuple(pivotal),
    )


def swing_blocs(
    rule: Rule,
    members: Mapping[str, str],
    blocs: Mapping[str, Sequence[str]],
    *,
    official: bool,
) -> list[tuple[str, ...]]:
    """The smallest combinations of blocs whose members, all moving to yes, carry the text.

    `blocs` maps a bloc code to its member codes; members that are not eligible (not keys of
    `members`) are ignored. Combinations of up to 3 blocs are tried; a combination is listed
    only if no smaller part of it already carries the text. Ordered by number of blocs, then
    members moved, then codes; at most 10. Empty when the text is already carried or when no
    combination carries it.
    """
    count = _count(members, official)
    if rule.passes(count.yes, count.no, count.eligible):
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
            if _carries(rule, count, len(moved), len(moved & count.counted_no)):
                carrying.add(frozenset(combo))
                found.append((size, len(moved), combo))
    found.sort()
    return [combo for _, _, combo in found[:10]]


def _proper_parts(combo: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every non-empty proper sub-combination of a combination of blocs."""
    return [part for size in range(1, len(combo)) for part in combinations(combo, size)]
