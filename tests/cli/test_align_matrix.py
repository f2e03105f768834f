"""`align --matrix`: every pair at once, the same counts as `align A B`; on the seed with
corrected and retracted records, and on the UNGA sample (values from the data file)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oastrack.core.alignment import agreement
from oastrack.store import alignment as store_alignment
from tests.cli import test_analysis
from tests.conftest import Run

# The fixtures of the analysis tests: the seed with a corrected 2024 vote, the UNGA sample.
second_vote = test_analysis.second_vote
unga_sample = test_analysis.unga_sample
unga_db = test_analysis.unga_db

Cli = Callable[..., Run]
SVG = "{http://www.w3.org/2000/svg}"
SAMPLE = ("USA", "CAN", "JAM", "ARG", "BOL", "MEX", "BHS", "TTO", "ATG", "BRA")


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


def matrix_pairs(cli: Cli, db: str, *args: str) -> dict[tuple[str, str], tuple[int, int]]:
    found = json.loads(ok(cli("--db", db, "align", "--matrix", *args, "--format", "json")).stdout)
    assert isinstance(found, list)
    pairs = {}
    for pair in found:
        assert pair["agreement"] == pytest.approx(pair["agreed"] / pair["compared"])
        pairs[pair["member"], pair["other"]] = (pair["agreed"], pair["compared"])
    return pairs


def pair_counts(cli: Cli, db: str, first: str, second: str, *args: str) -> tuple[int, int]:
    found = json.loads(
        ok(cli("--db", db, "align", first, second, *args, "--format", "json")).stdout
    )
    return found[0]["agreed"], found[0]["compared"]


def either(pairs: dict[tuple[str, str], tuple[int, int]], a: str, b: str) -> tuple[int, int]:
    return pairs.get((a, b)) or pairs.get((b, a)) or (0, 0)


def matrix_csv(cli: Cli, db: str, *args: str) -> list[list[str]]:
    run = ok(cli("--db", db, "align", "--matrix", *args, "--format", "csv"))
    return list(csv.reader(io.StringIO(run.stdout)))


@pytest.mark.parametrize("since", [None, "2020-01-01"])
def test_the_matrix_agrees_with_align_on_every_pair(
    cli: Cli, second_vote: str, since: str | None
) -> None:
    more = ["--since", since] if since else []
    pairs = matrix_pairs(cli, second_vote, *more)
    for first, second in itertools.combinations(SAMPLE, 2):
        assert either(pairs, first, second) == pair_counts(cli, second_vote, first, second, *more)
    if since:
        # Only the 2024 vote: USA's "no" corrected to "yes", ARG's "yes" to an absence.
        assert pairs[("CAN", "USA")] == (1, 1)
        assert either(pairs, "USA", "BHS") == (0, 1)
        assert all("ARG" not in pair for pair in pairs)
        assert {m for pair in pairs for m in pair} == {
            "USA",
            "CAN",
            "JAM",
            "TTO",
            "BHS",
            "MEX",
            "BOL",
        }
    else:
        assert pairs[("CAN", "USA")] == (2, 2)
        assert either(pairs, "USA", "ARG") == (1, 1)
        assert all("VEN" not in pair for pair in pairs)  # absent in 2017, out in 2024


def test_retracted_records_count_nowhere(cli: Cli, second_vote: str) -> None:
    # Take back USA's corrected "yes" of 2024: its earlier "no" is its vote again.
    ok(cli("--db", second_vote, "retract", "PC-2024-VEN", "USA"))
    pairs = matrix_pairs(cli, second_vote, "--since", "2020-01-01")
    assert pairs[("CAN", "USA")] == (0, 1)
    assert either(pairs, "USA", "BHS") == (1, 1)
    for other in ("CAN", "JAM", "BHS", "BOL"):
        assert either(pairs, "USA", other) == pair_counts(
            cli, second_vote, "USA", other, "--since", "2020-01-01"
        )
    # And ARG's absence taken back: its 2024 "yes" counts.
    ok(cli("--db", second_vote, "retract", "PC-2024-VEN", "ARG"))
    pairs = matrix_pairs(cli, second_vote, "--since", "2020-01-01")
    assert pairs[("ARG", "CAN")] == (1, 1) and either(pairs, "ARG", "USA") == (0, 1)
    assert either(pairs, "ARG", "MEX") == pair_counts(
        cli, second_vote, "ARG", "MEX", "--since", "2020-01-01"
    )


def test_a_range_of_roll_calls_at_a_time_counts_the_same(
    cli: Cli, second_vote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = matrix_pairs(cli, second_vote)
    recent = matrix_pairs(cli, second_vote, "--since", "2020-01-01")
    shares = matrix_csv(cli, second_vote)
    # Planes of one byte: every resolution is read on its own, as a huge database would be.
    monkeypatch.setattr(store_alignment, "PLANE_BYTES", 1)
    assert matrix_pairs(cli, second_vote) == whole
    assert matrix_pairs(cli, second_vote, "--since", "2020-01-01") == recent
    assert matrix_csv(cli, second_vote) == shares
    assert whole[("CAN", "USA")] == (2, 2)


def test_org_chooses_the_meetings(cli: Cli, second_vote: str) -> None:
    db = second_vote
    ok(cli("--db", db, "meeting", "add", "SC-2025", "--org", "UNSC", "--start", "2025-03-03"))
    ok(cli("--db", db, "resolution", "add", "SC-2025-1", "--meeting", "SC-2025", "--title", "T"))
    for position, members in (("yes", ["USA", "GUY", "FRA"]), ("no", ["PAN"])):
        ok(cli("--db", db, "vote", "SC-2025-1", position, *members, "--official"))
    council = matrix_pairs(cli, db, "--org", "UNSC")
    assert council == {
        ("FRA", "GUY"): (1, 1),
        ("FRA", "PAN"): (0, 1),
        ("FRA", "USA"): (1, 1),
        ("GUY", "PAN"): (0, 1),
        ("GUY", "USA"): (1, 1),
        ("PAN", "USA"): (0, 1),
    }
    americas = matrix_pairs(cli, db, "--org", "oas")
    assert americas[("CAN", "USA")] == (2, 2) and all("FRA" not in p for p in americas)
    everywhere = matrix_pairs(cli, db)
    assert everywhere[("GUY", "USA")] == pair_counts(cli, db, "USA", "GUY")
    assert everywhere[("GUY", "USA")] == (
        americas[("GUY", "USA")][0] + 1,
        americas[("GUY", "USA")][1] + 1,
    )
    unknown = cli("--db", db, "align", "--matrix", "--org", "NOPE")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("Error: no organization 'NOPE'")


def test_csv_is_a_square_matrix(cli: Cli, second_vote: str) -> None:
    shares = matrix_csv(cli, second_vote)
    codes = shares[0][1:]
    assert shares[0][0] == "member" and codes == sorted(codes) and len(codes) == 33
    assert [row[0] for row in shares[1:]] == codes
    assert all(len(row) == len(codes) + 1 for row in shares[1:])
    agreed = matrix_csv(cli, second_vote, "--cells", "agreed")
    compared = matrix_csv(cli, second_vote, "--cells", "compared")
    assert agreed[0] == compared[0] == shares[0]
    usa, mex = codes.index("USA") + 1, codes.index("MEX") + 1
    # Row USA, column MEX: alike in 2017, not in 2024; symmetric; USA against itself: 2 votes.
    assert (agreed[usa][mex], compared[usa][mex], shares[usa][mex]) == ("1", "2", "0.5000")
    assert (agreed[mex][usa], compared[mex][usa], shares[mex][usa]) == ("1", "2", "0.5000")
    assert (agreed[usa][usa], compared[usa][usa], shares[usa][usa]) == ("2", "2", "1.0000")
    arg = codes.index("ARG") + 1
    bol = codes.index("BOL") + 1
    assert (compared[arg][bol], shares[arg][bol]) == ("1", "0.0000")
    for row, line in enumerate(shares[1:], start=1):
        for column, cell in enumerate(line[1:], start=1):
            total = int(compared[row][column])
            if total == 0:
                assert cell == "" and agreed[row][column] == "0"
            else:
                exact = int(agreed[row][column]) / total
                assert abs(float(cell) - exact) <= 0.00005


def test_chosen_members_make_a_grid(cli: Cli, second_vote: str) -> None:
    chosen = ["--member", "USA", "--member", "mex", "--member", "VEN"]
    table = ok(cli("--db", second_vote, "align", "--matrix", *chosen)).stdout
    lines = [line.split() for line in table.splitlines()]
    assert ["USA", "MEX", "VEN"] in lines  # the header, in the order given
    assert ["USA", "100", "50", "-"] in lines and ["VEN", "-", "-", "-"] in lines
    rows = matrix_csv(cli, second_vote, *chosen)
    assert rows == [
        ["member", "USA", "MEX", "VEN"],
        ["USA", "1.0000", "0.5000", ""],
        ["MEX", "0.5000", "1.0000", ""],
        ["VEN", "", "", ""],
    ]
    assert matrix_csv(cli, second_vote, *chosen, "--member", "usa") == rows  # each once
    pairs = matrix_pairs(cli, second_vote, *chosen)
    assert pairs == {("USA", "MEX"): (1, 2)}
    unknown = cli("--db", second_vote, "align", "--matrix", "--member", "XYZ")
    assert unknown.exit_code == 1 and "no member 'XYZ'" in unknown.stderr


def test_the_table_fits_80_columns(
    cli: Cli, second_vote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = ok(cli("--db", second_vote, "align", "--matrix")).stdout
    assert max(len(line) for line in table.splitlines()) <= 80
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line.strip()}
    pairs = matrix_pairs(cli, second_vote)
    members = {m for pair in pairs for m in pair}
    assert members <= set(rows) and "VEN" not in rows
    for member in members:
        voted, nearest, near_share, farthest, far_share = rows[member]
        # Everyone voted on 2 roll calls at most: partners compared on all of them count.
        assert voted in ("1", "2")
        mine = {
            other: counts
            for other in members - {member}
            if (counts := either(pairs, member, other))[1] >= int(voted)
        }
        best = max(a / c for a, c in mine.values())
        worst = min(a / c for a, c in mine.values())
        assert mine[nearest][0] / mine[nearest][1] == best
        assert mine[farthest][0] / mine[farthest][1] == worst
        assert near_share == f"{round(best * 100)}%" and far_share == f"{round(worst * 100)}%"
    assert rows["USA"][1:3] == ["CAN", "100%"]  # 2 of 2, first by code among those


def test_the_heatmap_is_well_formed(cli: Cli, second_vote: str, tmp_path: Path) -> None:
    target = tmp_path / "agreement.svg"
    run = ok(cli("--db", second_vote, "align", "--matrix", "--svg", str(target)))
    assert "Wrote" in run.stderr and "33 members" in run.stderr and run.stdout == ""
    root = ET.parse(target).getroot()
    codes = matrix_csv(cli, second_vote)[0][1:]
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    down = [t.text or "" for t in groups["rows"].iter(f"{SVG}text")]
    across = [t.text or "" for t in groups["columns"].iter(f"{SVG}text")]
    assert sorted(down) == sorted(across) == codes  # every member once on each axis
    assert down == across  # in the same, clustered, order
    assert len(list(groups["cells"].iter(f"{SVG}rect"))) == len(codes) ** 2
    assert "Agreement in official votes" in (root.findtext(f"{SVG}title") or "")
    legend = [t.text for t in groups["legend"].iter(f"{SVG}text")]
    assert legend[0] == "0%" and "100%" in legend and "never compared" in legend
    # Members who voted alike both times sit together: the sponsors' side apart from ALBA's.
    assert abs(down.index("USA") - down.index("CAN")) < abs(down.index("USA") - down.index("BOL"))
    to_stdout = ok(cli("--db", second_vote, "align", "--matrix", "--svg", "-"))
    assert ET.fromstring(to_stdout.stdout.encode()).tag == f"{SVG}svg"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--matrix", "USA"], "--matrix takes no CODE"),
        (["--matrix", "USA", "CAN"], "--matrix takes no CODE"),
        (["--matrix", "--limit", "3"], "not with --matrix"),
        ([], "a member's code is needed"),
        (["USA", "--org", "OAS"], "only with --matrix"),
        (["USA", "--member", "CAN"], "only with --matrix"),
        (["USA", "--svg", "x.svg"], "only with --matrix"),
        (["USA", "--cells", "agreed"], "only with --matrix"),
        (["--matrix", "--cells", "both"], "'both' is not one of"),
    ],
)
def test_usage_errors(cli: Cli, second_vote: str, args: list[str], message: str) -> None:
    run = cli("--db", second_vote, "align", *args)
    assert run.exit_code == 2 and message in run.stderr and "Traceback" not in run.stderr


def test_bad_input_is_one_line(cli: Cli, second_vote: str) -> None:
    run = cli("--db", second_vote, "align", "--matrix", "--since", "June")
    assert run.exit_code == 1 and len(run.stderr.strip().splitlines()) <= 2
    assert run.stderr.startswith("Error:")


@pytest.mark.unga
@pytest.mark.parametrize("day", [None, date(1990, 1, 1)])
def test_unga_matrix_matches_the_data(
    cli: Cli,
    unga_db: str,
    unga_sample: tuple[dict[int, tuple[int, date]], dict[int, dict[str, str]], dict[str, str]],
    day: date | None,
) -> None:
    _, ballots, _ = unga_sample
    rcids = test_analysis._since(unga_sample, day)
    since = ["--since", day.isoformat()] if day else []
    pairs = matrix_pairs(cli, unga_db, *since)
    members = sorted(
        {m for r in rcids for m, vote in ballots[r].items() if vote in ("yes", "no", "abstain")}
    )
    assert {m for pair in pairs for m in pair} <= set(members)
    for first, second in itertools.combinations(members, 2):
        expected = agreement(
            [ballots[r].get(first) for r in rcids], [ballots[r].get(second) for r in rcids]
        )
        assert either(pairs, first, second) == expected, (first, second)
    for first, second in (("US", "CA"), ("RU", "CN"), ("US", "IL"), ("FR", "GB")):
        assert either(pairs, first, second) == pair_counts(cli, unga_db, first, second, *since)
    rows = matrix_csv(cli, unga_db, *since, "--cells", "compared")
    assert len(rows) == len(rows[0]) == len(members) + 1
