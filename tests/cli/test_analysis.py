"""The analyst's commands: forecast, swing, compare, bloc cohesion, align, chart, amend and diff,
and the completion of codes; on the seed (values computed by hand) and on a UNGA sample (values
computed from the data file by `oastrack.core`, independently of the SQL)."""

from __future__ import annotations

import csv
import gzip
import json
import re
import shlex
import shutil
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oastrack.cli.app import app
from oastrack.core.alignment import agreement, cohesion
from oastrack.core.rules import RuleName
from oastrack.core.values import stored_time
from oastrack.store import blocs as bloc_store
from oastrack.store import meetings as meeting_store
from oastrack.store import members as member_store
from oastrack.store import resolutions as resolution_store
from oastrack.store.db import Database, parse_target
from oastrack.store.positions import PositionWriter, fingerprint
from tests.conftest import BACKENDS, Run, _pg_execute, _pg_url_for, need_unga

Cli = Callable[..., Run]
SVG = "{http://www.w3.org/2000/svg}"
COMPROMISE = "MOC29-COMPROMISE"


def oastrack(cli: Cli, db: str, command: str, *args: str, input: str | None = None) -> Run:
    """`oastrack --db DB COMMAND ARGS…`, COMMAND split as a shell would."""
    return cli("--db", db, *shlex.split(command), *args, input=input)


def succeed(cli: Cli, db: str, command: str, *args: str, input: str | None = None) -> Run:
    """`oastrack` as above, which must succeed."""
    return ok(oastrack(cli, db, command, *args, input=input))


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def as_json(run: Run) -> object:
    return json.loads(ok(run).stdout)


def compromise_votes(cli: Cli, db: str) -> dict[str, str]:
    tally = as_json(cli("--db", db, "tally", COMPROMISE, "--format", "json"))
    assert isinstance(tally, dict)
    return {m["code"]: m["position"] for m in tally["members"]}


def oas_members(cli: Cli, db: str) -> list[str]:
    return sorted(compromise_votes(cli, db))  # the 34 eligible on 2017-06-19


# -- forecast ---------------------------------------------------------------------------------


def test_forecast_is_exact(cli: Cli, seeded_db: str) -> None:
    succeed(
        cli,
        seeded_db,
        'resolution add GA47-TEST --meeting GA-47 --title "A test [draft]" --rule absolute',
    )
    members = oas_members(cli, seeded_db)
    yes, undecided, no = members[:16], members[16:20], members[20:]
    assert len(no) == 14
    for position, group in (("yes", yes), ("undecided", undecided), ("no", no)):
        ok(cli("--db", seeded_db, "vote", "GA47-TEST", position, *group))
    found = as_json(cli("--db", seeded_db, "forecast", "GA47-TEST", "--format", "json"))
    assert isinstance(found, dict)
    # 16 sure yes, 18 needed of 34: at least 2 of the 4 coin tosses, 1 - (1 + 4) / 16.
    assert found["probability_exact"] == "11/16"
    assert found["probability"] == 0.6875
    assert found["expected_yes"] == 18.0
    assert found["expected_no"] == 16.0  # an undecided member not won over counts as no
    assert (found["rule"], found["required"], found["official"]) == ("absolute", 18, False)
    chances = {m["code"]: m["yes_chance"] for m in found["members"]}
    assert len(chances) == 34
    assert {chances[c] for c in undecided} == {0.5}
    assert {chances[c] for c in yes} == {1.0} and {chances[c] for c in no} == {0.0}

    table = ok(cli("--db", seeded_db, "forecast", "GA47-TEST")).stdout
    assert "68.75% (11/16)" in table
    assert "A test [draft]" in table  # user text printed as typed, not read as markup
    assert all(code in table for code in undecided)  # the members in doubt


def test_forecast_uses_the_latest_confidence(cli: Cli, seeded_db: str) -> None:
    succeed(
        cli,
        seeded_db,
        "resolution add GA47-CONF --meeting GA-47 --title Confidence --rule fixed --required 1",
    )
    ok(cli("--db", seeded_db, "vote", "GA47-CONF", "no", *oas_members(cli, seeded_db)))
    succeed(cli, seeded_db, "vote GA47-CONF lean-yes USA --confidence 0.4 --at 2017-06-01")
    ok(cli("--db", seeded_db, "vote", "GA47-CONF", "lean-yes", "USA", "--confidence", "0.8"))
    found = as_json(cli("--db", seeded_db, "forecast", "GA47-CONF", "--format", "json"))
    assert isinstance(found, dict)
    assert found["probability_exact"] == "4/5"


