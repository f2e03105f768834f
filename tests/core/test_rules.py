"""Decision rules: the number of yes votes each rule needs, checked against PRODUCT.md's formulas.

The expected values are computed here with integers only, independently of oastrack.core.rules.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oastrack.core.rules import Rule, RuleName, parse_rule

SIZES = range(1, 301)


def floor_half_plus_one(eligible: int) -> int:
    """⌊E/2⌋ + 1."""
    return eligible // 2 + 1


def ceil_two_thirds(eligible: int) -> int:
    """⌈2E/3⌉ with integers: the least n with 3n >= 2E."""
    n = (2 * eligible) // 3
    return n if 3 * n >= 2 * eligible else n + 1


def carried(rule: Rule, yes: int, no: int, eligible: int) -> bool:
    """PRODUCT.md's 'passes when' column, written out with integers."""
    base = rule.denominator if rule.denominator is not None else eligible
    if rule.required is not None:
        return yes >= rule.required
    if rule.name is RuleName.SIMPLE:
        return yes > no
    if rule.name is RuleName.TWO_THIRDS_VOTING:
        # yes >= 2/3 (yes + no); a text with no yes at all is not carried
        return yes >= 1 and 3 * yes >= 2 * (yes + no)
    if rule.name is RuleName.ABSOLUTE:
        return yes >= base // 2 + 1
    if rule.name is RuleName.TWO_THIRDS:
        return 3 * yes >= 2 * base
    assert rule.name is RuleName.CONSENSUS
    return yes >= 1 and no == 0


# -- required at every size ---------------------------------------------------------------------


def test_absolute_needs_floor_half_plus_one_at_every_size() -> None:
    wrong = {
        e: Rule(RuleName.ABSOLUTE).required_yes(e)
        for e in SIZES
        if Rule(RuleName.ABSOLUTE).required_yes(e) != floor_half_plus_one(e)
    }
    assert wrong == {}


def test_two_thirds_needs_ceil_two_thirds_at_every_size() -> None:
    wrong = {
        e: Rule(RuleName.TWO_THIRDS).required_yes(e)
        for e in SIZES
        if Rule(RuleName.TWO_THIRDS).required_yes(e) != ceil_two_thirds(e)
    }
    assert wrong == {}


def test_explicit_denominator_at_every_size() -> None:
    for denominator in SIZES:
        for eligible in (1, denominator, 300):
            rule = Rule(RuleName.ABSOLUTE, denominator=denominator)
            assert rule.required_yes(eligible) == floor_half_plus_one(denominator)
            rule = Rule(RuleName.TWO_THIRDS, denominator=denominator)
            assert rule.required_yes(eligible) == ceil_two_thirds(denominator)


def test_known_thresholds() -> None:
    # OAS: 18 of 34 (absolute), 23 of 34 (two-thirds); and the small cases by hand.
    assert Rule(RuleName.ABSOLUTE).required_yes(34) == 18
    assert Rule(RuleName.TWO_THIRDS).required_yes(34) == 23
    assert Rule(RuleName.TWO_THIRDS).required_yes(35) == 24
    assert Rule(RuleName.TWO_THIRDS).required_yes(33) == 22
    assert [Rule(RuleName.TWO_THIRDS).required_yes(e) for e in (1, 2, 3, 4, 5, 6)] == [
        1,
        2,
        2,
        3,
        4,
        4,
    ]
    assert [Rule(RuleName.ABSOLUTE).required_yes(e) for e in (1, 2, 3, 4)] == [1, 2, 2, 3]


@given(eligible=st.integers(1, 300), denominator=st.integers(1, 300))
def test_explicit_denominator_replaces_the_eligible_count(eligible: int, denominator: int) -> None:
    absolute = Rule(RuleName.ABSOLUTE, denominator=denominator)
    two_thirds = Rule(RuleName.TWO_THIRDS, denominator=denominator)
    assert absolute.required_yes(eligible) == floor_half_plus_one(denominator)
    assert two_thirds.required_yes(eligible) == ceil_two_thirds(denominator)
    assert absolute.base(eligible) == denominator


@given(no=st.integers(0, 300))
def test_required_depends_on_no_votes_for_cast_vote_rules(no: int) -> None:
    assert Rule(RuleName.SIMPLE).required_yes(300, no) == no + 1
    # the least yes with 3 yes >= 2 (yes + no), and at least one yes
    expected = next(y for y in range(1, 2 * no + 2) if 3 * y >= 2 * (y + no))
    assert Rule(RuleName.TWO_THIRDS_VOTING).required_yes(300, no) == expected


@given(required=st.integers(1, 300), eligible=st.integers(1, 300))
def test_fixed_needs_exactly_n(required: int, eligible: int) -> None:
    assert Rule(RuleName.FIXED, required=required).required_yes(eligible) == required


# -- at the threshold passes, one below fails ----------------------------------------------------


