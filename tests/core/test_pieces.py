"""The general form of a decision rule: what a user types, what is stored, and the errors shown
after 'Error: '."""

from __future__ import annotations

import pytest

from oastrack.core import exact
from oastrack.core.forecast import forecast
from oastrack.core.rules import NAMED_TERMS, Custom, Rule, RuleName, parse_rule_spec
from oastrack.core.tally import tally

FORM_HINT = "for example 'members>=3/5 weight>=85%'"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("members>=3/5 weight>=85%", "members>=3/5 weight>=85%"),
        # Any order, any case, blanks around the operators: one canonical text.
        ("  Weight >= 85%   MEMBERS>=3/5 ", "members>=3/5 weight>=85%"),
        ("veto yes>=9", "yes>=9 veto"),
        ("yes>no", "yes>no"),
        ("voting>1/2", "yes>no"),
        ("voting>50%", "voting>50%"),
        ("no-objection", "no-objection"),
        ("voting>=1/1", "no-objection"),
        ("blocking>=4 weight>=65% members>=55%", "members>=55% weight>=65% blocking>=4"),
        ("members>1/2 voting>=2/3", "members>1/2 voting>=2/3"),
    ],
)
def test_the_general_form_is_stored_as_one_canonical_text(typed: str, stored: str) -> None:
    rule = parse_rule_spec(typed)
    assert rule.name is Custom.CUSTOM and rule.name.value == "custom"
    assert rule.spec == stored
    assert parse_rule_spec(stored) == rule


@pytest.mark.parametrize("name", list(RuleName))
def test_named_rules_round_trip_by_name_and_are_instances_of_the_form(name: RuleName) -> None:
    required = 7 if name is RuleName.FIXED else None
    rule = parse_rule_spec(f" {name.value.upper()} ", required=required)
    assert rule == Rule(name, required=required) and rule.spec == name.value
    assert rule.form == (NAMED_TERMS[name].spec or "yes>=7")


def test_the_named_rules_in_the_general_form() -> None:
    forms = {name.value: Rule(name).form for name in RuleName if name is not RuleName.FIXED}
    assert forms == {
        "simple": "yes>no",
        "two-thirds-voting": "voting>=2/3",
        "absolute": "members>1/2",
        "two-thirds": "members>=2/3",
        "consensus": "no-objection",
        "security-council": "yes>=9 veto",
        "security-council-procedural": "yes>=9",
        "qualified-majority": "members>=55% weight>=65% blocking>=4",
        "reinforced-qualified-majority": "members>=72% weight>=65%",
    }
    # --required replaces the count, keeps the veto.
    assert Rule(RuleName.SECURITY_COUNCIL, required=7).form == "yes>=7 veto"
    assert Rule(RuleName.SECURITY_COUNCIL, required=7).describe(15) == (
        "security-council: 7 of 15 and no veto"
    )


