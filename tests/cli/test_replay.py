"""`forecast --as-of` and `swing --as-of`: the analyst's questions asked of the past, as `tally
--as-of` asks them. The seed's official votes on the compromise text are dated 2017-06-19T00:00;
the day before, three projections had been logged."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from fractions import Fraction
from math import comb
from typing import Any

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]
COMPROMISE = "MOC29-COMPROMISE"
EVE = "2017-06-18T18:00"


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def as_json(run: Run) -> dict[str, Any]:
    found = json.loads(ok(run).stdout)
    assert isinstance(found, dict)
    return found


@pytest.fixture
def eve(cli: Cli, seeded_db: str) -> str:
    """The seed, with yes projected for ATG, DOM and ECU at noon the day before the vote."""
    logged = ok(
        cli(
            "--db",
            seeded_db,
            "vote",
            COMPROMISE,
            "yes",
            "ATG",
            "DOM",
            "ECU",
            "--at",
            "2017-06-18T12:00",
        )
    )
    assert "for 3 members: ATG DOM ECU" in logged.stderr
    return seeded_db


def test_forecast_as_of_the_eve_of_the_vote(cli: Cli, eve: str) -> None:
    then = as_json(cli("--db", eve, "forecast", COMPROMISE, "--as-of", EVE, "--format", "json"))
    # 3 firm yes, 31 unknown at one half each: it passes when 20 or more of the 31 say yes.
    chance = Fraction(sum(comb(31, k) for k in range(20, 32)), 2**31)
    assert then["probability_exact"] == str(chance) == "1255043/16777216"
    assert (then["as_of"], then["official"]) == ("2017-06-18T18:00:00Z", False)
    assert (then["expected_yes"], then["expected_no"], then["required"]) == (18.5, 15.5, 23)
    chances = {m["code"]: (m["position"], m["yes_chance"]) for m in then["members"]}
    assert chances["ATG"] == ("yes", 1.0) and chances["ARG"] == ("unknown", 0.5)

    now = as_json(cli("--db", eve, "forecast", COMPROMISE, "--format", "json"))
    assert (now["probability_exact"], now["official"], now["as_of"]) == ("0", True, None)

    table = ok(cli("--db", eve, "forecast", COMPROMISE, "--as-of", EVE)).stdout.splitlines()
    assert table[:4] == [
        "MOC29-COMPROMISE — Chair's compromise text on the situation in Venezuela",
        "rule two-thirds: 23 of 34 · 34 eligible · as of 2017-06-18T18:00:00Z · projections",
        "Chance of passing 7.48%",
        "Expected yes 18.5 of 23 required · expected no 15.5",
    ]


def test_forecast_as_of_before_any_record(cli: Cli, eve: str) -> None:
    found = as_json(cli("--db", eve, "forecast", COMPROMISE, "--as-of", "2017-06-01", "-f", "json"))
    assert {m["position"] for m in found["members"]} == {"unknown"}
    assert found["expected_yes"] == 17.0


def test_swing_as_of_the_eve_of_the_vote(cli: Cli, eve: str) -> None:
    then = as_json(cli("--db", eve, "swing", COMPROMISE, "--as-of", EVE, "--format", "json"))
    assert (then["as_of"], then["official"], then["needed"]) == ("2017-06-18T18:00:00Z", False, 20)
    # all 31 others unknown: the first 20 by code
    assert then["members"][:3] == ["ARG", "BHS", "BLZ"] and len(then["members"]) == 20
    assert not {"ATG", "DOM", "ECU"} & set(then["members"])

    now = as_json(cli("--db", eve, "swing", COMPROMISE, "--format", "json"))
    assert (now["as_of"], now["official"], now["needed"]) == (None, True, 3)

    table = ok(cli("--db", eve, "swing", COMPROMISE, "--as-of", EVE)).stdout.splitlines()
    assert table[:3] == [
        "MOC29-COMPROMISE — Chair's compromise text on the situation in Venezuela",
        "rule two-thirds: 23 of 34 · 3 yes with leans · as of 2017-06-18T18:00:00Z · projections",
        "Needs 20 more members to move to yes:",
    ]


@pytest.mark.parametrize("command", ["forecast", "swing", "tally"])
def test_as_of_that_is_not_a_time(cli: Cli, seeded_db: str, command: str) -> None:
    run = cli("--db", seeded_db, command, COMPROMISE, "--as-of", "yesterday")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "Error: 'yesterday' is not a time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
    )
    assert run.stdout == ""


def test_the_three_say_as_of_in_the_same_words(cli: Cli) -> None:
    helps = [ok(cli(command, "--help")).stdout for command in ("tally", "forecast", "swing")]
    for text in helps:
        assert "Replay history: the tally as it stood then." in text


README_DAY = [
    "resolution add GA47-VEN --meeting GA-47 --sponsor SPONSORS2017"
    ' --title "Draft resolution on the situation in Venezuela"',
    "vote GA47-VEN yes SPONSORS2017 ARG BRA CHL COL CRI GTM HND PRY --at 2017-06-19T09:00"
    ' --source "sponsors\' count"',
    'vote GA47-VEN no ALBA --at 2017-06-19T09:05 --source "ALBA statement"',
    "vote GA47-VEN lean-yes JAM BHS BRB LCA --confidence 0.7 --at 2017-06-19T10:00",
    "vote GA47-VEN undecided HTI TTO SUR GUY BLZ DOM SLV --at 2017-06-19T10:00",
]


def test_the_readme_examples(cli: Cli, seeded_db: str) -> None:
    """The README's count before the vote, then its --as-of and member positions examples."""
    for command in README_DAY:
        ok(cli("--db", seeded_db, "--analyst", "ana", *shlex.split(command)))
    forecast = ok(cli("--db", seeded_db, "forecast", "GA47-VEN", "--as-of", "2017-06-19T09:30"))
    assert forecast.stdout.splitlines()[:4] == [
        "GA47-VEN — Draft resolution on the situation in Venezuela",
        "rule absolute: 18 of 34 · 34 eligible · as of 2017-06-19T09:30:00Z · projections",
        "Chance of passing 72.56%",
        "Expected yes 18.5 of 18 required · expected no 15.5",
    ]
    later = as_json(cli("--db", seeded_db, "forecast", "GA47-VEN", "--format", "json"))
    assert round(later["probability"] * 100, 2) == 91.37
    table = ok(cli("--db", seeded_db, "member", "positions", "LCA")).stdout
    assert table.splitlines() == [
        "Positions of LCA",
        "Resolution        Meeting  Position  Kind        Conf.  Time (UTC)            Analyst",
        "─" * 91,
        "GA47-VEN          GA-47    lean-yes  projection    0.7  2017-06-19T10:00:00Z  ana",
        "MOC29-COMPROMISE  MOC-29   yes       official           2017-06-19T00:00:00Z"
        "  oastrack seed",
    ]