@pytest.mark.parametrize("name", [RuleName.ABSOLUTE, RuleName.TWO_THIRDS])
def test_membership_rules_at_and_below_threshold_at_every_size(name: RuleName) -> None:
    rule = Rule(name)
    for eligible in SIZES:
        required = rule.required_yes(eligible)
        assert required <= eligible
        # the others abstain or stay away: that counts like a no under these rules
        assert rule.passes(required, 0, eligible), eligible
        assert not rule.passes(required - 1, 0, eligible), eligible
        assert carried(rule, required, 0, eligible)
        assert not carried(rule, required - 1, 0, eligible)


@pytest.mark.parametrize("name", [RuleName.SIMPLE, RuleName.TWO_THIRDS_VOTING])
def test_cast_vote_rules_at_and_below_threshold_at_every_size(name: RuleName) -> None:
    rule = Rule(name)
    for no in range(0, 151):
        required = rule.required_yes(300, no)
        assert rule.passes(required, no, 300), no
        assert not rule.passes(required - 1, no, 300), no
        assert carried(rule, required, no, 300)
        assert not carried(rule, required - 1, no, 300)


rules = st.one_of(
    st.builds(
        Rule,
        st.sampled_from(
            [
                RuleName.SIMPLE,
                RuleName.TWO_THIRDS_VOTING,
                RuleName.ABSOLUTE,
                RuleName.TWO_THIRDS,
                RuleName.CONSENSUS,
            ]
        ),
        st.none(),
        st.one_of(st.none(), st.integers(1, 300)),
    ),
    st.builds(Rule, st.just(RuleName.FIXED), st.integers(1, 300)),
)


@given(rule=rules, eligible=st.integers(1, 300), data=st.data())
def test_passes_matches_the_contract(rule: Rule, eligible: int, data: st.DataObject) -> None:
    yes = data.draw(st.integers(0, eligible), label="yes")
    no = data.draw(st.integers(0, eligible - yes), label="no")
    assert rule.passes(yes, no, eligible) == carried(rule, yes, no, eligible)


@given(rule=rules, eligible=st.integers(1, 300), data=st.data())
def test_threshold_passes_and_one_below_fails(
    rule: Rule, eligible: int, data: st.DataObject
) -> None:
    no = data.draw(st.integers(0, eligible), label="no")
    required = rule.required_yes(eligible, no)
    if rule.name is RuleName.CONSENSUS:
        # one objection is enough to block it, whatever the yes votes
        assert rule.passes(1, 0, eligible)
        assert not rule.passes(0, 0, eligible)
        assert not rule.passes(eligible, 1, eligible + 1)
        return
    assert required >= 1
    assert rule.passes(required, no, eligible)
    assert not rule.passes(required - 1, no, eligible)
    assert carried(rule, required, no, eligible)
    assert not carried(rule, required - 1, no, eligible)


@given(rule=rules, eligible=st.integers(1, 300), data=st.data())
def test_one_more_yes_never_undoes_a_pass(rule: Rule, eligible: int, data: st.DataObject) -> None:
    yes = data.draw(st.integers(0, eligible - 1), label="yes")
    no = data.draw(st.integers(0, eligible - 1 - yes), label="no")
    if rule.passes(yes, no, eligible):
        assert rule.passes(yes + 1, no, eligible)
        if no:
            assert rule.passes(yes + 1, no - 1, eligible)  # a no turned yes


def test_threshold_uses_integers_not_floats() -> None:
    # 2/3 of 300 is 200 exactly: 200 passes; a float comparison with 0.6666 would get 199 or 201
    assert Rule(RuleName.TWO_THIRDS).required_yes(300) == 200
    assert Rule(RuleName.TWO_THIRDS).passes(200, 100, 300)
    assert not Rule(RuleName.TWO_THIRDS).passes(199, 101, 300)
    # yes = 2 no is exactly two thirds of the votes cast
    assert Rule(RuleName.TWO_THIRDS_VOTING).passes(200, 100, 300)
    assert not Rule(RuleName.TWO_THIRDS_VOTING).passes(199, 100, 299)


# -- construction -----------------------------------------------------------------------------


def test_fixed_without_required_is_refused() -> None:
    with pytest.raises(ValueError, match="--required N"):
        Rule(RuleName.FIXED)


@pytest.mark.parametrize("field", ["required", "denominator"])
def test_counts_below_one_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Rule(RuleName.ABSOLUTE, **{field: 0})  # type: ignore[arg-type]


def test_parse_rule_names_the_rules() -> None:
    assert parse_rule(" Two-Thirds ") is RuleName.TWO_THIRDS
    with pytest.raises(ValueError) as error:
        parse_rule("majority")
    assert str(error.value) == (
        "'majority' is not a decision rule; use one of: simple, two-thirds-voting, absolute, "
        "two-thirds, consensus, fixed"
    )