def test_describe_a_general_rule() -> None:
    assert parse_rule_spec("voting>=2/3 veto").describe(15) == (
        "voting>=2/3 veto: 2/3 of those voting and no veto"
    )
    assert parse_rule_spec("yes>no weight>50%").describe(5, total_weight=9) == (
        "yes>no weight>50%: yes > no and more than 50% of the weight: 5"
    )
    # The head-counting rules say what they always said.
    assert Rule(RuleName.TWO_THIRDS).describe(34) == "two-thirds: 23 of 34"
    assert Rule(RuleName.FIXED, required=5).describe(34) == "fixed: 5 yes votes"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "majority",
            "'majority' is not a decision rule; use one of: simple, two-thirds-voting, "
            "absolute, two-thirds, consensus, fixed, security-council, "
            "security-council-procedural, qualified-majority, reinforced-qualified-majority, "
            "or the general form: members>=F, voting>=F, yes>=N, yes>no, no-objection, "
            "weight>=F, veto, blocking>=K (F a fraction such as 3/5 or a percentage such as "
            "85%), for example 'members>=3/5 weight>=85%'",
        ),
        ("custom", "'custom' is not a decision rule; use one of: simple,"),
        ("members>=3/5 wieght>=85%", "'wieght>=85%' is not a piece of a decision rule; use"),
        ("members>=0.6", "'members>=0.6': write the share as a fraction such as 3/5 or as 85%"),
        ("members>=0%", "'members>=0%': the share must be above 0 and at most 1 (100%)"),
        ("weight>=7/5", "'weight>=7/5': the share must be above 0 and at most 1 (100%)"),
        ("members>=1/0", "'members>=1/0': a fraction cannot have 0 below the line"),
        ("members>100%", "'members>100%' can never be met: nothing is more than all"),
        ("members>=1/2 members>=2/3", "'members>=1/2 members>=2/3' gives members twice"),
        ("yes>no voting>=2/3", "'yes>no voting>=2/3' gives voting twice"),
        ("veto", "'veto' says nothing about the yes votes needed; use members>=F"),
        ("yes>=0", "'yes>=0': yes takes a whole number, as in yes>=4"),
        ("yes>=nine veto", "'yes>=nine': yes takes a whole number, as in yes>=4"),
        ("weight>=65% blocking>3", "'blocking>3': write blocking>=K, as in blocking>=4"),
        (
            "members>=55% blocking>=4",
            "'members>=55% blocking>=4': blocking>=K only waives a weight piece; add weight>=F",
        ),
        ("  ", "a decision rule cannot be empty; use members>=F"),
    ],
)
def test_errors_say_what_is_wrong_and_show_the_form(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_rule_spec(typed)
    assert str(error.value).startswith(message)
    if "use" in message:
        assert str(error.value).endswith(FORM_HINT)


def test_rule_construction_errors() -> None:
    with pytest.raises(ValueError, match="--required N"):
        parse_rule_spec("fixed")
    with pytest.raises(ValueError, match="a custom rule needs its pieces"):
        Rule(Custom.CUSTOM)
    with pytest.raises(ValueError, match="has its own pieces"):
        Rule(RuleName.SIMPLE, pieces=NAMED_TERMS[RuleName.ABSOLUTE])
    with pytest.raises(ValueError, match="at least 1"):
        parse_rule_spec("members>=1/2", denominator=0)


def test_required_and_denominator_apply_to_the_general_form() -> None:
    rule = parse_rule_spec("members>1/2 weight>=1/2", denominator=10)
    assert rule.required_yes(4) == 6  # of the denominator, not of the 4 eligible
    assert parse_rule_spec("members>1/2 weight>=1/2", required=2).form == "yes>=2 weight>=1/2"


def test_weights_must_be_non_negative_whole_numbers() -> None:
    rule = Rule(RuleName.QUALIFIED_MAJORITY)
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(ValueError, match="the weight of A must be a non-negative whole"):
            tally(rule, {"A": "yes"}, official=True, weights={"A": bad})  # type: ignore[dict-item]
    # Missing weights weigh 0, and an unweighted rule ignores them.
    assert tally(rule, {"A": "yes", "B": "no"}, official=True, weights={"A": 3}).weight_total == 3
    result = tally(Rule(RuleName.SIMPLE), {"A": "yes"}, official=True, weights={"A": 3})
    assert result.weight_total is None and result.vetoed_by == ()


def test_forecast_refuses_what_it_cannot_sum_exactly() -> None:
    # 40 coin tosses with weights that never add up alike: 2^20 states in each half.
    members = {f"M{i:02d}": ("undecided", None) for i in range(40)}
    weights = {f"M{i:02d}": 2**i for i in range(40)}
    with pytest.raises(ValueError, match="an exact forecast cannot weigh"):
        forecast(Rule(RuleName.QUALIFIED_MAJORITY), members, official=False, weights=weights)
    assert exact.HALF_LIMIT < 2**20
