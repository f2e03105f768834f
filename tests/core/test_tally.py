"""The tally: counts, the verdict before and after the vote, the projection and short_by.

Properties from PRODUCT.md, checked with hypothesis, and the real cases by hand. The verdict
before the vote is checked against a brute force over every way the members in play could vote.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oastrack.core.positions import COUNT_KEYS, UNKNOWN, Position
from oastrack.core.rules import Rule, RuleName
from oastrack.core.tally import TallyResult, Verdict, tally

STANCES = [*(p.value for p in Position), UNKNOWN]
IN_PLAY = {"lean-yes", "undecided", "lean-no", UNKNOWN}
RANK = {Verdict.FAILS: 0, Verdict.OPEN: 1, Verdict.PASSES: 2}

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
        st.one_of(st.none(), st.integers(1, 60)),
    ),
    st.builds(Rule, st.just(RuleName.FIXED), st.integers(1, 60)),
)
stance_maps = st.lists(st.sampled_from(STANCES), min_size=1, max_size=40).map(
    lambda stances: {f"M{i:03d}": stance for i, stance in enumerate(stances)}
)
official_maps = st.lists(
    st.sampled_from(["yes", "no", "abstain", "absent"]), min_size=1, max_size=40
).map(lambda stances: {f"M{i:03d}": stance for i, stance in enumerate(stances)})


def carried(rule: Rule, yes: int, no: int, eligible: int) -> bool:
    """PRODUCT.md's 'passes when', with integers (independent of Rule.passes)."""
    base = rule.denominator if rule.denominator is not None else eligible
    if rule.required is not None:
        return yes >= rule.required
    if rule.name is RuleName.SIMPLE:
        return yes > no
    if rule.name is RuleName.TWO_THIRDS_VOTING:
        return yes >= 1 and 3 * yes >= 2 * (yes + no)
    if rule.name is RuleName.ABSOLUTE:
        return yes >= base // 2 + 1
    if rule.name is RuleName.TWO_THIRDS:
        return 3 * yes >= 2 * base
    return yes >= 1 and no == 0


def verdict_by_brute_force(rule: Rule, stances: dict[str, str]) -> Verdict:
    """Try every split of the members in play into yes, no and abstain."""
    eligible = len(stances)
    yes = sum(s == "yes" for s in stances.values())
    no = sum(s == "no" for s in stances.values())
    in_play = sum(s in IN_PLAY for s in stances.values())
    outcomes = {
        carried(rule, yes + to_yes, no + to_no, eligible)
        for to_yes in range(in_play + 1)
        for to_no in range(in_play - to_yes + 1)
    }
    if outcomes == {True}:
        return Verdict.PASSES
    if outcomes == {False}:
        return Verdict.FAILS
    return Verdict.OPEN


def projected_by_hand(rule: Rule, stances: dict[str, str]) -> Verdict:
    """Leans count as their side; undecided and unknown do not vote yes."""
    values = list(stances.values())
    yes = values.count("yes") + values.count("lean-yes")
    no = values.count("no") + values.count("lean-no")
    return Verdict.PASSES if carried(rule, yes, no, len(values)) else Verdict.FAILS


def with_yes(stances: dict[str, str], member: str) -> dict[str, str]:
    return {**stances, member: "yes"}


# -- properties -------------------------------------------------------------------------------


@given(rule=rules, stances=stance_maps)
def test_counts_have_every_key_and_add_up(rule: Rule, stances: dict[str, str]) -> None:
    result = tally(rule, stances, official=False)
    assert list(result.counts) == list(COUNT_KEYS)
    assert list(result.counts) == [*STANCES]
    assert sum(result.counts.values()) == len(stances) == result.eligible
    for key in COUNT_KEYS:
        assert result.counts[key] == sum(s == key for s in stances.values())


@given(rule=rules, stances=stance_maps)
def test_verdict_before_the_vote_matches_brute_force(rule: Rule, stances: dict[str, str]) -> None:
    result = tally(rule, stances, official=False)
    assert result.verdict is verdict_by_brute_force(rule, stances)
    assert result.projected is projected_by_hand(rule, stances)


@given(rule=rules, stances=official_maps)
def test_official_verdict_is_the_rule_applied(rule: Rule, stances: dict[str, str]) -> None:
    result = tally(rule, stances, official=True)
    values = list(stances.values())
    expected = carried(rule, values.count("yes"), values.count("no"), len(values))
    assert result.verdict is (Verdict.PASSES if expected else Verdict.FAILS)


@given(rule=rules, stances=stance_maps, official=st.booleans())
def test_short_by_is_what_the_firm_yes_lack(
    rule: Rule, stances: dict[str, str], official: bool
) -> None:
    result = tally(rule, stances, official=official)
    yes = sum(s == "yes" for s in stances.values())
    assert result.yes == yes
    assert result.short_by == max(0, result.required - yes)
    assert result.required == rule.required_yes(len(stances), result.counts["no"])