def test_an_official_vote_decides_the_forecast(cli: Cli, seeded_db: str) -> None:
    found = as_json(cli("--db", seeded_db, "forecast", COMPROMISE, "--format", "json"))
    assert isinstance(found, dict)
    assert (found["probability"], found["probability_exact"]) == (0.0, "0")
    assert (found["expected_yes"], found["required"], found["official"]) == (20.0, 23, True)


def test_forecast_of_an_unknown_resolution(cli: Cli, seeded_db: str) -> None:
    run = cli("--db", seeded_db, "forecast", "NOPE")
    assert run.exit_code == 1
    assert "no resolution 'NOPE'" in run.stderr
    assert "Traceback" not in run.stderr


# -- swing ------------------------------------------------------------------------------------


def test_swing_needs_three_abstainers(cli: Cli, seeded_db: str) -> None:
    stances = compromise_votes(cli, seeded_db)
    abstainers = {code for code, position in stances.items() if position == "abstain"}
    assert len(abstainers) == 8
    found = as_json(cli("--db", seeded_db, "swing", COMPROMISE, "--format", "json"))
    assert isinstance(found, dict)
    assert found["needed"] == 3
    assert len(found["members"]) == 3 and set(found["members"]) <= abstainers
    assert found["members"] == sorted(found["members"])  # all abstained: then by code
    assert (found["carried"], found["possible"], found["pivotal"]) == (False, True, [])
    assert "blocs" not in found

    with_blocs = as_json(cli("--db", seeded_db, "swing", COMPROMISE, "--bloc", "-f", "json"))
    assert isinstance(with_blocs, dict)
    # CARICOM: 5 abstainers and 3 no; SICA: DOM, SLV and NIC; ALBA: 3 abstainers and 5 no.
    assert sorted(with_blocs["blocs"]) == [["ALBA"], ["CARICOM"], ["SICA"]]

    table = ok(cli("--db", seeded_db, "swing", COMPROMISE)).stdout
    assert "Needs 3 more members" in table
    for member in found["members"]:
        assert member in table
    assert "Antigua and Barbuda" in table  # with names


def test_swing_when_carried_and_when_impossible(cli: Cli, seeded_db: str) -> None:
    succeed(
        cli,
        seeded_db,
        "resolution add GA47-EASY --meeting GA-47 --title Easy --rule fixed --required 1",
    )
    ok(cli("--db", seeded_db, "vote", "GA47-EASY", "yes", "USA"))
    found = as_json(cli("--db", seeded_db, "swing", "GA47-EASY", "--format", "json"))
    assert isinstance(found, dict)
    assert (found["carried"], found["needed"], found["pivotal"]) == (True, 0, ["USA"])

    succeed(
        cli,
        seeded_db,
        "resolution add GA47-HARD --meeting GA-47 --title Hard --rule fixed --required 35",
    )
    found = as_json(cli("--db", seeded_db, "swing", "GA47-HARD", "--format", "json"))
    assert isinstance(found, dict)
    assert (found["possible"], found["needed"], found["members"]) == (False, None, [])


# -- compare ----------------------------------------------------------------------------------


def test_compare_lists_the_members_who_differ(cli: Cli, seeded_db: str) -> None:
    succeed(
        cli,
        seeded_db,
        'resolution add MOC29-TEST --meeting MOC-29 --title "A rival text" --alternative-to',
        COMPROMISE,
    )
    stances = compromise_votes(cli, seeded_db)
    won = ["ATG", "DOM", "ECU"]
    groups: dict[str, list[str]] = {}
    for member, position in stances.items():
        groups.setdefault("yes" if member in won else position, []).append(member)
    for position, members in groups.items():
        ok(cli("--db", seeded_db, "vote", "MOC29-TEST", position, *members, "--official"))

    found = as_json(cli("--db", seeded_db, "compare", COMPROMISE, "MOC29-TEST", "-f", "json"))
    assert isinstance(found, dict)
    assert found["left"]["resolution"] == COMPROMISE
    assert (found["left"]["counts"]["yes"], found["left"]["verdict"]) == (20, "fails")
    assert (found["right"]["counts"]["yes"], found["right"]["verdict"]) == (23, "passes")
    assert found["differences"] == [
        {"member": "ATG", "name": "Antigua and Barbuda", "left": "abstain", "right": "yes"},
        {"member": "DOM", "name": "Dominican Republic", "left": "abstain", "right": "yes"},
        {"member": "ECU", "name": "Ecuador", "left": "abstain", "right": "yes"},
    ]
    table = ok(cli("--db", seeded_db, "compare", COMPROMISE, "MOC29-TEST")).stdout
    assert "3 members differ" in table and "Dominican Republic" in table
    assert "passes" in table and "fails" in table


