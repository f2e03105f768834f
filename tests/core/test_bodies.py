"""The rules of the bodies analysts follow, on real votes: the Security Council's veto, the
Council of the EU's qualified majority, the IMF's general form.

Facts: ../shared/data/bodies/README.md and its CSV files; each case names its source.
"""

from __future__ import annotations

import csv
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from oastrack.core.forecast import forecast
from oastrack.core.rules import Rule, RuleName, parse_rule_spec
from oastrack.core.swing import swing, swing_blocs
from oastrack.core.tally import Verdict, tally

BODIES = Path(__file__).resolve().parents[3] / "shared" / "data" / "bodies"

SC = Rule(RuleName.SECURITY_COUNCIL)
PROCEDURAL = Rule(RuleName.SECURITY_COUNCIL_PROCEDURAL)
QMV = Rule(RuleName.QUALIFIED_MAJORITY)
REINFORCED = Rule(RuleName.REINFORCED_QUALIFIED_MAJORITY)
P5 = frozenset({"CHN", "FRA", "GBR", "RUS", "USA"})

# S/2022/155, 25 February 2022, on Ukraine: 11 yes, 1 no (Russian Federation), 3 abstentions
# (China, India, United Arab Emirates); not adopted. Source: Security Council Report,
# securitycouncilreport.org/un-documents/document/s-2022-155.php, and the bodies README.
COUNCIL_2022_YES = ("ALB", "BRA", "FRA", "GAB", "GBR", "GHA", "IRL", "KEN", "MEX", "NOR", "USA")
S_2022_155 = {
    **dict.fromkeys(COUNCIL_2022_YES, "yes"),
    "RUS": "no",
    **dict.fromkeys(("CHN", "IND", "ARE"), "abstain"),
}


def eu_shares() -> dict[str, int]:
    """The 2025 population shares of the Council of the EU, in hundredths of a percent."""
    path = BODIES / "eu-council-2025.csv"
    if not path.exists():
        pytest.skip(f"the bodies data set is not at {path}")
    with path.open(newline="") as handle:
        return {
            row["code"]: int(Decimal(row["share_percent_2025"]) * 100)
            for row in csv.DictReader(handle)
        }


# -- the Security Council -----------------------------------------------------------------------


def test_s_2022_155_fails_on_the_russian_veto() -> None:
    result = tally(SC, S_2022_155, official=True, vetoes=P5)
    assert (result.eligible, result.required, result.yes, result.short_by) == (15, 9, 11, 0)
    assert result.verdict is Verdict.FAILS
    assert result.vetoed_by == ("RUS",)
    assert SC.describe(15) == "security-council: 9 of 15 and no veto"
    # The swing: Russia's abstention is enough, and is one move.
    found = swing(SC, S_2022_155, official=True, vetoes=P5)
    assert (found.needed, found.members, found.pivotal) == (1, ("RUS",), ("RUS",))
    assert found.moves == (("RUS", "no", "abstain"),)
    assert (
        forecast(
            SC, {c: (p, None) for c, p in S_2022_155.items()}, official=True, vetoes=P5
        ).probability
        == 0
    )


def test_s_2022_155_with_russia_abstaining_passes() -> None:
    # A permanent member's abstention is no veto (the Council's practice under Art. 27(3)).
    result = tally(SC, {**S_2022_155, "RUS": "abstain"}, official=True, vetoes=P5)
    assert (result.verdict, result.vetoed_by) == (Verdict.PASSES, ())
    # So is its absence.
    assert tally(SC, {**S_2022_155, "RUS": "absent"}, official=True, vetoes=P5).verdict is (
        Verdict.PASSES
    )


def test_resolution_2623_procedural_same_split_passes() -> None:
    # Resolution 2623, 27 February 2022, a procedural vote (Art. 27(2)) calling the emergency
    # special session: adopted 11-1-3, Russia against; no veto applies. Source: bodies README.
    result = tally(PROCEDURAL, S_2022_155, official=True, vetoes=P5)
    assert (result.verdict, result.vetoed_by, result.required) == (Verdict.PASSES, (), 9)
    assert PROCEDURAL.describe(15) == "security-council-procedural: 9 of 15"


