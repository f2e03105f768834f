"""The swing: the fewest members to win over, checked by hand and against brute force."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oastrack.core.positions import LIKELIEST_TO_YES, UNKNOWN, Position
from oastrack.core.rules import Rule, RuleName
from oastrack.core.swing import Swing, swing, swing_blocs
from oastrack.core.tally import Verdict, tally

STANCES = [*(p.value for p in Position), UNKNOWN]

# The compromise text on Venezuela, Cancún, 2017-06-19: 20 yes, 5 no, 8 abstain, VEN absent.
YES_2017 = (
    *("ARG", "BHS", "BLZ", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "GTM"),
    *("GUY", "HND", "JAM", "LCA", "MEX", "PAN", "PER", "PRY", "URY", "USA"),
)
NO_2017 = ("BOL", "DMA", "KNA", "NIC", "VCT")
ABSTAIN_2017 = ("ATG", "DOM", "ECU", "GRD", "HTI", "SLV", "SUR", "TTO")
VOTE_2017 = {
    **dict.fromkeys(YES_2017, "yes"),
    **dict.fromkeys(NO_2017, "no"),
    **dict.fromkeys(ABSTAIN_2017, "abstain"),
    "VEN": "absent",
}
BLOCS_2017 = {
    "CARICOM": (
        *("ATG", "BHS", "BLZ", "BRB", "DMA", "GRD", "GUY", "HTI", "JAM", "KNA", "LCA"),
        *("SUR", "TTO", "VCT"),
    ),
    "ALBA": ("ATG", "BOL", "DMA", "ECU", "GRD", "KNA", "LCA", "NIC", "VCT", "VEN"),
    "SICA": ("BLZ", "CRI", "DOM", "GTM", "HND", "NIC", "PAN", "SLV"),
}
TWO_THIRDS = Rule(RuleName.TWO_THIRDS)


def carries(rule: Rule, members: dict[str, str], *, official: bool) -> bool:
    """Whether the text passes as counted, by the tally (independent of the swing code)."""
    result = tally(rule, members, official=official)
    return result.projected is Verdict.PASSES


def moved(members: dict[str, str], codes: tuple[str, ...] | list[str]) -> dict[str, str]:
    return {**members, **dict.fromkeys(codes, "yes")}


def test_acceptance_2017_two_thirds_official() -> None:
    result = swing(TWO_THIRDS, VOTE_2017, official=True)
    assert result == Swing(
        carried=False, possible=True, needed=3, members=("ATG", "DOM", "ECU"), pivotal=()
    )


def test_2017_one_short_has_pivotal_abstainers() -> None:
    members = moved(VOTE_2017, ["ATG", "DOM"])
    result = swing(TWO_THIRDS, members, official=True)
    assert result.needed == 1
    assert result.members == ("ECU",)
    # Any abstainer, the absent member or any no carries it alone: abstainers first.
    assert result.pivotal == ("ECU", "GRD", "HTI", "SLV", "SUR", "TTO", "VEN", *NO_2017)


def test_carried_with_no_margin_every_yes_is_pivotal() -> None:
    members = moved(VOTE_2017, ["ATG", "DOM", "ECU"])
    members["ARG"] = "lean-yes"
    result = swing(TWO_THIRDS, members, official=False)
    assert result.carried and result.possible
    assert result.needed == 0
    assert result.members == ()
    # The softest supporter first, then the firm yes votes by code.
    assert result.pivotal[0] == "ARG"
    assert result.pivotal[1:] == tuple(sorted([*YES_2017[1:], "ATG", "DOM", "ECU"]))


def test_carried_with_a_margin_has_no_pivotal_member() -> None:
    members = moved(VOTE_2017, ["ATG", "DOM", "ECU", "GRD"])
    assert swing(TWO_THIRDS, members, official=True).pivotal == ()


def test_projection_counts_leans() -> None:
    members = {"A": "lean-yes", "B": "lean-yes", "C": "undecided", "D": "lean-no", "E": "no"}
    # absolute over 5 needs 3: the two lean-yes count, the undecided is the likeliest third.
    result = swing(Rule(RuleName.ABSOLUTE), members, official=False)
    assert (result.needed, result.members, result.pivotal) == (1, ("C",), ("C", "D", "E"))
    # Officially a lean is no vote at all: three are needed, lean-yes first.
    result = swing(Rule(RuleName.ABSOLUTE), members, official=True)
    assert (result.needed, result.members) == (3, ("A", "B", "C"))


def test_simple_prefers_a_no_when_it_saves_a_member() -> None:
    members = {"Y1": "yes", "Y2": "yes", "N1": "no", "N2": "no", "N3": "no", "A1": "abstain"}
    members |= {"A2": "abstain"}
    # 2 yes, 3 no: two abstainers give 4 > 3, but one no gives 3 > 2.
    result = swing(Rule(RuleName.SIMPLE), members, official=True)
    assert (result.needed, result.members) == (1, ("N1",))
    assert result.pivotal == ("N1", "N2", "N3")


def test_two_thirds_voting_mixes_groups() -> None:
    members = {f"Y{i}": "yes" for i in range(4)} | {f"N{i}": "no" for i in range(4)}
    members |= {"U1": "undecided", "U2": "undecided"}
    # yes >= 2 no: one no moving gives 5 yes, 3 no (short); a no and an undecided 6 yes, 3 no.
    result = swing(Rule(RuleName.TWO_THIRDS_VOTING), members, official=True)
    assert (result.needed, result.members) == (2, ("U1", "N0"))


def test_consensus_needs_every_no() -> None:
    members = {"A": "abstain", "B": "no", "C": "lean-no", "D": "absent"}
    result = swing(Rule(RuleName.CONSENSUS), members, official=False)
    assert (result.needed, result.members, result.pivotal) == (2, ("C", "B"), ())
    result = swing(Rule(RuleName.CONSENSUS), {"A": "abstain", "B": "absent"}, official=True)
    assert (result.needed, result.members, result.pivotal) == (1, ("A",), ("A", "B"))


def test_impossible() -> None:
    result = swing(Rule(RuleName.FIXED, required=5), {"A": "no", "B": "yes"}, official=True)
    assert result == Swing(carried=False, possible=False, needed=None, members=(), pivotal=())
    assert swing(TWO_THIRDS, {}, official=True).carried  # 0 of 0 needed
    result = swing(Rule(RuleName.SIMPLE), {}, official=True)
    assert not result.possible


def test_bad_stance_is_refused() -> None:
    with pytest.raises(ValueError, match="not a position"):
        swing(TWO_THIRDS, {"ARG": "maybe"}, official=True)


def test_swing_blocs_2017() -> None:
    result = swing_blocs(TWO_THIRDS, VOTE_2017, BLOCS_2017, official=True)
    # SICA moves 3 (DOM, NIC, SLV), CARICOM 8, ALBA 9; each alone is enough.
    assert result == [("SICA",), ("CARICOM",), ("ALBA",)]


def test_swing_blocs_lists_only_minimal_combinations() -> None:
    members = {"A": "no", "B": "no", "C": "no", "D": "abstain"}
    blocs = {"X": ["A"], "Y": ["B", "ZZZ"], "Z": ["C"], "W": ["A", "B", "C"], "V": ["D"]}
    result = swing_blocs(Rule(RuleName.ABSOLUTE), members, blocs, official=True)
    # Three yes are needed of four; unknown codes (ZZZ) are ignored.
    assert result[0] == ("W",)
    assert result[1:] == [
        ("V", "X", "Y"),
        ("V", "X", "Z"),
        ("V", "Y", "Z"),
        ("X", "Y", "Z"),
    ]
    assert swing_blocs(Rule(RuleName.ABSOLUTE), {"A": "yes"}, blocs, official=True) == []


def test_swing_blocs_at_most_ten() -> None:
    members = {f"M{i:02d}": "no" for i in range(12)}
    blocs = {f"B{i:02d}": [f"M{i:02d}"] for i in range(12)}
    result = swing_blocs(Rule(RuleName.FIXED, required=1), members, blocs, official=True)
    assert result == [(f"B{i:02d}",) for i in range(10)]


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    name = draw(st.sampled_from(list(RuleName)))
    required = draw(st.integers(1, 10)) if name is RuleName.FIXED else None
    denominator = draw(st.one_of(st.none(), st.integers(1, 12)))
    return Rule(name, required=required, denominator=denominator)


def likeliest_key(members: dict[str, str], codes: tuple[str, ...]) -> list[tuple[int, str]]:
    return sorted((LIKELIEST_TO_YES.index(members[code]), code) for code in codes)


@settings(deadline=None, max_examples=300)
@given(rule=rules(), stances=st.lists(st.sampled_from(STANCES), max_size=9), official=st.booleans())
def test_matches_brute_force(rule: Rule, stances: list[str], official: bool) -> None:
    members = {f"M{i}": stance for i, stance in enumerate(stances)}
    result = swing(rule, members, official=official)
    assert result.carried == carries(rule, members, official=official)
    yes_side = ("yes",) if official else ("yes", "lean-yes")
    movable = tuple(code for code, stance in members.items() if stance not in yes_side)
    smallest: list[tuple[str, ...]] = []
    for size in range(len(movable) + 1):
        smallest = [
            subset
            for subset in combinations(movable, size)
            if carries(rule, moved(members, subset), official=official)
        ]
        if smallest:
            break
    if result.carried:
        assert (result.needed, result.members) == (0, ())
        # Pivotal: exactly the counted yes members whose move to no sinks the text.
        expected = {
            code
            for code, stance in members.items()
            if stance in yes_side and not carries(rule, {**members, code: "no"}, official=official)
        }
        assert set(result.pivotal) == expected
        return
    if not smallest:
        assert (result.possible, result.needed, result.members) == (False, None, ())
        return
    assert result.possible
    assert result.needed == len(smallest[0])
    assert carries(rule, moved(members, result.members), official=official)
    # The likeliest of all the smallest sets, listed likeliest first.
    best = min(likeliest_key(members, subset) for subset in smallest)
    assert likeliest_key(members, result.members) == best
    assert list(result.members) == [code for _, code in best]
    expected = {
        code for code in movable if carries(rule, moved(members, [code]), official=official)
    }
    assert set(result.pivotal) == expected
    assert list(result.pivotal) == [code for _, code in likeliest_key(members, result.pivotal)]