def test_compare_a_projection_with_the_vote(cli: Cli, seeded_db: str) -> None:
    ok(cli("--db", seeded_db, "vote", "MOC29-CARICOM", "lean-yes", "JAM"))
    found = as_json(
        cli("--db", seeded_db, "compare", COMPROMISE, "MOC29-CARICOM", "--format", "json")
    )
    assert isinstance(found, dict)
    # Only JAM has a stance on the CARICOM text (no per-state record of it): all 34 differ.
    jam = next(d for d in found["differences"] if d["member"] == "JAM")
    assert (jam["left"], jam["right"]) == ("yes", "lean-yes")
    assert len(found["differences"]) == 34
    same = cli("--db", seeded_db, "compare", COMPROMISE, COMPROMISE)
    assert same.exit_code == 1 and "not with itself" in same.stderr


# -- cohesion and alignment on the seed -------------------------------------------------------


@pytest.mark.parametrize(
    ("bloc", "index", "roll_calls"),
    [
        # CARICOM: 6 yes, 3 no, 5 abstain: (6 - 8/2) / 14.
        ("CARICOM", Fraction(1, 7), 1),
        # ALBA: 5 no, 3 abstain, 1 yes (Cuba does not take part, Venezuela was absent).
        ("ALBA", Fraction(1, 3), 1),
        # SICA: 5 yes, 2 abstain, 1 no: (5 - 3/2) / 8.
        ("SICA", Fraction(7, 16), 1),
        # The sponsors of the June 2017 draft were a bloc until the day of the vote: all yes.
        ("SPONSORS2017", Fraction(1), 1),
        # The Lima Group was founded in August 2017: no member on the day.
        ("LIMA", None, 0),
    ],
)
def test_cohesion_of_the_seed_blocs(
    cli: Cli, seeded_db: str, bloc: str, index: Fraction | None, roll_calls: int
) -> None:
    found = as_json(cli("--db", seeded_db, "bloc", "cohesion", bloc, "--format", "json"))
    assert found == {
        "bloc": bloc,
        "name": found["name"],  # type: ignore[index]
        "index": None if index is None else pytest.approx(float(index)),
        "roll_calls": roll_calls,
        "since": None,
    }


@pytest.fixture
def second_vote(cli: Cli, seeded_db: str) -> str:
    """A 2024 vote with corrected official records: only the latest of each member counts."""
    succeed(
        cli,
        seeded_db,
        'meeting add PC-2024 --org OAS --start 2024-07-31 --body "Permanent Council"',
    )
    succeed(
        cli, seeded_db, 'resolution add PC-2024-VEN --meeting PC-2024 --title "Venezuela elections"'
    )
    early, late = "2024-07-31T10:00", "2024-07-31T12:00"
    for position, members, at in [
        ("no", ["USA", "JAM"], early),  # corrected below
        ("yes", ["ARG"], early),  # then recorded absent
        ("yes", ["USA", "JAM", "TTO", "CAN"], late),
        ("no", ["BHS", "MEX"], late),
        ("abstain", ["BOL"], late),
        ("absent", ["ARG"], late),
    ]:
        succeed(cli, seeded_db, "vote PC-2024-VEN", position, *members, "--official", "--at", at)
    return seeded_db


