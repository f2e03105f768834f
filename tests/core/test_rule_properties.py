"""Properties of every rule, named and general, under weights and vetoes, against the oracle of
tests/core/rulebook.py and against brute force over every outcome on small bodies."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from oastrack.core.forecast import chances, forecast
from oastrack.core.positions import LIKELIEST_TO_YES
from oastrack.core.rules import HEAD_COUNT_RULES, parse_rule_spec
from oastrack.core.swing import swing
from oastrack.core.tally import Verdict, tally
from tests.core.rulebook import WEIGHTS, Body, Case, bodies, carries, cases

IN_PLAY = ("lean-yes", "undecided", "lean-no", "unknown")
RANK = {Verdict.FAILS: 0, Verdict.OPEN: 1, Verdict.PASSES: 2}


def tallied(case: Case, body: Body, *, official: bool) -> tuple[Verdict, Verdict]:
    result = tally(
        case.rule, body.stances, official=official, weights=body.weights, vetoes=body.vetoes
    )
    return result.verdict, result.projected


@settings(max_examples=300, deadline=None)
@given(case=cases, data=st.data())
def test_passes_matches_the_oracle(case: Case, data: st.DataObject) -> None:
    eligible = data.draw(st.integers(1, 40), label="eligible")
    yes = data.draw(st.integers(0, eligible), label="yes")
    no = data.draw(st.integers(0, eligible - yes), label="no")
    total = data.draw(WEIGHTS, label="total")
    weight = data.draw(st.integers(0, total), label="weight")
    vetoed = data.draw(st.booleans(), label="vetoed")
    got = case.rule.passes(yes, no, eligible, weight_yes=weight, weight_total=total, vetoed=vetoed)
    assert got == case.oracle(yes, no, eligible, weight, total, vetoed)


@settings(max_examples=200, deadline=None)
@given(case=cases, body=bodies(12), official=st.booleans(), data=st.data())
def test_a_new_yes_never_turns_passes_into_fails(
    case: Case, body: Body, official: bool, data: st.DataObject
) -> None:
    others = sorted(code for code, stance in body.stances.items() if stance != "yes")
    if not others:
        return
    member = data.draw(st.sampled_from(others), label="member")
    before = tallied(case, body, official=official)
    after = tallied(case, body.with_stances(**{member: "yes"}), official=official)
    assert all(RANK[a] >= RANK[b] for a, b in zip(after, before, strict=True))


@settings(max_examples=200, deadline=None)
@given(case=cases, body=bodies(12), official=st.booleans(), data=st.data())
def test_a_veto_holder_abstaining_instead_of_no_never_sinks_a_text(
    case: Case, body: Body, official: bool, data: st.DataObject
) -> None:
    holders = sorted(c for c, s in body.stances.items() if c in body.vetoes and s == "no")
    if not holders:
        return
    member = data.draw(st.sampled_from(holders), label="member")
    before = tallied(case, body, official=official)
    after = tallied(case, body.with_stances(**{member: "abstain"}), official=official)
    assert all(RANK[a] >= RANK[b] for a, b in zip(after, before, strict=True))


@settings(max_examples=200, deadline=None)
@given(case=cases, body=bodies(9))
def test_verdict_before_the_vote_is_every_way_the_members_in_play_could_vote(
    case: Case, body: Body
) -> None:
    in_play = [code for code, stance in body.stances.items() if stance in IN_PLAY]
    outcomes = {
        carries(case, body.with_stances(**dict(zip(in_play, votes, strict=True))), official=True)
        for votes in product(("yes", "no", "abstain"), repeat=len(in_play))
    }
    expected = {
        frozenset({True}): Verdict.PASSES,
        frozenset({False}): Verdict.FAILS,
    }.get(frozenset(outcomes), Verdict.OPEN)
    verdict, projected = tallied(case, body, official=False)
    assert verdict is expected
    assert (projected is Verdict.PASSES) == carries(case, body, official=False)
    # A settled verdict settles the projection.
    assert verdict is Verdict.OPEN or projected is verdict
    verdict, projected = tallied(case, body, official=True)
    assert verdict is projected
    assert (verdict is Verdict.PASSES) == carries(case, body, official=True)


def brute_force(case: Case, body: Body) -> Fraction:
    """Sum the chance of every joint outcome that carries the text."""
    codes = list(body.stances)
    options = []
    for code in codes:
        yes, no, abstain = chances(body.stances[code], body.confidences[code])
        outcome = (("yes", yes), ("no", no), ("abstain", abstain))
        options.append([(vote, p) for vote, p in outcome if p])
    total = Fraction(0)
    for joint in product(*options):
        chance = Fraction(1)
        for _, p in joint:
            chance *= p
        votes = {code: vote for code, (vote, _) in zip(codes, joint, strict=True)}
        if carries(case, body.with_stances(**votes), official=True):
            total += chance
    return total


@settings(max_examples=150, deadline=None)
@given(case=cases, body=bodies(12))
def test_forecast_equals_brute_force(case: Case, body: Body) -> None:
    members = {code: (body.stances[code], body.confidences[code]) for code in body.stances}
    options = {"weights": body.weights, "vetoes": body.vetoes}
    result = forecast(case.rule, members, official=False, **options)  # type: ignore[arg-type]
    assert result.probability == brute_force(case, body)
    assert result.expected_yes == sum((chances(*m)[0] for m in members.values()), Fraction(0))
    official = forecast(case.rule, members, official=True, **options)  # type: ignore[arg-type]
    assert official.probability == int(carries(case, body, official=True))


def likeliest_key(body: Body, codes: tuple[str, ...] | list[str]) -> list[tuple[int, str]]:
    return sorted((LIKELIEST_TO_YES.index(body.stances[code]), code) for code in codes)


@settings(max_examples=200, deadline=None)
@given(case=cases, body=bodies(10), official=st.booleans())
def test_swing_matches_brute_force(case: Case, body: Body, official: bool) -> None:
    result = swing(
        case.rule, body.stances, official=official, weights=body.weights, vetoes=body.vetoes
    )
    assert result.carried == carries(case, body, official=official)
    yes_side = ("yes",) if official else ("yes", "lean-yes")
    movable = [code for code, stance in body.stances.items() if stance not in yes_side]
    if result.carried:
        assert (result.needed, result.members, result.moves) == (0, (), ())
        sinking = {
            code
            for code, stance in body.stances.items()
            if stance in yes_side
            and not carries(case, body.with_stances(**{code: "no"}), official=official)
        }
        assert set(result.pivotal) == sinking
        return
    smallest: list[tuple[str, ...]] = []
    for size in range(len(movable) + 1):
        smallest = [
            subset
            for subset in combinations(movable, size)
            if carries(case, body.with_stances(**dict.fromkeys(subset, "yes")), official=official)
        ]
        if smallest:
            break
    if not smallest:
        assert (result.possible, result.needed, result.members) == (False, None, ())
        return
    assert result.needed == len(smallest[0])
    best = min(likeliest_key(body, subset) for subset in smallest)
    assert list(result.members) == [code for _, code in best]
    # The moves carry the text; only a veto holder counted no abstains, and only when its
    # yes is not needed.
    assert [code for code, _, _ in result.moves] == list(result.members)
    moved = body.with_stances(**{code: to for code, _, to in result.moves})
    assert carries(case, moved, official=official)
    no_side = ("no",) if official else ("no", "lean-no")
    for code, now, to in result.moves:
        assert now == body.stances[code]
        is_forced = case.rule.has_veto and code in body.vetoes and now in no_side
        assert to == "yes" or (to == "abstain" and is_forced)
        if to == "yes" and is_forced:
            assert not carries(case, moved.with_stances(**{code: "abstain"}), official=official)
    single = {
        c for c in movable if carries(case, body.with_stances(**{c: "yes"}), official=official)
    }
    assert list(result.pivotal) == [code for _, code in likeliest_key(body, sorted(single))]


@settings(max_examples=300, deadline=None)
@given(case=cases, data=st.data())
def test_spec_round_trip_and_the_general_form_of_every_rule(
    case: Case, data: st.DataObject
) -> None:
    rule = case.rule
    again = parse_rule_spec(rule.spec, required=rule.required, denominator=rule.denominator)
    assert again == rule and again.spec == rule.spec
    # The pieces that decide, written in the general form, decide the same.
    general = parse_rule_spec(rule.form, denominator=rule.denominator)
    eligible = data.draw(st.integers(1, 40), label="eligible")
    total = data.draw(WEIGHTS, label="total")
    described = rule.describe(eligible, total_weight=total)
    if rule.name not in HEAD_COUNT_RULES:
        assert described.startswith(f"{rule.spec}: ")
    if rule.weighted:
        assert f"{rule.required_weight(total):,}" in described
    for _ in range(20):
        yes = data.draw(st.integers(0, eligible))
        no = data.draw(st.integers(0, eligible - yes))
        weight = data.draw(st.integers(0, total))
        vetoed = data.draw(st.booleans())
        ballot = (yes, no, eligible)
        options = {"weight_yes": weight, "weight_total": total, "vetoed": vetoed}
        assert general.passes(*ballot, **options) == rule.passes(*ballot, **options)  # type: ignore[arg-type]
