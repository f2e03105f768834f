"""Cohesion and alignment over official votes: exact arithmetic, no storage.

Only `yes`, `no` and `abstain` count as having voted; an absence (or no record) is skipped,
since staying away says nothing about agreeing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from oastrack.core.positions import Position

# The choices a member can make in a recorded vote; anything else means it did not vote.
VOTED: tuple[str, ...] = (Position.YES, Position.NO, Position.ABSTAIN)


def agreement(a: Sequence[str | None], b: Sequence[str | None]) -> tuple[int, int]:
    """How often two members voted alike: (agreed, compared) over paired roll calls.

    `a[i]` and `b[i]` are the two members' official votes on the same roll call. A pair is
    compared only when both voted yes, no or abstain. Raises ValueError if the lengths differ.
    """
    if len(a) != len(b):
        raise ValueError(f"cannot pair {len(a)} votes with {len(b)}")
    agreed = compared = 0
    for vote_a, vote_b in zip(a, b, strict=True):
        if vote_a in VOTED and vote_b in VOTED:
            compared += 1
            agreed += vote_a == vote_b
    return agreed, compared


@dataclass(frozen=True)
class Cohesion:
    """A bloc's mean Agreement Index, and the number of roll calls it averages.

    `index` is None when no roll call had at least two members of the bloc voting.
    """

    index: Fraction | None
    roll_calls: int


def agreement_index(yes: int, no: int, abstain: int) -> Fraction | None:
    """The Hix-Noury-Roland Agreement Index of one roll call, from 0 (even split) to 1.

    AI = (max - (total - max) / 2) / total over the yes, no and abstain votes; None when no
    one voted.
    """
    if min(yes, no, abstain) < 0:
        raise ValueError("vote counts cannot be negative")
    total = yes + no + abstain
    if total == 0:
        return None
    top = max(yes, no, abstain)
    return (Fraction(top) - Fraction(total - top, 2)) / total


def cohesion(roll_calls: Iterable[Mapping[str, int]]) -> Cohesion:
    """A bloc's cohesion: the Agreement Index averaged over its roll calls.

    Each roll call gives the bloc members' counts as {"yes": .., "no": .., "abstain": ..}
    (missing keys are 0, other keys such as "absent" are ignored). Only roll calls in which
    at least two bloc members voted count: one voter always agrees with itself.
    """
    total = Fraction(0)
    counted = 0
    for counts in roll_calls:
        yes, no, abstain = (counts.get(key, 0) for key in VOTED)
        index = agreement_index(yes, no, abstain)
        if index is not None and yes + no + abstain >= 2:
            total += index
            counted += 1
    return Cohesion(index=total / counted if counted else None, roll_calls=counted)
