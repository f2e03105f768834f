"""The agreement of every pair of members at once, and an order that clusters them; pure.

The definition is `core.alignment.agreement`'s: two members are compared on a roll call when
both voted yes, no or abstain, and agree when they voted alike. Here each member's votes are
three sets of roll calls, one per position, held as the bits of an integer (bit i: roll call
i), so that a pair is counted with four ANDs and bit counts instead of a walk over the roll
calls: Voeten's agreement scores over a whole body in one pass, exactly, in integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction


@dataclass(frozen=True)
class VoteSets:
    """One member's official votes: the roll calls (as bits) on which it voted each way."""

    yes: int
    no: int
    abstain: int

    @property
    def voted(self) -> int:
        return self.yes | self.no | self.abstain


@dataclass(frozen=True)
class MatrixMember:
    code: str
    name: str
    voted: int  # roll calls on which it voted yes, no or abstain


@dataclass(frozen=True)
class AgreementMatrix:
    """Every pair's (agreed, compared), for the members in `members` (by code, or as chosen).

    `pairs` holds each pair once, keyed (first, second) with first < second by code, and only
    pairs compared at least once; a member against itself is its own `voted` count.
    """

    members: list[MatrixMember]
    pairs: dict[tuple[str, str], tuple[int, int]]
    since: date | None
    org: str | None

    def counts(self, first: str, second: str) -> tuple[int, int]:
        """(agreed, compared) of two members, in either order (a member with itself: all its
        votes); (0, 0) when they never voted on the same roll call."""
        if first == second:
            voted = next(m.voted for m in self.members if m.code == first)
            return voted, voted
        return self.pairs.get(pair_key(first, second), (0, 0))


def pair_key(first: str, second: str) -> tuple[str, str]:
    """The key of a pair in `AgreementMatrix.pairs`: the two codes in order."""
    return (first, second) if first < second else (second, first)


def agreement_matrix(votes: Mapping[str, VoteSets]) -> dict[tuple[str, str], tuple[int, int]]:
    """(agreed, compared) for every pair of members compared at least once, keyed by their
    codes in order."""
    members = sorted(votes)
    found: dict[tuple[str, str], tuple[int, int]] = {}
    sets = [(code, votes[code], votes[code].voted) for code in members]
    for index, (first, mine, my_votes) in enumerate(sets):
        for second, theirs, their_votes in sets[index + 1 :]:
            compared = (my_votes & their_votes).bit_count()
            if compared:
                agreed = (
                    (mine.yes & theirs.yes).bit_count()
                    + (mine.no & theirs.no).bit_count()
                    + (mine.abstain & theirs.abstain).bit_count()
                )
                found[first, second] = (agreed, compared)
    return found


def share_text(agreed: int, compared: int, places: int = 4) -> str:
    """The share agreed/compared as a decimal, rounded half up, in integers ("" if never
    compared): 2 of 3 is "0.6667"."""
    if compared == 0:
        return ""
    scale = 10**places
    scaled = (2 * scale * agreed + compared) // (2 * compared)
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}" if places else str(whole)


def share(agreed: int, compared: int) -> Fraction | None:
    return Fraction(agreed, compared) if compared else None


@dataclass(frozen=True)
class Neighbours:
    """A member's most and least alike partners (None when it was compared with no one)."""

    member: MatrixMember
    nearest: tuple[str, int, int] | None  # (code, agreed, compared)
    farthest: tuple[str, int, int] | None


# A member's nearest and farthest are among those compared with it on this many roll calls at
# least (or on all of its own votes, if it voted on fewer): a share of two says little.
ENOUGH = 10


def neighbours(matrix: AgreementMatrix, enough: int = ENOUGH) -> list[Neighbours]:
    """Each member's nearest and farthest members by exact share, among those compared with it
    on at least `enough` roll calls (or on all its votes, if fewer); ties go to more roll
    calls compared, then to the code."""
    partners: dict[str, list[tuple[str, int, int]]] = {m.code: [] for m in matrix.members}
    for (first, second), (agreed, compared) in matrix.pairs.items():
        partners[first].append((second, agreed, compared))
        partners[second].append((first, agreed, compared))
    found = []
    for member in matrix.members:
        least = min(enough, member.voted)
        mine = [p for p in partners[member.code] if p[2] >= least]
        if not mine:
            found.append(Neighbours(member, None, None))
            continue
        nearest = min(mine, key=lambda p: (-Fraction(p[1], p[2]), -p[2], p[0]))
        farthest = min(mine, key=lambda p: (Fraction(p[1], p[2]), -p[2], p[0]))
        found.append(Neighbours(member, nearest, farthest))
    return found


def cluster_order(matrix: AgreementMatrix) -> list[str]:
    """The members' codes in the leaf order of an average-linkage (UPGMA) clustering on the
    distance 1 - agreement, so that members who vote alike sit together.

    The distances are floats, used for the order only (the counts stay exact); a pair never
    compared counts as farthest (1). Ties merge the clusters that come first by code, so the
    order is the same on every run.
    """
    codes = [m.code for m in matrix.members]
    count = len(codes)
    if count < 3:
        return codes
    distance = [[0.0] * count for _ in range(count)]
    for i in range(count):
        for j in range(i + 1, count):
            agreed, compared = matrix.pairs.get(pair_key(codes[i], codes[j]), (0, 0))
            distance[i][j] = distance[j][i] = 1.0 - agreed / compared if compared else 1.0
    # Each live cluster: its leaves in order and its size; `distance` rows are reused in place.
    leaves: dict[int, list[int]] = {i: [i] for i in range(count)}
    alive = list(range(count))
    while len(alive) > 1:
        best = (2.0, 0, 0)
        for index, i in enumerate(alive):
            row = distance[i]
            for j in alive[index + 1 :]:
                if row[j] < best[0]:
                    best = (row[j], i, j)
        _, keep, gone = best
        size_keep, size_gone = len(leaves[keep]), len(leaves[gone])
        alive.remove(gone)
        for k in alive:
            if k != keep:
                merged = (distance[keep][k] * size_keep + distance[gone][k] * size_gone) / (
                    size_keep + size_gone
                )
                distance[keep][k] = distance[k][keep] = merged
        leaves[keep] = leaves[keep] + leaves.pop(gone)
    return [codes[i] for i in leaves[alive[0]]]


def chosen(matrix: AgreementMatrix, codes: Sequence[str]) -> AgreementMatrix:
    """The matrix of only these members (in this order; each must be in the matrix)."""
    known = {m.code: m for m in matrix.members}
    kept = set(codes)
    pairs = {k: v for k, v in matrix.pairs.items() if k[0] in kept and k[1] in kept}
    return AgreementMatrix([known[c] for c in codes], pairs, matrix.since, matrix.org)