def test_s_2017_172_nine_yes_and_two_vetoes_fails_naming_both() -> None:
    # S/2017/172, 28 February 2017, sanctions over chemical weapons in Syria: 9 yes, 3 no
    # (Bolivia, China, Russian Federation), 3 abstentions (Egypt, Ethiopia, Kazakhstan). Source:
    # UN News, 28 February 2017, "Russia, China block Security Council action on use of chemical
    # weapons in Syria".
    vote = {
        **dict.fromkeys(("FRA", "GBR", "ITA", "JPN", "SEN", "SWE", "UKR", "URY", "USA"), "yes"),
        **dict.fromkeys(("BOL", "CHN", "RUS"), "no"),
        **dict.fromkeys(("EGY", "ETH", "KAZ"), "abstain"),
    }
    result = tally(SC, vote, official=True, vetoes=P5)
    assert (result.yes, result.short_by, result.verdict) == (9, 0, Verdict.FAILS)
    assert result.vetoed_by == ("CHN", "RUS")
    found = swing(SC, vote, official=True, vetoes=P5)
    # Both vetoes must go: two moves, each an abstention (nine yes are already there).
    assert found.needed == 2 and set(found.members) == {"CHN", "RUS"}
    assert set(found.moves) == {("CHN", "no", "abstain"), ("RUS", "no", "abstain")}
    assert found.pivotal == ()  # no single move carries it


def test_a_veto_holder_whose_yes_is_also_needed_moves_to_yes() -> None:
    vote = {**S_2022_155, **dict.fromkeys(("ALB", "BRA", "GAB"), "abstain")}  # 8 yes now
    found = swing(SC, vote, official=True, vetoes=P5)
    assert (found.needed, found.members, found.moves) == (1, ("RUS",), (("RUS", "no", "yes"),))


def test_swing_blocs_under_a_veto() -> None:
    # Only a combination that moves Russia can carry S/2022/155.
    blocs = {"A3": ("GAB", "GHA", "KEN"), "BRICS": ("BRA", "CHN", "IND", "RUS"), "P3": ("CHN",)}
    assert swing_blocs(SC, S_2022_155, blocs, official=True, vetoes=P5) == [("BRICS",)]
    assert swing_blocs(PROCEDURAL, S_2022_155, blocs, official=True, vetoes=P5) == []


@pytest.mark.parametrize(
    ("russia", "verdict", "projected", "projected_veto"),
    [
        ("lean-no", Verdict.OPEN, Verdict.FAILS, ("RUS",)),  # projected as a veto
        ("undecided", Verdict.OPEN, Verdict.PASSES, ()),
        ("unknown", Verdict.OPEN, Verdict.PASSES, ()),
        ("lean-yes", Verdict.OPEN, Verdict.PASSES, ()),  # still in play: it could vote no
        ("no", Verdict.FAILS, Verdict.FAILS, ("RUS",)),
        ("abstain", Verdict.PASSES, Verdict.PASSES, ()),
    ],
)
def test_before_the_vote_a_veto_holder_in_play_keeps_nine_votes_open(
    russia: str, verdict: Verdict, projected: Verdict, projected_veto: tuple[str, ...]
) -> None:
    result = tally(SC, {**S_2022_155, "RUS": russia}, official=False, vetoes=P5)
    assert (result.verdict, result.projected) == (verdict, projected)
    assert result.projected_vetoed_by == projected_veto
    assert result.vetoed_by == (("RUS",) if russia == "no" else ())


@pytest.mark.parametrize(
    ("russia", "chance"),
    [("undecided", Fraction(1, 2)), ("lean-no", Fraction(1, 4)), ("abstain", Fraction(1))],
)
def test_forecast_is_the_chance_that_the_veto_holder_does_not_vote_no(
    russia: str, chance: Fraction
) -> None:
    # An undecided member not won over votes no; a lean-no votes yes a quarter of the time.
    members = {code: (stance, None) for code, stance in {**S_2022_155, "RUS": russia}.items()}
    assert forecast(SC, members, official=False, vetoes=P5).probability == chance
    assert forecast(PROCEDURAL, members, official=False, vetoes=P5).probability == 1