@settings(max_examples=300)
@given(rule=rules, stances=stance_maps, official=st.booleans(), data=st.data())
def test_turning_a_member_to_yes_never_turns_passes_into_fails(
    rule: Rule, stances: dict[str, str], official: bool, data: st.DataObject
) -> None:
    others = sorted(code for code, stance in stances.items() if stance != "yes")
    if not others:
        return
    member = data.draw(st.sampled_from(others), label="member")
    before = tally(rule, stances, official=official)
    after = tally(rule, with_yes(stances, member), official=official)
    if before.verdict is Verdict.PASSES:
        assert after.verdict is Verdict.PASSES
    if before.projected is Verdict.PASSES:
        assert after.projected is Verdict.PASSES
    # more generally the verdict only moves up: fails -> open -> passes
    assert RANK[after.verdict] >= RANK[before.verdict]
    assert RANK[after.projected] >= RANK[before.projected]
    assert after.short_by <= before.short_by


@given(rule=rules, stances=stance_maps)
def test_a_settled_verdict_settles_the_projection(rule: Rule, stances: dict[str, str]) -> None:
    result = tally(rule, stances, official=False)
    if result.verdict is Verdict.PASSES:
        assert result.projected is Verdict.PASSES
    if result.verdict is Verdict.FAILS:
        assert result.projected is Verdict.FAILS


@given(rule=rules, stances=st.one_of(stance_maps, official_maps))
def test_official_tallies_are_never_open(rule: Rule, stances: dict[str, str]) -> None:
    result = tally(rule, stances, official=True)
    assert result.verdict is not Verdict.OPEN
    assert result.projected is result.verdict
    assert result.official


@given(rule=rules, stances=stance_maps)
def test_the_projection_is_never_open(rule: Rule, stances: dict[str, str]) -> None:
    assert tally(rule, stances, official=False).projected is not Verdict.OPEN


# -- real cases -------------------------------------------------------------------------------


def members(**counts: int) -> dict[str, str]:
    stances: dict[str, str] = {}
    for position, count in counts.items():
        for _ in range(count):
            stances[f"M{len(stances):03d}"] = position.replace("_", "-")
    return stances


def test_oas_permanent_council_july_2024_fails_for_want_of_18() -> None:
    # 17 yes, 0 no, 11 abstentions, 6 absent among 34, absolute majority
    result = tally(Rule(RuleName.ABSOLUTE), members(yes=17, abstain=11, absent=6), official=True)
    assert (result.eligible, result.required, result.yes) == (34, 18, 17)
    assert result.short_by == 1
    assert result.verdict is Verdict.FAILS
    assert result.projected is Verdict.FAILS


def test_cancun_compromise_fails_three_short() -> None:
    result: TallyResult = tally(
        Rule(RuleName.TWO_THIRDS), members(yes=20, no=5, abstain=8, absent=1), official=True
    )
    assert result.counts == {
        "yes": 20,
        "lean-yes": 0,
        "undecided": 0,
        "lean-no": 0,
        "no": 5,
        "abstain": 8,
        "absent": 1,
        "unknown": 0,
    }
    assert (result.eligible, result.required, result.short_by) == (34, 23, 3)
    assert result.verdict is Verdict.FAILS
    assert result.projected is Verdict.FAILS
    assert result.official


def test_cancun_compromise_with_three_abstainers_passes() -> None:
    result = tally(
        Rule(RuleName.TWO_THIRDS), members(yes=23, no=5, abstain=5, absent=1), official=True
    )
    assert (result.required, result.short_by, result.verdict) == (23, 0, Verdict.PASSES)


@pytest.mark.parametrize(
    ("counts", "verdict", "projected", "short_by"),
    [
        # 16 firm yes, 2 leaning yes, 4 undecided, 12 no: 18 of 34 needed
        (dict(yes=16, lean_yes=2, undecided=4, no=12), Verdict.OPEN, Verdict.PASSES, 2),
        # one lean fewer: the leans no longer carry it
        (dict(yes=16, lean_yes=1, undecided=5, no=12), Verdict.OPEN, Verdict.FAILS, 2),
        # 18 firm yes carry it whatever the rest do
        (dict(yes=18, undecided=16), Verdict.PASSES, Verdict.PASSES, 0),
        # 16 yes + 1 in play cannot reach 18
        (dict(yes=16, lean_yes=1, abstain=17), Verdict.FAILS, Verdict.FAILS, 2),
        # nobody has said anything: 34 unknown
        (dict(unknown=34), Verdict.OPEN, Verdict.FAILS, 18),
    ],
)
def test_absolute_majority_before_the_vote(
    counts: dict[str, int], verdict: Verdict, projected: Verdict, short_by: int
) -> None:
    result = tally(Rule(RuleName.ABSOLUTE), members(**counts), official=False)
    assert result.required == 18
    assert (result.verdict, result.projected, result.short_by) == (verdict, projected, short_by)
