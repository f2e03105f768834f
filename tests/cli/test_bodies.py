"""The bodies analysts follow, from the command line: the Security Council's veto and the
Council of the EU's qualified majority, on real votes, through `tally`, `forecast` and `swing`.

The seed (`oastrack init`) holds the Security Council of 2025 (the five permanent members with
their veto) and the Council of the EU of 2025 (27 members weighted by their population shares,
in hundredths of a percent). Older votes add the elected members of their year.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]

# The elected members of the Security Council in 2022 (UN press release GA/12384 and GA/12271).
ELECTED_2022 = {
    "ALB": "Albania",
    "BRA": "Brazil",
    "GAB": "Gabon",
    "GHA": "Ghana",
    "IND": "India",
    "IRL": "Ireland",
    "KEN": "Kenya",
    "MEX": "Mexico",
    "NOR": "Norway",
    "ARE": "United Arab Emirates",
}


def ok(cli: Cli, *args: str) -> Run:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def tally(cli: Cli, db: str, code: str, *extra: str) -> dict[str, Any]:
    return json.loads(ok(cli, "--db", db, "tally", code, "--format", "json", *extra).stdout)  # type: ignore[no-any-return]


@pytest.fixture
def council_2022(cli: Cli, seeded_db: str) -> str:
    """The Security Council of February 2022, with the votes of 25 and 27 February."""
    db = seeded_db
    for code, name in ELECTED_2022.items():
        ok(
            cli,
            "--db",
            db,
            "member",
            "add",
            code,
            "--name",
            name,
            "--org",
            "UNSC",
            "--start",
            "2022-01-01",
            "--end",
            "2022-12-31",
        )
    ok(
        cli,
        "--db",
        db,
        "meeting",
        "add",
        "UNSC-8979",
        "--org",
        "UNSC",
        "--start",
        "2022-02-25",
        "--title",
        "8979th meeting: letter of Ukraine (S/2014/136)",
    )
    ok(
        cli,
        "--db",
        db,
        "meeting",
        "add",
        "UNSC-8980",
        "--org",
        "UNSC",
        "--start",
        "2022-02-27",
        "--title",
        "8980th meeting",
    )
    # S/2022/155, 25 February 2022: 11 in favour, Russia against, China, India and the UAE
    # abstaining; not adopted owing to the negative vote of a permanent member (UN press
    # release SC/14808). Resolution 2623 (2022), 27 February, procedural: adopted 11-1-3
    # (SC/14809).
    ok(
        cli,
        "--db",
        db,
        "resolution",
        "add",
        "S-2022-155",
        "--meeting",
        "UNSC-8979",
        "--title",
        "Draft resolution on Ukraine",
    )
    ok(
        cli,
        "--db",
        db,
        "resolution",
        "add",
        "S-RES-2623",
        "--meeting",
        "UNSC-8980",
        "--title",
        "Emergency special session of the General Assembly",
        "--rule",
        "security-council-procedural",
    )
    yes = ["USA", "GBR", "FRA", "ALB", "BRA", "GAB", "GHA", "IRL", "KEN", "MEX", "NOR"]
    for res in ("S-2022-155", "S-RES-2623"):
        ok(cli, "--db", db, "vote", res, "yes", *yes, "--official", "--at", "2022-02-27T20:00")
        ok(cli, "--db", db, "vote", res, "no", "RUS", "--official", "--at", "2022-02-27T20:00")
        ok(
            cli,
            "--db",
            db,
            "vote",
            res,
            "abstain",
            "CHN",
            "IND",
            "ARE",
            "--official",
            "--at",
            "2022-02-27T20:00",
        )
    return db


def test_a_vetoed_security_council_draft_fails(cli: Cli, council_2022: str) -> None:
    found = tally(cli, council_2022, "S-2022-155")
    assert (found["rule"], found["eligible"], found["required"]) == ("security-council", 15, 9)
    assert found["counts"]["yes"] == 11 and found["counts"]["no"] == 1
    assert (found["verdict"], found["vetoed_by"]) == ("fails", ["RUS"])
    table = ok(cli, "--db", council_2022, "tally", "S-2022-155").stdout
    assert "security-council: 9 of 15 and no veto" in table
    assert "vetoed by RUS" in table
    chart = ok(cli, "--db", council_2022, "chart", "S-2022-155").stdout.splitlines()
    assert chart[2] == (
        "rule security-council: 9 of 15 and no veto · required 9 · yes 11 · FAILS · vetoed by RUS"
    )


def test_with_russia_abstaining_it_would_have_passed(cli: Cli, council_2022: str) -> None:
    found = tally(cli, council_2022, "S-2022-155", "--assume", "RUS=abstain")
    assert (found["verdict"], found["vetoed_by"]) == ("passes", [])


def test_the_procedural_vote_with_the_same_split_passes(cli: Cli, council_2022: str) -> None:
    found = tally(cli, council_2022, "S-RES-2623")
    assert found["rule"] == "security-council-procedural"
    assert found["verdict"] == "passes"
    assert "vetoed_by" not in found


def test_nine_votes_and_two_vetoes(cli: Cli, council_2022: str) -> None:
    # As S/2017/172 on Syria (28 February 2017): 9 in favour, China and Russia against.
    db = council_2022
    ok(
        cli,
        "--db",
        db,
        "resolution",
        "add",
        "S-TWO-VETOES",
        "--meeting",
        "UNSC-8979",
        "--title",
        "Two vetoes",
    )
    yes = ["USA", "GBR", "FRA", "ALB", "BRA", "GAB", "GHA", "IRL", "NOR"]
    ok(cli, "--db", db, "vote", "S-TWO-VETOES", "yes", *yes, "--official")
    ok(cli, "--db", db, "vote", "S-TWO-VETOES", "no", "CHN", "RUS", "--official")
    found = tally(cli, db, "S-TWO-VETOES")
    assert (found["verdict"], found["vetoed_by"]) == ("fails", ["CHN", "RUS"])


def test_a_veto_holder_still_in_play_keeps_the_count_open(cli: Cli, council_2022: str) -> None:
    db = council_2022
    ok(cli, "--db", db, "resolution", "add", "S-DRAFT", "--meeting", "UNSC-8979", "--title", "d")
    yes = ["USA", "GBR", "FRA", "ALB", "BRA", "GAB", "GHA", "IRL", "KEN", "MEX"]
    ok(cli, "--db", db, "vote", "S-DRAFT", "yes", *yes)
    ok(cli, "--db", db, "vote", "S-DRAFT", "lean-no", "RUS")
    assert tally(cli, db, "S-DRAFT")["verdict"] == "open"
    ok(cli, "--db", db, "vote", "S-DRAFT", "no", "RUS")
    assert tally(cli, db, "S-DRAFT")["verdict"] == "fails"
    moved = json.loads(ok(cli, "--db", db, "swing", "S-DRAFT", "--format", "json").stdout)
    assert (moved["needed"], moved["members"]) == (1, ["RUS"])


# -- the Council of the EU --------------------------------------------------------------------

# Seven members against leave 20 in favour holding 66.10% of the 2025 shares; with Austria
# (2.02%) abstaining instead, 19 in favour hold 64.08% (../shared/data/bodies/README.md).
AGAINST = ["BEL", "CYP", "DEU", "ESP", "IRL", "LUX", "SVN"]


@pytest.fixture
def eu_council(cli: Cli, seeded_db: str) -> str:
    db = seeded_db
    ok(cli, "--db", db, "meeting", "add", "ENVI-2025", "--org", "EUCO", "--start", "2025-06-17")
    ok(
        cli,
        "--db",
        db,
        "resolution",
        "add",
        "NRL",
        "--meeting",
        "ENVI-2025",
        "--title",
        "Nature restoration regulation",
    )
    members = json.loads(
        ok(
            cli,
            "--db",
            db,
            "member",
            "list",
            "--org",
            "EUCO",
            "--at",
            "2025-06-17",
            "--format",
            "json",
        ).stdout
    )
    in_favour = [m["code"] for m in members if m["code"] not in AGAINST]
    assert len(in_favour) == 20
    ok(cli, "--db", db, "vote", "NRL", "yes", *in_favour, "--official")
    ok(cli, "--db", db, "vote", "NRL", "no", *AGAINST, "--official")
    return db


def test_twenty_members_with_66_1_percent_pass(cli: Cli, eu_council: str) -> None:
    found = tally(cli, eu_council, "NRL")
    assert (found["rule"], found["eligible"], found["required"]) == ("qualified-majority", 27, 15)
    assert found["weight"] == {"yes": 6610, "total": 10001, "required": 6501}
    assert found["verdict"] == "passes"
    chart = ok(cli, "--db", eu_council, "chart", "NRL").stdout.splitlines()
    assert chart[2].endswith("· yes 20 · PASSES · weight 66.09% of 65.00% needed")


def test_one_member_of_2_percent_abstaining_makes_it_fail(cli: Cli, eu_council: str) -> None:
    found = tally(cli, eu_council, "NRL", "--assume", "AUT=abstain")
    assert found["counts"]["yes"] == 19 and found["weight"]["yes"] == 6408
    assert found["verdict"] == "fails"
    swing = json.loads(ok(cli, "--db", eu_council, "swing", "NRL", "--format", "json").stdout)
    assert swing["carried"] is True


def test_forecast_and_swing_under_the_weighted_rule(cli: Cli, eu_council: str) -> None:
    db = eu_council
    ok(cli, "--db", db, "resolution", "add", "CSDDD", "--meeting", "ENVI-2025", "--title", "d")
    ok(cli, "--db", db, "vote", "CSDDD", "lean-yes", "FRA", "ITA", "ESP", "POL", "NLD")
    forecast = json.loads(ok(cli, "--db", db, "forecast", "CSDDD", "--format", "json").stdout)
    assert 0 < forecast["probability"] < 1
    swing = json.loads(ok(cli, "--db", db, "swing", "CSDDD", "--format", "json").stdout)
    assert swing["needed"] == 10  # 15 members are needed; the five leaning yes count as yes


# -- a body set up from the command line, without code ------------------------------------


def test_the_imf_rule_in_the_general_form(cli: Cli, seeded_db: str, tmp_path: Any) -> None:
    # IMF Articles of Agreement, Art. XXVIII: an amendment needs three fifths of the members
    # holding 85% of the total voting power. Five members, voting power 40/25/15/12/8.
    db = seeded_db
    members = tmp_path / "imf.csv"
    members.write_text(
        "code,name,org,weight,veto,note\n"
        "XA,A,IMF,40,,\nXB,B,IMF,25,no,\nXC,C,IMF,15,0,\nXD,D,IMF,12,false,\nXE,E,IMF,8,,\n"
    )
    ok(cli, "--db", db, "import", "members", str(members))
    ok(cli, "--db", db, "meeting", "add", "IMF-BOG", "--org", "IMF", "--start", "2025-10-01")
    run = ok(
        cli,
        "--db",
        db,
        "resolution",
        "add",
        "AMEND",
        "--meeting",
        "IMF-BOG",
        "--title",
        "Amendment",
        "--rule",
        "weight>=85% members>=3/5",
    )
    assert "members>=3/5 weight>=85%" in run.stderr
    ok(cli, "--db", db, "vote", "AMEND", "yes", "XA", "XB", "XC", "--official")
    found = tally(cli, db, "AMEND")
    assert (found["rule"], found["verdict"]) == ("members>=3/5 weight>=85%", "fails")
    assert found["weight"] == {"yes": 80, "total": 100, "required": 85}
    ok(cli, "--db", db, "vote", "AMEND", "yes", "XD", "--official")
    assert tally(cli, db, "AMEND")["verdict"] == "passes"  # 4 of 5 members, 92%


def test_a_veto_that_is_not_true_or_false_is_refused_at_its_line(
    cli: Cli, seeded_db: str, tmp_path: Any
) -> None:
    path = tmp_path / "members.csv"
    path.write_text("code,name,org,veto\nXA,A,BODY,yes\nXB,B,BODY,perhaps\n")
    run = cli("--db", seeded_db, "import", "members", str(path))
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"{path}:3: veto 'perhaps' is not true or false (write true, false, yes, no, 1 or 0)"
    )
    assert json.loads(
        ok(cli, "--db", seeded_db, "member", "list", "--org", "OAS", "-f", "json").stdout
    )
    assert cli("--db", seeded_db, "member", "show", "XA").exit_code == 1  # nothing imported


def test_an_unknown_column_is_reported(cli: Cli, seeded_db: str, tmp_path: Any) -> None:
    path = tmp_path / "members.csv"
    path.write_text("code,name,org,colour\nXA,A,BODY,red\n")
    run = ok(cli, "--db", seeded_db, "import", "members", str(path))
    assert run.stderr.splitlines()[0] == (
        "Ignored columns (no field of members; map one with --map FIELD=COLUMN): colour."
    )