# -- the Council of the EU ----------------------------------------------------------------------

# Seven members against that leave 20 in favour holding exactly 66.10% of the 2025 shares,
# Austria (2.02%) among them: the bodies README's example.
EU_AGAINST = ("BEL", "CYP", "DEU", "ESP", "IRL", "LUX", "SVN")


def test_eu_twenty_members_with_66_1_percent_pass() -> None:
    shares = eu_shares()
    vote = {code: "no" if code in EU_AGAINST else "yes" for code in shares}
    result = tally(QMV, vote, official=True, weights=shares)
    # The shares add up to 100.01% (rounding); 65% of that is 65.0065%, so 65.01% is needed.
    assert (result.yes, result.required, result.weight_total) == (20, 15, 10001)
    assert (result.weight_yes, result.weight_required, result.verdict) == (
        6610,
        6501,
        Verdict.PASSES,
    )


def test_eu_austria_abstaining_instead_fails_on_population() -> None:
    shares = eu_shares()
    vote = {code: "no" if code in EU_AGAINST else "yes" for code in shares}
    vote["AUT"] = "abstain"
    result = tally(QMV, vote, official=True, weights=shares)
    # 19 >= 15 members, but 64.08% of the population.
    assert (result.yes, result.weight_yes, result.verdict) == (19, 6408, Verdict.FAILS)
    assert (result.short_by, result.weight_short_by) == (0, 93)
    found = swing(QMV, vote, official=True, weights=shares)
    assert (found.needed, found.members) == (1, ("AUT",))  # Austria's yes carries it
    assert "AUT" in found.pivotal


def test_eu_swing_blocs_weigh_the_members() -> None:
    shares = eu_shares()
    vote = {code: "no" if code in EU_AGAINST else "yes" for code in shares} | {"AUT": "abstain"}
    blocs = {"BENELUX": ("BEL", "LUX", "NLD"), "NORDIC": ("DNK", "FIN", "SWE"), "V4": ("CZE",)}
    # Belgium and Luxembourg add 2.77%: 66.85%. The Nordic members and Czechia already vote yes.
    assert swing_blocs(QMV, vote, blocs, official=True, weights=shares) == [("BENELUX",)]


def test_eu_deemed_attained_when_fewer_than_four_do_not_vote_yes() -> None:
    shares = eu_shares()
    # Germany, France and Italy against: 24 yes with 53.12% of the population, under 65%, but
    # a blocking minority needs four members (TFEU Art. 238(3)(a)).
    vote = {code: "yes" for code in shares} | dict.fromkeys(("DEU", "FRA", "ITA"), "no")
    result = tally(QMV, vote, official=True, weights=shares)
    assert (result.yes, result.weight_yes, result.verdict) == (24, 5312, Verdict.PASSES)
    # With Spain a fourth, the minority blocks.
    result = tally(QMV, {**vote, "ESP": "no"}, official=True, weights=shares)
    assert (result.yes, result.verdict) == (23, Verdict.FAILS)
    # The reinforced majority has no such clause.
    assert tally(REINFORCED, vote, official=True, weights=shares).verdict is Verdict.FAILS


def test_eu_reinforced_majority_needs_72_percent_of_members() -> None:
    shares = eu_shares()
    vote = {code: "no" if code in EU_AGAINST else "yes" for code in shares}
    result = tally(REINFORCED, vote, official=True, weights=shares)
    assert (result.required, result.verdict) == (20, Verdict.PASSES)  # 100 x 20 >= 72 x 27
    result = tally(REINFORCED, {**vote, "MLT": "abstain"}, official=True, weights=shares)
    assert (result.yes, result.verdict) == (19, Verdict.FAILS)  # 70.4% of the members


