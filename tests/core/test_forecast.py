"""The forecast: exact probabilities, checked by hand and against brute-force enumeration."""

from __future__ import annotations

import time
from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oastrack.core.forecast import Forecast, chances, forecast, yes_chance
from oastrack.core.positions import UNKNOWN, Position
from oastrack.core.rules import Rule, RuleName

STANCES = [*(p.value for p in Position), UNKNOWN]
Members = dict[str, tuple[str, float | None]]

# The compromise text on Venezuela, Cancún, 2017-06-19: 20 yes, 5 no, 8 abstain, VEN absent.
YES_2017 = (
    *("ARG", "BHS", "BLZ", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "GTM"),
    *("GUY", "HND", "JAM", "LCA", "MEX", "PAN", "PER", "PRY", "URY", "USA"),
)
NO_2017 = ("BOL", "DMA", "KNA", "NIC", "VCT")
ABSTAIN_2017 = ("ATG", "DOM", "ECU", "GRD", "HTI", "SLV", "SUR", "TTO")


def members_of(*groups: tuple[int, str, float | None]) -> Members:
    """Members M00, M01, ... in groups of (how many, position, confidence)."""
    table: Members = {}
    for size, position, confidence in groups:
        for _ in range(size):
            table[f"M{len(table):02d}"] = (position, confidence)
    return table


def brute_force(rule: Rule, members: Members) -> Fraction:
    """Sum the chance of every joint outcome in which rule.passes holds."""
    outcomes = []
    for position, confidence in members.values():
        yes, no, abstain = chances(position, confidence)
        outcomes.append(
            [(p, dy, dn) for p, dy, dn in ((yes, 1, 0), (no, 0, 1), (abstain, 0, 0)) if p]
        )
    total = Fraction(0)
    for joint in product(*outcomes):
        chance = Fraction(1)
        for p, _, _ in joint:
            chance *= p
        if rule.passes(sum(dy for _, dy, _ in joint), sum(dn for _, _, dn in joint), len(members)):
            total += chance
    return total


def test_acceptance_absolute_16_yes_4_undecided_14_no() -> None:
    members = members_of((16, "yes", None), (4, "undecided", None), (14, "no", None))
    result = forecast(Rule(RuleName.ABSOLUTE), members, official=False)
    # 18 of 34 needed: at least 2 of the 4 coin tosses, 11 of 16 outcomes.
    assert result == Forecast(Fraction(11, 16), Fraction(18), Fraction(16))


@pytest.mark.parametrize(
    ("position", "confidence", "expected"),
    [
        ("yes", None, Fraction(1)),
        ("yes", 0.8, Fraction(4, 5)),
        ("lean-yes", None, Fraction(3, 4)),
        ("lean-yes", 0.6, Fraction(3, 5)),
        ("undecided", None, Fraction(1, 2)),
        ("undecided", 0.9, Fraction(1, 2)),
        (UNKNOWN, None, Fraction(1, 2)),
        ("lean-no", None, Fraction(1, 4)),
        ("lean-no", 0.7, Fraction(3, 10)),
        ("no", None, Fraction(0)),
        ("no", 0.9, Fraction(1, 10)),
        ("abstain", None, Fraction(0)),
        ("abstain", 0.75, Fraction(1, 4)),
        ("absent", 1.0, Fraction(0)),
        (Position.YES, 0.1, Fraction(1, 10)),
    ],
)
def test_yes_chance(position: str, confidence: float | None, expected: Fraction) -> None:
    assert yes_chance(position, confidence) == expected


