"""`oastrack tally`, `vote` and `history` on both back ends: the Cancún vote and projections.

Expected numbers are derived by hand from PRODUCT.md and data/seed.json:
the compromise text got 20 yes, 5 no, 8 abstain, 1 absent (VEN) of 34 eligible (CUB is
non-participating); two thirds of 34 is 23.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

COUNT_KEYS = ["yes", "lean-yes", "undecided", "lean-no", "no", "abstain", "absent", "unknown"]
COMPROMISE_COUNTS = {
    "yes": 20,
    "lean-yes": 0,
    "undecided": 0,
    "lean-no": 0,
    "no": 5,
    "abstain": 8,
    "absent": 1,
    "unknown": 0,
}
# The 34 members eligible on 2017-06-19, by code.
ELIGIBLE = [
    *("ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "DMA"),
    *("DOM", "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC"),
    *("PAN", "PER", "PRY", "SLV", "SUR", "TTO", "URY", "USA", "VCT", "VEN"),
]


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def tally_json(cli: Cli, db: str, resolution: str, *args: str) -> dict[str, Any]:
    run = ok(cli("--db", db, "tally", resolution, *args, "--format", "json"))
    document = json.loads(run.stdout)
    assert isinstance(document, dict)
    return document


def stance(document: dict[str, Any], member: str) -> str:
    return str(next(m["position"] for m in document["members"] if m["code"] == member))


def counts(**given: int) -> dict[str, int]:
    result = dict.fromkeys(COUNT_KEYS, 0)
    result.update({key.replace("_", "-"): n for key, n in given.items()})
    return result


# -- the Cancún compromise, as recorded ----------------------------------------------------------


def test_compromise_tally_in_every_format_and_by_bloc(cli: Cli, seeded_db: str) -> None:
    tally = tally_json(cli, seeded_db, "MOC29-COMPROMISE")
    assert tally["resolution"] == "MOC29-COMPROMISE"
    assert tally["rule"] == "two-thirds"
    assert list(tally["counts"]) == COUNT_KEYS
    assert tally["counts"] == COMPROMISE_COUNTS
    assert (tally["eligible"], tally["required"], tally["short_by"]) == (34, 23, 3)
    assert (tally["verdict"], tally["projected"], tally["official"]) == ("fails", "fails", True)
    assert "by_bloc" not in tally
    assert sorted(m["code"] for m in tally["members"]) == ELIGIBLE
    assert stance(tally, "VEN") == "absent"

    run = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE"))
    assert "Short by 3" in run.stdout
    assert "FAILS" in run.stdout
    assert "Required 23" in run.stdout
    assert "two-thirds: 23 of 34" in run.stdout
    assert run.stderr == ""

    run = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert (row["resolution"], row["rule"], row["eligible"], row["required"]) == (
        "MOC29-COMPROMISE",
        "two-thirds",
        "34",
        "23",
    )
    assert {key: int(row[key]) for key in COUNT_KEYS} == COMPROMISE_COUNTS
    assert (row["verdict"], row["projected"], row["short_by"]) == ("fails", "fails", "3")

    run = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--format", "markdown"))
    markdown = run.stdout.splitlines()
    assert markdown[0] == (
        "**MOC29-COMPROMISE** (two-thirds): 20 yes of 23 required, verdict **fails**, "
        "projected fails, short by 3"
    )
    table = [line for line in markdown if line.startswith("|")]
    assert table[0] == "| position | count |"
    assert table[1].startswith("|---")
    parsed = {
        cells[0]: int(cells[1])
        for cells in ([cell.strip() for cell in line.strip("|").split("|")] for line in table[2:])
    }
    assert parsed == COMPROMISE_COUNTS

    # split by bloc
    tally = tally_json(cli, seeded_db, "MOC29-COMPROMISE", "--by-bloc")
    by_bloc = tally["by_bloc"]
    assert sum(by_bloc["CARICOM"].values()) == 14
    assert by_bloc["CARICOM"] == counts(yes=6, no=3, abstain=5)
    # ALBA has 11 members, but CUB does not take part: 10 counted
    assert by_bloc["ALBA"] == counts(yes=1, no=5, abstain=3, absent=1)
    assert by_bloc["SICA"] == counts(yes=5, no=1, abstain=2)
    # the sponsors' bloc ends on the meeting's day, which is included
    assert by_bloc["SPONSORS2017"] == counts(yes=5)
    # the Lima Group was formed in August 2017: not yet a bloc on 2017-06-19
    assert "LIMA" not in by_bloc
    assert by_bloc["(no bloc)"] == counts(yes=6)
    assert tally["counts"] == COMPROMISE_COUNTS

    run = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--by-bloc", "-f", "csv"))
    by_name = {row["bloc"]: row for row in csv.DictReader(io.StringIO(run.stdout))}
    assert {key: int(by_name["CARICOM"][key]) for key in COUNT_KEYS} == by_bloc["CARICOM"]


BAD_ASSUMPTIONS = [
    ("ATG", "Error: --assume 'ATG': write CODE=POSITION, e.g. --assume HTI=yes"),
    (
        "ATG=perhaps",
        "Error: 'perhaps' is not a position; use one of: yes, lean-yes, undecided, "
        "lean-no, no, abstain, absent",
    ),
    ("CUB=yes", "Error: CUB is not an active member of OAS on 2017-06-19 (non-participating)"),
    ("XXX=yes", "Error: no member or bloc 'XXX'"),
]


def test_what_if(cli: Cli, seeded_db: str) -> None:
    before = support.row_counts(seeded_db)
    history = ok(cli("--db", seeded_db, "history", "MOC29-COMPROMISE", "-f", "json")).stdout
    tally = tally_json(
        cli,
        seeded_db,
        "MOC29-COMPROMISE",
        "--assume",
        "ATG=yes",
        "--assume",
        "dom=yes",
        "--assume",
        "ECU=yes",
    )
    assert tally["counts"] == {**COMPROMISE_COUNTS, "yes": 23, "abstain": 5}
    assert (tally["verdict"], tally["short_by"], tally["required"]) == ("passes", 0, 23)
    assert tally["assumed"] == {"ATG": "yes", "DOM": "yes", "ECU": "yes"}
    # nothing written
    assert support.row_counts(seeded_db) == before
    assert ok(cli("--db", seeded_db, "history", "MOC29-COMPROMISE", "-f", "json")).stdout == (
        history
    )
    assert tally_json(cli, seeded_db, "MOC29-COMPROMISE")["counts"] == COMPROMISE_COUNTS

    table = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--assume", "ATG=yes"))
    assert "What if: ATG=yes (nothing written)" in table.stdout

    # a whole bloc: CARICOM has 6 yes already; ATG DMA GRD HTI KNA SUR TTO VCT move: 20 + 8
    tally = tally_json(cli, seeded_db, "MOC29-COMPROMISE", "--assume", "CARICOM=yes")
    assert tally["counts"]["yes"] == 28
    assert tally["counts"] == counts(yes=28, no=2, abstain=3, absent=1)
    assert tally["verdict"] == "passes"

    # assumptions that make no sense are user errors
    for assumption, message in BAD_ASSUMPTIONS:
        run = cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--assume", assumption)
        assert (run.exit_code, lines(run.stderr)[0], run.stdout) == (1, message, ""), assumption
    run = cli("--db", seeded_db, "tally", "NOPE")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        "Error: no resolution 'NOPE'",
        "Hint: see: oastrack resolution list",
    ]


# -- projections before the vote ----------------------------------------------------------------


@pytest.fixture
def proposal(cli: Cli, seeded_db: str) -> str:
    """A draft at the General Assembly (absolute majority: 18 of 34), with projections:
    16 yes, 2 lean-yes, 4 undecided, 12 no."""
    ok(
        cli(
            "--db",
            seeded_db,
            "resolution",
            "add",
            "GA47-TEST",
            "--meeting",
            "GA-47",
            "--title",
            "A test draft",
            "--rule",
            "absolute",
        )
    )
    for position, members in [
        ("yes", ELIGIBLE[:16]),
        ("lean-yes", ELIGIBLE[16:18]),
        ("undecided", ELIGIBLE[18:22]),
        ("no", ELIGIBLE[22:]),
    ]:
        at = ["--at", "2017-06-19T12:00"]  # during the session: a record dated now would warn
        run = ok(cli("--db", seeded_db, "vote", "GA47-TEST", position, *members, *at))
        assert lines(run.stderr) == [
            f"Logged {position} (projection) on GA47-TEST for {len(members)} members: "
            + " ".join(members)
            + "."
        ]
    return seeded_db


def test_projections_then_the_official_vote(cli: Cli, proposal: str) -> None:
    tally = tally_json(cli, proposal, "GA47-TEST")
    assert tally["counts"] == counts(yes=16, lean_yes=2, undecided=4, no=12)
    assert (tally["eligible"], tally["required"], tally["rule"]) == (34, 18, "absolute")
    # 16 firm yes do not carry it; 16 + 6 in play could: open. With the leans: 18 of 18.
    assert tally["verdict"] == "open"
    assert tally["projected"] == "passes"
    assert tally["projected_yes"] == 18
    assert tally["short_by"] == 2
    assert tally["official"] is False

    table = ok(cli("--db", proposal, "tally", "GA47-TEST")).stdout
    assert "OPEN" in table
    assert "Short by 2" in table
    assert "Projected passes (18 yes with leans)" in table
    undecided = [line for line in table.splitlines() if "HTI Haiti" in line]
    assert len(undecided) == 1
    assert "undecided" in undecided[0]
    assert "HTI Haiti, JAM Jamaica, KNA Saint Kitts and Nevis, LCA Saint Lucia" in undecided[0]

    # one yes fewer: 15 + 2 leans = 17 < 18, still open (15 + 6 in play = 21)
    tally = tally_json(cli, proposal, "GA47-TEST", "--assume", "ARG=no")
    assert (tally["verdict"], tally["projected"], tally["short_by"]) == ("open", "fails", 3)
    # the undecided decide against: 16 + 2 in play cannot reach 18
    tally = tally_json(
        cli,
        proposal,
        "GA47-TEST",
        "--assume",
        "HTI=no",
        "--assume",
        "JAM=no",
        "--assume",
        "KNA=no",
        "--assume",
        "LCA=no",
    )
    assert (tally["verdict"], tally["projected"]) == ("open", "passes")
    tally = tally_json(
        cli,
        proposal,
        "GA47-TEST",
        "--assume",
        "HTI=no",
        "--assume",
        "JAM=no",
        "--assume",
        "KNA=no",
        "--assume",
        "LCA=no",
        "--assume",
        "GUY=no",
    )
    assert (tally["verdict"], tally["projected"]) == ("fails", "fails")
    # two of the undecided firm up: 18 firm yes pass whatever the rest do
    tally = tally_json(cli, proposal, "GA47-TEST", "--assume", "HTI=yes", "--assume", "JAM=yes")
    assert (tally["verdict"], tally["projected"], tally["short_by"]) == ("passes", "passes", 0)

    # then the official vote: it replaces the projections
    ok(cli("--db", proposal, "vote", "GA47-TEST", "yes", *ELIGIBLE[:17], "--official"))
    ok(cli("--db", proposal, "vote", "GA47-TEST", "abstain", *ELIGIBLE[17:], "--official"))
    tally = tally_json(cli, proposal, "GA47-TEST")
    assert tally["official"] is True
    assert tally["counts"] == counts(yes=17, abstain=17)
    # 17 yes, no one against: an absolute majority still needs 18
    assert (tally["verdict"], tally["projected"], tally["short_by"]) == ("fails", "fails", 1)


def test_as_of_replays_history(cli: Cli, seeded_db: str) -> None:
    ok(
        cli(
            "--db",
            seeded_db,
            "resolution",
            "add",
            "GA47-ASOF",
            "--meeting",
            "GA-47",
            "--title",
            "Replay",
            "--rule",
            "absolute",
        )
    )
    ok(cli("--db", seeded_db, "vote", "GA47-ASOF", "no", "ARG", "--at", "2017-06-01"))
    ok(
        cli(
            "--db",
            seeded_db,
            "vote",
            "GA47-ASOF",
            "yes",
            "ARG",
            "--at",
            "2017-06-10",
            "--source",
            "delegation call",
        )
    )

    then = tally_json(cli, seeded_db, "GA47-ASOF", "--as-of", "2017-06-05")
    assert stance(then, "ARG") == "no"
    assert then["counts"] == counts(no=1, unknown=33)
    assert then["as_of"] == "2017-06-05T00:00:00Z"
    now = tally_json(cli, seeded_db, "GA47-ASOF")
    assert stance(now, "ARG") == "yes"
    assert now["counts"] == counts(yes=1, unknown=33)
    before = tally_json(cli, seeded_db, "GA47-ASOF", "--as-of", "2017-05-31T23:59:59Z")
    assert before["counts"] == counts(unknown=34)
    # times are compared in UTC: 20:00 on 9 June at UTC-5 is 01:00 on the 10th, after the yes
    same_day = tally_json(cli, seeded_db, "GA47-ASOF", "--as-of", "2017-06-09T20:00-05:00")
    assert stance(same_day, "ARG") == "yes"

    history = json.loads(
        ok(cli("--db", seeded_db, "history", "GA47-ASOF", "ARG", "-f", "json")).stdout
    )
    assert [(h["recorded_at"], h["position"], h["analyst"], h["kind"]) for h in history] == [
        ("2017-06-01T00:00:00Z", "no", "tester", "projection"),
        ("2017-06-10T00:00:00Z", "yes", "tester", "projection"),
    ]
    assert history[1]["source"] == "delegation call"
    table = ok(cli("--db", seeded_db, "history", "GA47-ASOF", "ARG")).stdout
    assert table.index("2017-06-01") < table.index("2017-06-10")
    assert "tester" in table

    bad = cli("--db", seeded_db, "tally", "GA47-ASOF", "--as-of", "yesterday")
    assert bad.exit_code == 1
    assert lines(bad.stderr)[0].startswith("Error: 'yesterday' is not a time")


def test_the_same_position_twice_is_recorded_once(cli: Cli, proposal: str) -> None:
    args = [
        "vote",
        "GA47-TEST",
        "lean-no",
        "BRA",
        "--at",
        "2017-06-12T10:00",
        "--source",
        "press",
        "--note",
        "wavering",
        "--confidence",
        "0.6",
    ]
    first = ok(cli("--db", proposal, *args))
    assert lines(first.stderr) == ["Logged lean-no (projection) on GA47-TEST for 1 member: BRA."]
    count = support.count(proposal, "position")
    second = ok(cli("--db", proposal, *args))
    assert lines(second.stderr) == ["Already recorded, nothing added: BRA."]
    assert support.count(proposal, "position") == count
    history = json.loads(
        ok(cli("--db", proposal, "history", "GA47-TEST", "BRA", "-f", "json")).stdout
    )
    # oldest first: the 2017 record before the fixture's (logged now)
    assert [h["position"] for h in history] == ["lean-no", "yes"]
    assert (history[0]["confidence"], history[0]["note"]) == (0.6, "wavering")
    # another analyst logging the very same record adds nothing either
    third = ok(cli("--db", proposal, "--analyst", "someone else", *args))
    assert lines(third.stderr) == ["Already recorded, nothing added: BRA."]
    # a different note is a different record
    ok(cli("--db", proposal, *args[:-4], "--note", "firmer", "--confidence", "0.6"))
    assert support.count(proposal, "position") == count + 1


def test_a_bloc_stands_for_its_eligible_members(cli: Cli, seeded_db: str) -> None:
    ok(
        cli(
            "--db",
            seeded_db,
            "resolution",
            "add",
            "GA47-ALBA",
            "--meeting",
            "GA-47",
            "--title",
            "ALBA",
            "--rule",
            "absolute",
        )
    )
    run = ok(cli("--db", seeded_db, "vote", "GA47-ALBA", "yes", "ALBA", "--at", "2017-06-20"))
    assert lines(run.stderr) == [
        "Skipped (not eligible at this meeting): CUB.",
        "Logged yes (projection) on GA47-ALBA for 10 members: "
        "ATG BOL DMA ECU GRD KNA LCA NIC VCT VEN.",
    ]
    tally = tally_json(cli, seeded_db, "GA47-ALBA")
    assert tally["counts"] == counts(yes=10, unknown=24)
    history = json.loads(ok(cli("--db", seeded_db, "history", "GA47-ALBA", "-f", "json")).stdout)
    assert sorted(h["member"] for h in history) == [
        "ATG",
        "BOL",
        "DMA",
        "ECU",
        "GRD",
        "KNA",
        "LCA",
        "NIC",
        "VCT",
        "VEN",
    ]
    # a member named both directly and through its bloc is logged once
    run = ok(
        cli("--db", seeded_db, "vote", "GA47-ALBA", "no", "ATG", "CARICOM", "--at", "2017-06-20")
    )
    assert lines(run.stderr)[-1].startswith("Logged no (projection) on GA47-ALBA for 14 members:")


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_table_by_bloc_fits_without_cutting_a_word(
    cli: Cli, seeded_db: str, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    lines = ok(cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--by-bloc")).stdout
    table = lines[lines.index("By bloc (blocs overlap)") :].splitlines()
    assert table[1].split() == ["bloc", *COUNT_KEYS]
    rows = {line.split()[0]: line.split()[1:] for line in table[3:] if line.strip()}
    assert rows["SPONSORS2017"] == ["5", "0", "0", "0", "0", "0", "0", "0"]
    assert rows["(no"] == ["bloc)", "6", "0", "0", "0", "0", "0", "0", "0"]
    assert all(len(line.rstrip()) <= int(columns) for line in table)