def test_eu_describe_with_the_population_in_persons() -> None:
    # Annex III of the Council's Rules of Procedure for 2025: 451,028,881 people; 65% of them,
    # rounded up, is 293,168,773 (bodies README).
    assert QMV.describe(27, total_weight=451_028_881) == (
        "qualified-majority: 15 of 27 members and 65% of the weight: 293,168,773 "
        "(deemed attained if fewer than 4 do not vote yes)"
    )
    assert REINFORCED.describe(27, total_weight=451_028_881) == (
        "reinforced-qualified-majority: 20 of 27 members and 65% of the weight: 293,168,773"
    )
    assert QMV.describe(27) == (
        "qualified-majority: 15 of 27 members and 65% of the weight "
        "(deemed attained if fewer than 4 do not vote yes)"
    )


def persons() -> dict[str, int]:
    """Populations in persons, from the 2025 shares and the Annex III total: distinct weights
    of the size the Council uses (tens of millions), for timing."""
    return {code: share * 451_028_881 // 10_000 for code, share in eu_shares().items()}


def test_eu_forecast_and_swing_are_fast_with_every_member_uncertain() -> None:
    weights = persons()
    stances = ("undecided", "lean-yes", "lean-no", "unknown", "yes", "abstain")
    # Three-decimal confidences, the worst an analyst types by hand.
    members = {
        code: (stances[i % len(stances)], None if i % 2 else (i * 37 % 1000) / 1000 or 0.5)
        for i, code in enumerate(sorted(weights))
    }
    for rule in (QMV, REINFORCED, parse_rule_spec("voting>=2/3 weight>=60%")):
        start = time.perf_counter()
        result = forecast(rule, members, official=False, weights=weights)
        found = swing(
            rule, {c: p for c, (p, _) in members.items()}, official=False, weights=weights
        )
        elapsed = time.perf_counter() - start
        assert 0 < result.probability < 1
        assert found.possible
        assert elapsed < 0.5, f"{rule.spec}: {elapsed:.3f} s"


# -- the IMF, in the general form ---------------------------------------------------------------

IMF = "members>=3/5 weight>=85%"


def imf_body() -> dict[str, int]:
    """190 members with voting power in hundredths of a percent: the six largest about as the
    IMF publishes them (United States 16.49%), the other 184 sharing the rest evenly."""
    big = {"USA": 1649, "JPN": 614, "CHN": 608, "DEU": 531, "FRA": 403, "GBR": 403}
    others = {f"M{i:03d}": 31 + (i < 88) for i in range(184)}
    body = big | others
    assert sum(body.values()) == 10_000
    return body


def test_imf_amendment_needs_three_fifths_holding_85_percent() -> None:
    # Articles of Agreement, Art. XXVIII(a): three fifths of the members having 85% of the
    # total voting power. Typed by a user, without code.
    rule = parse_rule_spec(IMF)
    assert rule.spec == IMF and parse_rule_spec(rule.spec) == rule
    weights = imf_body()
    assert rule.describe(190, total_weight=10_000) == (
        "members>=3/5 weight>=85%: 114 of 190 members and 85% of the weight: 8,500"
    )
    everyone = dict.fromkeys(weights, "yes")
    # The United States alone blocks: 189 members, but 83.51% of the votes.
    result = tally(rule, {**everyone, "USA": "no"}, official=True, weights=weights)
    assert (result.yes, result.weight_yes, result.verdict) == (189, 8351, Verdict.FAILS)
    # Japan and China against: 188 members with 87.78%.
    result = tally(rule, everyone | {"JPN": "no", "CHN": "no"}, official=True, weights=weights)
    assert (result.weight_yes, result.verdict) == (8778, Verdict.PASSES)
    # The six largest and 107 others: 113 members, short of three fifths (and of the weight).
    short = {code: "yes" if code in list(weights)[:113] else "abstain" for code in weights}
    assert tally(rule, short, official=True, weights=weights).verdict is Verdict.FAILS


def test_imf_members_condition_holds_even_with_the_weight() -> None:
    rule = parse_rule_spec(IMF)
    weights = {"A": 90, "B": 3, "C": 3, "D": 2, "E": 2}
    vote = {"A": "yes", "B": "yes", "C": "no", "D": "no", "E": "no"}
    assert tally(rule, vote, official=True, weights=weights).verdict is Verdict.FAILS  # 2 of 5
    vote["C"] = "yes"
    assert tally(rule, vote, official=True, weights=weights).verdict is Verdict.PASSES  # 3 of 5