@pytest.mark.parametrize("confidence", [-0.1, 1.5, float("nan"), float("inf")])
def test_confidence_outside_0_to_1_is_refused(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence"):
        yes_chance("yes", confidence)


def test_unknown_position_is_refused() -> None:
    with pytest.raises(ValueError, match="not a position"):
        yes_chance("maybe", None)
    with pytest.raises(ValueError, match="not a position"):
        forecast(Rule(RuleName.SIMPLE), {"ARG": ("maybe", None)}, official=False)


def test_remainder_goes_to_no_or_abstention() -> None:
    f = Fraction
    assert chances("yes", 0.8) == (f(4, 5), f(0), f(1, 5))
    assert chances("lean-yes", None) == (f(3, 4), f(0), f(1, 4))
    assert chances("undecided", None) == (f(1, 2), f(1, 2), f(0))
    assert chances(UNKNOWN, None) == (f(1, 2), f(1, 2), f(0))
    assert chances("lean-no", None) == (f(1, 4), f(3, 4), f(0))
    assert chances("no", 0.9) == (f(1, 10), f(9, 10), f(0))
    assert chances("abstain", 0.9) == (f(1, 10), f(0), f(9, 10))
    assert chances("absent", None) == (f(0), f(0), f(1))


def test_remainder_matters_under_simple() -> None:
    # One undecided member against nobody: a no half the time, so it passes half the time.
    assert forecast(Rule(RuleName.SIMPLE), members_of((1, "undecided", None)), official=False) == (
        Forecast(Fraction(1, 2), Fraction(1, 2), Fraction(1, 2))
    )
    # A lean-yes stays away when it does not vote yes: with a lean-no, the text passes when
    # both vote yes (3/16) or the lean-yes abstains and the lean-no votes yes (1/16).
    members = members_of((1, "lean-yes", None), (1, "lean-no", None))
    assert forecast(Rule(RuleName.SIMPLE), members, official=False).probability == Fraction(1, 4)


def test_two_thirds_voting_needs_a_yes() -> None:
    members = members_of((3, "abstain", 0.5))
    # Each abstainer votes yes half the time, else abstains: fails only if all three abstain.
    result = forecast(Rule(RuleName.TWO_THIRDS_VOTING), members, official=False)
    assert result.probability == Fraction(7, 8)


def test_consensus() -> None:
    members = members_of((2, "yes", 0.5), (1, "lean-no", 0.9))
    # No objection: the lean-no votes yes (1/10); then at least one yes is certain already.
    assert forecast(Rule(RuleName.CONSENSUS), members, official=False).probability == Fraction(
        1, 10
    )
    members = members_of((2, "yes", 0.5), (1, "abstain", None))
    # Nobody objects; fails only if both wavering supporters stay away.
    assert forecast(Rule(RuleName.CONSENSUS), members, official=False).probability == Fraction(3, 4)


def test_fixed_and_explicit_denominator() -> None:
    members = members_of((3, "yes", None), (2, "undecided", None))
    assert forecast(Rule(RuleName.FIXED, required=4), members, official=False).probability == (
        Fraction(3, 4)
    )
    # absolute over a denominator of 10 needs 6: out of reach of 5 members.
    rule = Rule(RuleName.ABSOLUTE, denominator=10)
    assert forecast(rule, members, official=False).probability == 0


def test_official_vote_decides() -> None:
    members: Members = dict.fromkeys(YES_2017, ("yes", 0.1))
    members.update(dict.fromkeys(NO_2017, ("no", None)))
    members.update(dict.fromkeys(ABSTAIN_2017, ("abstain", None)))
    members["VEN"] = ("absent", None)
    result = forecast(Rule(RuleName.TWO_THIRDS), members, official=True)
    assert result == Forecast(Fraction(0), Fraction(20), Fraction(5))
    result = forecast(Rule(RuleName.ABSOLUTE), members, official=True)
    assert result.probability == 1


def test_no_members() -> None:
    assert forecast(Rule(RuleName.SIMPLE), {}, official=False).probability == 0
    assert forecast(Rule(RuleName.CONSENSUS), {}, official=False).probability == 0


@pytest.mark.parametrize("name", list(RuleName))
def test_two_hundred_members_is_fast(name: RuleName) -> None:
    rule = Rule(name, required=120 if name is RuleName.FIXED else None)
    # Three-decimal confidences, the worst an analyst types by hand: large exact denominators.
    members = {f"M{i:03d}": (STANCES[i % len(STANCES)], (i * 37 % 1000) / 1000) for i in range(200)}
    start = time.perf_counter()
    result = forecast(rule, members, official=False)
    elapsed = time.perf_counter() - start
    assert 0 <= result.probability <= 1
    assert elapsed < 0.5, f"{elapsed:.3f} s"


CONFIDENCES = st.one_of(
    st.none(),
    st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.8, 0.95, 1.0]),
    st.floats(min_value=0, max_value=1),
)
MEMBER = st.tuples(st.sampled_from(STANCES), CONFIDENCES)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    name = draw(st.sampled_from(list(RuleName)))
    required = draw(st.integers(1, 10)) if name is RuleName.FIXED else None
    if name is not RuleName.FIXED and draw(st.booleans()) and draw(st.booleans()):
        required = draw(st.integers(1, 10))  # a requirement overrides any rule
    denominator = draw(st.one_of(st.none(), st.integers(1, 12)))
    return Rule(name, required=required, denominator=denominator)


@settings(deadline=None, max_examples=300)
@given(rule=rules(), table=st.lists(MEMBER, max_size=8))
def test_equals_brute_force(rule: Rule, table: list[tuple[str, float | None]]) -> None:
    members = {f"M{i}": entry for i, entry in enumerate(table)}
    result = forecast(rule, members, official=False)
    assert result.probability == brute_force(rule, members)
    assert result.expected_yes == sum((chances(*m)[0] for m in table), Fraction(0))
    assert result.expected_no == sum((chances(*m)[1] for m in table), Fraction(0))


@settings(deadline=None, max_examples=200)
@given(
    rule=rules(),
    table=st.lists(MEMBER, min_size=1, max_size=10),
    data=st.data(),
)
def test_a_likelier_yes_never_lowers_the_probability(
    rule: Rule, table: list[tuple[str, float | None]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(table) - 1))
    position = data.draw(st.sampled_from(["yes", "lean-yes", "lean-no", "no", "abstain", "absent"]))
    low, high = sorted(data.draw(st.lists(st.floats(0, 1), min_size=2, max_size=2)))
    # For yes and lean-yes the confidence is the yes chance; for the others its complement.
    before, after = (low, high) if position in ("yes", "lean-yes") else (high, low)
    members = {f"M{i}": entry for i, entry in enumerate(table)}
    members[f"M{index}"] = (position, before)
    first = forecast(rule, members, official=False).probability
    members[f"M{index}"] = (position, after)
    assert forecast(rule, members, official=False).probability >= first


@settings(deadline=None, max_examples=100)
@given(rule=rules(), table=st.lists(MEMBER, max_size=12))
def test_official_is_zero_or_one(rule: Rule, table: list[tuple[str, float | None]]) -> None:
    members = {f"M{i}": entry for i, entry in enumerate(table)}
    result = forecast(rule, members, official=True)
    stances = [position for position, _ in table]
    assert result.probability == int(
        rule.passes(stances.count("yes"), stances.count("no"), len(table))
    )
    assert result.expected_yes == stances.count("yes")
