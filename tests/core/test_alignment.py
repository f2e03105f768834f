"""Agreement between members and the cohesion of a bloc, against hand-computed values."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.alignment import Cohesion, agreement, agreement_index, cohesion


def test_agreement_skips_absences_and_missing_votes() -> None:
    a = ["yes", "no", "abstain", "absent", None, "yes", "yes"]
    b = ["yes", "yes", "abstain", "yes", "no", None, "no"]
    # Compared: roll calls 0, 1, 2 and 6; agreed on 0 and 2.
    assert agreement(a, b) == (2, 4)


def test_agreement_with_nothing_to_compare() -> None:
    assert agreement([], []) == (0, 0)
    assert agreement(["absent"], ["yes"]) == (0, 0)


def test_agreement_needs_paired_votes() -> None:
    with pytest.raises(ValueError, match="pair"):
        agreement(["yes"], [])


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "expected"),
    [
        (5, 0, 0, Fraction(1)),
        (0, 0, 3, Fraction(1)),
        (1, 1, 1, Fraction(0)),
        (4, 4, 4, Fraction(0)),
        (2, 1, 0, Fraction(1, 2)),
        (3, 1, 0, Fraction(5, 8)),  # (3 - 1/2) / 4
        (1, 1, 0, Fraction(1, 4)),  # (1 - 1/2) / 2
        (0, 0, 0, None),
    ],
)
def test_agreement_index(yes: int, no: int, abstain: int, expected: Fraction | None) -> None:
    assert agreement_index(yes, no, abstain) == expected


def test_cohesion_averages_roll_calls_with_two_voters() -> None:
    roll_calls = [
        {"yes": 3},  # unanimous: 1
        {"yes": 2, "no": 1, "abstain": 0},  # 1/2
        {"no": 1, "absent": 5},  # one voter: skipped
        {},  # nobody voted: skipped
    ]
    assert cohesion(roll_calls) == Cohesion(index=Fraction(3, 4), roll_calls=2)


def test_cohesion_of_an_even_split() -> None:
    assert cohesion([{"yes": 2, "no": 2, "abstain": 2}]) == Cohesion(Fraction(0), 1)


def test_cohesion_with_nothing_to_average() -> None:
    assert cohesion([]) == Cohesion(index=None, roll_calls=0)
    assert cohesion(iter([{"yes": 1}])) == Cohesion(index=None, roll_calls=0)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        cohesion([{"yes": -1, "no": 3}])


COUNTS = st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))


@given(COUNTS)
def test_index_is_between_0_and_1_and_ignores_labels(counts: tuple[int, int, int]) -> None:
    index = agreement_index(*counts)
    if sum(counts) == 0:
        assert index is None
        return
    assert index is not None
    assert 0 <= index <= 1
    yes, no, abstain = counts
    assert agreement_index(abstain, yes, no) == index
    assert (index == 1) == (max(counts) == sum(counts))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["yes", "no", "abstain", "absent", None]),
            st.sampled_from(["yes", "no", "abstain", "absent", None]),
        )
    )
)
def test_agreement_is_symmetric(pairs: list[tuple[str | None, str | None]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    agreed, compared = agreement(a, b)
    assert agreement(b, a) == (agreed, compared)
    assert 0 <= agreed <= compared <= len(pairs)
    assert agreement(a, a)[0] == agreement(a, a)[1]
