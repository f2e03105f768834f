"""Every pair at once: the same counts as `agreement`, exact shares, a clustering order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.alignment import agreement
from oastrack.core.matrix import (
    AgreementMatrix,
    MatrixMember,
    VoteSets,
    agreement_matrix,
    cluster_order,
    neighbours,
    share_text,
)

POSITIONS = ("yes", "no", "abstain", "absent", None)


def vote_sets(votes: list[str | None]) -> VoteSets:
    """Bit i of each set: roll call i."""

    def bits(position: str) -> int:
        return sum(1 << i for i, vote in enumerate(votes) if vote == position)

    return VoteSets(bits("yes"), bits("no"), bits("abstain"))


def matrix_of(ballots: dict[str, list[str | None]]) -> AgreementMatrix:
    sets = {code: vote_sets(votes) for code, votes in ballots.items()}
    members = [MatrixMember(c, c, sets[c].voted.bit_count()) for c in sorted(ballots)]
    return AgreementMatrix(members, agreement_matrix(sets), None, None)


@given(
    st.integers(min_value=0, max_value=40).flatmap(
        lambda roll_calls: st.dictionaries(
            st.sampled_from(["AAA", "BBB", "CCC", "DDD", "EEE"]),
            st.lists(st.sampled_from(POSITIONS), min_size=roll_calls, max_size=roll_calls),
            min_size=2,
        )
    )
)
def test_every_pair_counts_as_agreement_does(ballots: dict[str, list[str | None]]) -> None:
    matrix = matrix_of(ballots)
    codes = sorted(ballots)
    for index, first in enumerate(codes):
        for second in codes[index + 1 :]:
            expected = agreement(ballots[first], ballots[second])
            assert matrix.counts(first, second) == matrix.counts(second, first) == expected
            assert ((first, second) in matrix.pairs) == (expected[1] > 0)


def test_a_member_against_itself_is_its_own_votes() -> None:
    matrix = matrix_of({"AAA": ["yes", "absent", "no"], "BBB": ["no", "no", None]})
    assert matrix.counts("AAA", "AAA") == (2, 2)
    assert matrix.counts("BBB", "BBB") == (2, 2)
    assert matrix.counts("AAA", "BBB") == (0, 1)  # only the first roll call compares


def test_shares_are_rounded_half_up_in_integers() -> None:
    assert share_text(2, 3) == "0.6667"
    assert share_text(1, 3) == "0.3333"
    assert share_text(1, 8) == "0.1250"
    assert share_text(1, 16) == "0.0625"
    assert share_text(1, 32) == "0.0313"  # 0.03125: half up, not to even
    assert share_text(5, 5) == "1.0000" and share_text(0, 7) == "0.0000"
    assert share_text(0, 0) == ""


def test_clustering_puts_those_who_vote_alike_together() -> None:
    west: list[str | None] = ["yes", "yes", "no", "no", "yes", "abstain"]
    east: list[str | None] = ["no", "no", "yes", "yes", "no", "yes"]
    ballots: dict[str, list[str | None]] = {
        "AAA": west,
        "ZZZ": [*west[:5], "no"],
        "MMM": east,
        "BBB": [*east[:5], "abstain"],
        "CCC": [*west[:4], "no", "abstain"],
    }
    order = cluster_order(matrix_of(ballots))
    assert sorted(order) == sorted(ballots)
    west_seats = sorted(order.index(code) for code in ("AAA", "ZZZ", "CCC"))
    assert west_seats in ([0, 1, 2], [2, 3, 4])  # one side, then the other: never interleaved
    assert cluster_order(matrix_of(ballots)) == order  # the same on every run


def test_nearest_and_farthest_need_enough_roll_calls() -> None:
    ballots: dict[str, list[str | None]] = {
        "AAA": [*(["yes"] * 12)],
        "BBB": ["yes"] * 9 + [None] * 3,  # alike on 9: too few to be the nearest
        "CCC": [*(["yes"] * 10), "no", "no"],  # alike on 10 of 12
        "DDD": [*(["no"] * 12)],
    }
    found = {n.member.code: n for n in neighbours(matrix_of(ballots), enough=10)}
    assert found["AAA"].nearest == ("CCC", 10, 12)
    assert found["AAA"].farthest == ("DDD", 0, 12)
    # BBB voted on 9 roll calls: partners compared on all 9 of them count.
    assert found["BBB"].nearest == ("AAA", 9, 9)
    assert found["BBB"].farthest == ("DDD", 0, 9)
    lone = matrix_of({"AAA": ["yes"], "BBB": [None]})
    assert [n.nearest for n in neighbours(lone)] == [None, None]