def test_cohesion_counts_the_latest_official_vote(cli: Cli, second_vote: str) -> None:
    # CARICOM on the 2024 vote: JAM and TTO yes, BHS no: (2 - 1/2) / 3 = 1/2.
    found = as_json(cli("--db", second_vote, "bloc", "cohesion", "CARICOM", "-f", "json"))
    assert isinstance(found, dict)
    assert found["index"] == pytest.approx(float((Fraction(1, 7) + Fraction(1, 2)) / 2))
    assert found["roll_calls"] == 2
    since = as_json(oastrack(cli, second_vote, "bloc cohesion CARICOM --since 2020-01-01 -f json"))
    assert since == {
        "bloc": "CARICOM",
        "name": "Caribbean Community (OAS members)",
        "index": 0.5,
        "roll_calls": 1,
        "since": "2020-01-01",
    }
    later = ok(cli("--db", second_vote, "bloc", "cohesion", "CARICOM", "--since", "2025-01-01"))
    assert "No official vote in which two members of CARICOM voted" in later.stderr
    unknown = cli("--db", second_vote, "bloc", "cohesion", "NOPE")
    assert unknown.exit_code == 1 and "no bloc 'NOPE'" in unknown.stderr


def test_align_two_members(cli: Cli, second_vote: str) -> None:
    def pair(a: str, b: str, *more: str) -> dict[str, object]:
        found = as_json(cli("--db", second_vote, "align", a, b, *more, "--format", "json"))
        assert isinstance(found, list) and len(found) == 1
        return dict(found[0])

    # USA's 2024 "no" was corrected to "yes": alike with Canada both times.
    assert pair("USA", "CAN") == {
        "member": "USA",
        "other": "CAN",
        "other_name": "Canada",
        "agreed": 2,
        "compared": 2,
        "agreement": 1.0,
    }
    assert (pair("USA", "MEX")["agreed"], pair("USA", "MEX")["compared"]) == (1, 2)
    assert (pair("USA", "BOL")["agreed"], pair("USA", "BOL")["compared"]) == (0, 2)
    # Argentina's 2024 record ends as an absence: only 2017 compares.
    assert (pair("USA", "ARG")["agreed"], pair("USA", "ARG")["compared"]) == (1, 1)
    # Venezuela was absent in 2017 and cannot vote in 2024.
    assert pair("USA", "VEN")["compared"] == 0 and pair("USA", "VEN")["agreement"] is None
    assert pair("USA", "MEX", "--since", "2020-01-01")["agreed"] == 0

    same = cli("--db", second_vote, "align", "USA", "usa")
    assert same.exit_code == 1 and "not with itself" in same.stderr
    unknown = cli("--db", second_vote, "align", "USA", "XYZ")
    assert unknown.exit_code == 1 and "no member 'XYZ'" in unknown.stderr


def test_align_one_member_with_all(cli: Cli, second_vote: str) -> None:
    found = as_json(cli("--db", second_vote, "align", "USA", "--format", "json"))
    assert isinstance(found, list)
    # Expected by hand: 2017 from the recorded vote, 2024 from the latest records above.
    stances_2017 = compromise_votes(cli, second_vote)
    stances_2024 = {
        "CAN": "yes",
        "JAM": "yes",
        "TTO": "yes",
        "BHS": "no",
        "MEX": "no",
        "BOL": "abstain",
    }
    expected: dict[str, tuple[int, int]] = {}
    for stances in (stances_2017, stances_2024):
        for member, position in stances.items():
            if member != "USA" and position in ("yes", "no", "abstain"):
                agreed, compared = expected.get(member, (0, 0))
                expected[member] = (agreed + (position == "yes"), compared + 1)
    assert {r["other"]: (r["agreed"], r["compared"]) for r in found} == expected
    assert found[0]["other"] == "CAN"  # 2 of 2, ahead of those alike on 1 of 1
    shares = [r["agreement"] for r in found]
    assert shares == sorted(shares, reverse=True)
    assert {r["member"] for r in found} == {"USA"}

    table = ok(cli("--db", second_vote, "align", "USA")).stdout
    assert "Agreement with USA" in table and "100%" in table and "Canada" in table


# -- chart ------------------------------------------------------------------------------------


def test_chart_svg_has_one_mark_per_member(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    picture = tmp_path / "compromise.svg"
    run = ok(cli("--db", seeded_db, "chart", COMPROMISE, "--svg", str(picture)))
    assert "34 seats" in run.stderr
    root = ET.parse(picture).getroot()
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 34
    titles = [c.findtext(f"{SVG}title") or "" for c in circles]
    assert "ARG Argentina: yes" in titles
    assert any(t.startswith("VEN Venezuela: absent") for t in titles)
    positions = Counter(c.get("data-position") for c in circles)
    assert positions == {"yes": 20, "abstain": 8, "no": 5, "absent": 1}
    # Seats left to right by position: the yes votes first.
    order = [c.get("data-position") for c in circles]
    assert order[:20] == ["yes"] * 20
    # Under the title, the rule, what it takes and the verdict; the seat where it would pass.
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "rule two-thirds: 23 of 34 · required 23 · yes 20 · FAILS" in texts
    threshold = root.find(f".//{SVG}g[@id='threshold']")
    assert threshold is not None
    assert threshold.findtext(f"{SVG}text") == "passes at 23"
    assert [t for t in texts if t.startswith("yes ") or t.startswith("absent ")] == [
        "yes 20",
        "absent 1",
    ]


def test_chart_svg_wraps_a_long_title_inside_the_picture(cli: Cli, seeded_db: str) -> None:
    title = " ".join(["A very long title that goes on"] * 6)
    succeed(cli, seeded_db, "resolution add GA47-LONG --meeting GA-47 --title", title)
    root = ET.fromstring(ok(cli("--db", seeded_db, "chart", "GA47-LONG", "--svg", "-")).stdout)
    lines = [t for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert len(lines) == 3
    assert " ".join("".join(t.itertext()) for t in lines) == f"GA47-LONG — {title}"
    # Every line fits the width, and the top seat sits below the last line.
    assert all(len("".join(t.itertext())) <= 68 for t in lines)
    top = min(float(c.get("cy") or 0) - float(c.get("r") or 0) for c in root.iter(f"{SVG}circle"))
    assert top > max(float(t.get("y") or 0) for t in root.findall(f"{SVG}text"))


def test_chart_escapes_user_text(cli: Cli, seeded_db: str) -> None:
    title = 'Fish & "chips" <b>[bold]</b>'
    succeed(cli, seeded_db, "resolution add GA47-XML --meeting GA-47 --title", title)
    ok(cli("--db", seeded_db, "vote", "GA47-XML", "lean-no", "CAN"))
    run = ok(cli("--db", seeded_db, "chart", "GA47-XML", "--svg", "-"))
    root = ET.fromstring(run.stdout)
    assert root.findtext(f"{SVG}title") == f"GA47-XML — {title}"
    assert len(root.findall(f".//{SVG}circle")) == 34
    terminal = ok(cli("--db", seeded_db, "chart", "GA47-XML")).stdout
    assert title in terminal
    assert "lean-no 1" in terminal and "unknown 33" in terminal


def test_control_characters_keep_the_svg_valid_xml(cli: Cli, seeded_db: str) -> None:
    title = "Bell\x07 and escape\x1b[31m"
    succeed(cli, seeded_db, "resolution add GA47-CTL --meeting GA-47 --title", title)
    for extra in ([], ["--timeline"]):
        run = ok(cli("--db", seeded_db, "chart", "GA47-CTL", *extra, "--svg", "-"))
        root = ET.fromstring(run.stdout)  # XML 1.0 has no control characters: shown escaped
        assert "Bell\\x07 and escape\\x1b[31m" in (root.findtext(f"{SVG}title") or "")


def test_chart_in_the_terminal_and_as_json(
    cli: Cli, seeded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without colour (a pipe, NO_COLOR) every position has its own letter.
    terminal = ok(cli("--db", seeded_db, "chart", COMPROMISE)).stdout
    lines = terminal.splitlines()
    assert lines[2] == "rule two-thirds: 23 of 34 · required 23 · yes 20 · FAILS"
    legend = lines.index("Y yes 20   N no 5   A abstain 8   - absent 1")
    seats = "".join(lines[3:legend])
    assert [seats.count(g) for g in "YNA-"] == [20, 5, 8, 1]
    assert len(seats.replace(" ", "")) == 34
    # In colour, a dot per seat, coloured by position.
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = ok(cli("--db", seeded_db, "chart", COMPROMISE)).stdout
    assert coloured.count("●") == 34 + 4  # the seats and the legend's marks
    assert "\x1b[" in coloured
    found = as_json(cli("--db", seeded_db, "chart", COMPROMISE, "--format", "json"))
    assert isinstance(found, dict)
    seats = found["seats"]
    assert len(seats) == 34 and found["counts"]["no"] == 5
    yes_blocs = [s["bloc"] for s in seats if s["position"] == "yes"]
    # Grouped by bloc within a position, members of no bloc last.
    assert yes_blocs == sorted(yes_blocs, key=lambda b: (b is None, b or ""))


def test_chart_to_an_unwritable_file(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    run = cli("--db", seeded_db, "chart", COMPROMISE, "--svg", str(tmp_path / "no" / "x.svg"))
    assert run.exit_code == 1
    assert "cannot write" in run.stderr and len(run.stderr.strip().splitlines()) == 1


# -- versions of the text ---------------------------------------------------------------------


def test_amend_twice_then_diff(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    first = tmp_path / "v1.txt"
    first.write_text("The Council calls on the parties\nto resume talks.\n", encoding="utf-8")
    run = succeed(
        cli, seeded_db, f"resolution amend {COMPROMISE} --note 'as tabled' --text-file", str(first)
    )
    assert "version 1" in run.stderr
    second = "The Council urges the parties\nto resume talks [at once].\n"
    run = ok(
        cli("--db", seeded_db, "resolution", "amend", COMPROMISE, "--text-file", "-", input=second)
    )
    assert "version 2" in run.stderr

    chunks = as_json(cli("--db", seeded_db, "resolution", "diff", COMPROMISE, "-f", "json"))
    assert isinstance(chunks, list)
    assert {"op": "delete", "text": " calls on"} in chunks
    assert {"op": "insert", "text": " urges"} in chunks
    assert {"op": "insert", "text": " talks [at once]."} in chunks
    assert "".join(c["text"] for c in chunks if c["op"] != "delete") == second
    assert (
        as_json(cli("--db", seeded_db, "resolution", "diff", COMPROMISE, "1", "2", "-f", "json"))
        == chunks
    )

    table = ok(cli("--db", seeded_db, "resolution", "diff", COMPROMISE)).stdout
    assert "The Council [-calls on-] {+urges+} the parties" in table
    assert "[-talks.-] {+talks [at once].+}" in table
    assert "version 1 → version 2" in table and "as tabled" in table and "tester" in table

    shown = as_json(cli("--db", seeded_db, "resolution", "show", COMPROMISE, "-f", "json"))
    assert isinstance(shown, dict) and shown["versions"] == 2
    snapshot = ok(cli("--db", seeded_db, "export", "snapshot")).stdout
    assert "to resume talks [at once]." in snapshot


def test_amend_refuses_the_same_text(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    text = tmp_path / "v.txt"
    text.write_text("Same words.\n", encoding="utf-8")
    ok(cli("--db", seeded_db, "resolution", "amend", COMPROMISE, "--text-file", str(text)))
    again = cli("--db", seeded_db, "resolution", "amend", COMPROMISE, "--text-file", str(text))
    assert again.exit_code == 1
    assert "identical to version 1 of MOC29-COMPROMISE; nothing stored" in again.stderr
    only_one = cli("--db", seeded_db, "resolution", "diff", COMPROMISE)
    assert only_one.exit_code == 1 and "nothing to compare" in only_one.stderr
    missing = cli("--db", seeded_db, "resolution", "diff", COMPROMISE, "1", "7")
    assert missing.exit_code == 1 and "no version 7 (versions: 1)" in missing.stderr


def test_amend_from_a_missing_file(cli: Cli, seeded_db: str, tmp_path: Path) -> None:
    run = oastrack(
        cli, seeded_db, "resolution amend", COMPROMISE, "--text-file", str(tmp_path / "missing.txt")
    )
    assert run.exit_code == 1
    assert run.stderr.strip().splitlines() == [
        f"Error: cannot read {tmp_path / 'missing.txt'}: No such file or directory"
    ]


# -- completion -------------------------------------------------------------------------------


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    result = CliRunner().invoke(
        app,
        [],
        env={
            "_OASTRACK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
            **(env or {}),
        },
        prog_name="oastrack",
    )
    assert result.exit_code == 0
    return result.stdout.split()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_codes_complete(seeded_db: str, tmp_path: Path) -> None:
    db = f"oastrack --db {seeded_db}"
    assert complete(f"{db} tally MOC29-CO") == [COMPROMISE]
    assert complete(f"{db} forecast MOC29-C") == ["MOC29-CARICOM", COMPROMISE]
    assert complete(f"{db} vote {COMPROMISE} yes CA") == ["CAN", "CARICOM"]
    assert complete(f"{db} history {COMPROMISE} UR") == ["URY"]
    assert complete(f"{db} bloc cohesion S") == ["SICA", "SPONSORS2017"]
    assert complete(f"{db} align US") == ["USA"]
    assert complete(f"{db} resolution diff MOC29-O") == ["MOC29-ORIGINAL"]
    assert complete("oastrack align US", {"OASTRACK_DB": seeded_db}) == ["USA"]
    # No database there: nothing to offer, no error, and no file made.
    missing = tmp_path / "none.db"
    assert complete(f"oastrack --db {missing} tally M") == []
    assert not missing.exists()


# -- a UNGA sample ----------------------------------------------------------------------------

EVERY = 40  # every 40th roll call: 156 of 6,203, about 20,000 votes
NORDIC = ("DK", "FI", "IS", "NO", "SE")
VOTES = ("yes", "no", "abstain")


class _Writer(PositionWriter):
    """The store's bulk writer, staging (COPY on PostgreSQL) from 5,000 rows rather than 50,000:
    row-by-row inserts of the sample take 10 s on PostgreSQL."""

    CHUNK = 5_000


def _unga_sample() -> tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]]:
    """(session, date) of the chosen roll calls, each one's votes by member, member names."""
    unga = need_unga()
    with gzip.open(unga / "un_roll_calls.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        calls = {
            int(r["rcid"]): (int(r["session"]), date.fromisoformat(r["date"]))
            for r in csv.DictReader(handle)
        }
    chosen = {rcid: calls[rcid] for rcid in sorted(calls)[::EVERY]}
    wanted = {str(rcid) for rcid in chosen}
    ballots: dict[int, dict[str, str]] = {rcid: {} for rcid in chosen}
    names: dict[str, str] = {}
    with gzip.open(unga / "un_votes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        header = next(csv.reader([next(handle)]))
        lines = [line for line in handle if line[: line.find(",")] in wanted]
    for values in csv.reader(lines):
        row = dict(zip(header, values, strict=True))
        member = row["country_code"].strip() or row["country"].strip().upper()[:12]
        names.setdefault(member, row["country"])
        ballots[int(row["rcid"])][member] = row["vote"]
    return chosen, ballots, names


@pytest.fixture(scope="module")
def unga_sample() -> tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]]:
    return _unga_sample()


def _load(
    target: str,
    sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
) -> None:
    """The sample through the store layer: one meeting per session, a resolution per roll call."""
    calls, ballots, names = sample
    ok_init = CliRunner().invoke(app, ["--db", target, "init", "--no-seed"])
    assert ok_init.exit_code == 0, ok_init.stderr
    db = Database.open(parse_target(target))
    opened: dict[int, date] = {}
    for session, held in calls.values():
        opened[session] = min(held, opened.get(session, held))

    def build() -> None:
        for member, name in sorted(names.items()):
            member_store.add_member(db, member, name, member_store.NewMembership(org="UN"), None)
        for session, start in sorted(opened.items()):
            meeting_store.add_meeting(
                db, meeting_store.NewMeeting(code=f"UNGA-{session}", org="UN", start=start)
            )
        bloc_store.add_bloc(db, "NORDIC", "Nordic countries", list(NORDIC), None, None, None)
        for rcid, (session, _) in calls.items():
            resolution_store.add_resolution(
                db,
                resolution_store.NewResolution(
                    code=f"RC-{rcid}",
                    meeting=f"UNGA-{session}",
                    title=f"Roll call {rcid}",
                    rule=RuleName.SIMPLE.value,
                ),
            )
        members = {code: int(mid) for mid, code in db.all("SELECT id, code FROM member")}
        resolutions = {c: int(rid) for rid, c in db.all("SELECT id, code FROM resolution")}
        writer = _Writer(db)
        for rcid, (_, held) in calls.items():
            at = stored_time(datetime.combine(held, datetime.min.time()))
            mark = {raw: fingerprint(raw, "official", at, None, None, None) for raw in VOTES}
            for member, raw in ballots[rcid].items():
                row = (resolutions[f"RC-{rcid}"], members[member], raw, "official", at)
                writer.add((*row, "unvotes", None, None, None, mark[raw]))
        writer.flush()

    try:
        db.write(build)
    finally:
        db.close()


@pytest.fixture(scope="module", params=BACKENDS)
def unga_db(
    request: pytest.FixtureRequest,
    unga_sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The UNGA sample in a database of each back end, built once for the module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("unga") / "unga.db"
        _load(str(path), unga_sample)
        yield str(path)
        shutil.rmtree(path.parent, ignore_errors=True)
        return
    admin = request.getfixturevalue("pg_server")
    name = f"oastrack_t_{uuid.uuid4().hex[:12]}"
    _pg_execute(admin, f'CREATE DATABASE "{name}"')
    try:
        _load(_pg_url_for(name), unga_sample)
        yield _pg_url_for(name)
    finally:
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _since(
    sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
    day: date | None,
) -> list[int]:
    """The roll calls of sessions that opened on or after the day (as --since reads it)."""
    calls, _, _ = sample
    opened: dict[int, date] = {}
    for session, held in calls.values():
        opened[session] = min(held, opened.get(session, held))
    return [r for r, (s, _) in calls.items() if day is None or opened[s] >= day]


@pytest.mark.unga
@pytest.mark.parametrize("day", [None, date(1990, 1, 1)])
def test_unga_align_matches_the_data(
    cli: Cli,
    unga_db: str,
    unga_sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
    day: date | None,
) -> None:
    _, ballots, _ = unga_sample
    rcids = _since(unga_sample, day)
    since = ["--since", day.isoformat()] if day else []
    us = [ballots[r].get("US") for r in rcids]
    found = as_json(cli("--db", unga_db, "align", "US", "CA", *since, "--format", "json"))
    assert isinstance(found, list)
    agreed, compared = agreement(us, [ballots[r].get("CA") for r in rcids])
    assert compared > 20
    assert (found[0]["agreed"], found[0]["compared"]) == (agreed, compared)

    everyone = as_json(cli("--db", unga_db, "align", "US", *since, "--format", "json"))
    assert isinstance(everyone, list)
    members = {m for r in rcids for m in ballots[r]} - {"US"}
    expected = {m: agreement(us, [ballots[r].get(m) for r in rcids]) for m in members}
    expected = {m: pair for m, pair in expected.items() if pair[1]}
    assert {r["other"]: (r["agreed"], r["compared"]) for r in everyone} == expected
    keys = [(-Fraction(r["agreed"], r["compared"]), -r["compared"], r["other"]) for r in everyone]
    assert keys == sorted(keys)


@pytest.mark.unga
def test_unga_nordic_cohesion_matches_the_data(
    cli: Cli,
    unga_db: str,
    unga_sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
) -> None:
    _, ballots, _ = unga_sample
    for day in (None, date(1990, 1, 1)):
        rcids = _since(unga_sample, day)
        counts = [Counter(ballots[r][m] for m in NORDIC if m in ballots[r]) for r in rcids]
        expected = cohesion(counts)
        assert expected.index is not None and expected.roll_calls > 20
        since = ["--since", day.isoformat()] if day else []
        found = as_json(cli("--db", unga_db, "bloc", "cohesion", "NORDIC", *since, "-f", "json"))
        assert isinstance(found, dict)
        assert found["roll_calls"] == expected.roll_calls
        assert found["index"] == pytest.approx(float(expected.index), abs=1e-12)


def test_diff_and_chart_read_without_colour(
    cli: Cli, seeded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal with NO_COLOR, insertions and deletions are marked in words, and the
    chart's seats by letter: nothing is told by colour alone."""
    first = tmp_path / "v1.txt"
    first.write_text("The Council calls on the parties to resume talks.\n", encoding="utf-8")
    ok(cli("--db", seeded_db, "resolution", "amend", COMPROMISE, "--text-file", str(first)))
    second = "The Council urges the parties to resume talks.\n"
    ok(cli("--db", seeded_db, "resolution", "amend", COMPROMISE, "--text-file", "-", input=second))
    monkeypatch.setenv("FORCE_COLOR", "1")  # as on a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    diff = ok(cli("--db", seeded_db, "resolution", "diff", COMPROMISE)).stdout
    assert not re.search("\x1b\\[[0-9;]*3[0-9]", diff)  # no colour (bold and strike may stay)
    plain = re.sub("\x1b\\[[0-9;]*m", "", diff)
    assert "The Council [-calls on-] {+urges+} the parties to resume talks." in plain
    chart = re.sub("\x1b\\[[0-9;]*m", "", ok(cli("--db", seeded_db, "chart", COMPROMISE)).stdout)
    assert "Y yes 20   N no 5   A abstain 8   - absent 1" in chart
