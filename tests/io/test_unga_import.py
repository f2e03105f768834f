"""The real UN General Assembly roll calls (870,109 votes), imported as published.

One full import into a SQLite database (module fixture: it runs once, about half a minute), then:
a second import adds nothing; the yes/no/abstain counts of every one of the 6,203 roll calls in
the database equal the counts computed from the file; and `tally` agrees for a few roll calls.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Run, need_unga
from tests.io.conftest import ENV
from tests.support import invoke, unga_import_args

pytestmark = [pytest.mark.unga, pytest.mark.slow]

ROWS = 870_109
IMPORT_ARGS = unga_import_args()


@dataclass
class FileCounts:
    rows: int
    by_call: dict[str, Counter[str]]  # rcid -> position -> votes
    members: set[str]  # the member codes the import makes (code, else the country's name)


@dataclass
class Loaded:
    db: str
    path: Path
    first: Run
    second: Run


def oastrack(*args: str) -> Run:
    return invoke(*args, env=ENV)


def ok(run: Run) -> Run:
    assert run.exit_code == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def file_counts() -> FileCounts:
    path = need_unga() / "un_votes.csv.gz"
    by_call: dict[str, Counter[str]] = {}
    members: set[str] = set()
    rows = 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            by_call.setdefault(row["rcid"].strip(), Counter())[row["vote"].strip()] += 1
            members.add((row["country_code"].strip() or row["country"].strip()).upper())
    return FileCounts(rows, by_call, members)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    path = need_unga() / "un_votes.csv.gz"
    db = str(tmp_path_factory.mktemp("unga") / "unga.db")
    ok(oastrack("--db", db, "init", "--no-seed"))
    ok(
        oastrack(
            "--db",
            db,
            "meeting",
            "add",
            "UNGA",
            "--org",
            "UN",
            "--start",
            "1946-01-10",
            "--rule",
            "simple",
        )
    )
    first = oastrack("--db", db, "import", "positions", str(path), *IMPORT_ARGS)
    second = oastrack("--db", db, "import", "positions", str(path), *IMPORT_ARGS)
    return Loaded(db, path, first, second)


def only_line(run: Run) -> str:
    ok(run)
    assert run.stdout == ""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_the_file_is_the_published_one(file_counts: FileCounts) -> None:
    assert file_counts.rows == ROWS
    assert len(file_counts.by_call) == 6203
    assert {vote for counts in file_counts.by_call.values() for vote in counts} == {
        "yes",
        "no",
        "abstain",
    }


def test_the_first_import_adds_every_vote(loaded: Loaded, file_counts: FileCounts) -> None:
    # The members it creates are named first, the three states without a code made codes.
    named, line = (line for line in loaded.first.stderr.splitlines() if line.strip())
    assert named.startswith(f"Created {len(file_counts.members)} members: US, CA, CU, "), named
    created = named.removesuffix(".").split(": ", 1)[1].split(", ")
    assert {"YEMEN-ARAB-REPUBLIC", "ZANZIBAR", "FEDERAL-REPUBLIC-OF-GERMANY"} <= set(created)
    assert len(created) == len(file_counts.members)
    pattern = (
        rf"Imported 870,109 rows read from {re.escape(str(loaded.path))}: 870,109 positions added,"
        rf" none already present; created 6,203 resolutions and {len(file_counts.members)} members "
        r"\(\d+\.\d s\)\."
    )
    assert re.fullmatch(pattern, line), line


def test_a_second_import_adds_nothing(loaded: Loaded) -> None:
    line = only_line(loaded.second)
    pattern = (
        rf"Imported 870,109 rows read from {re.escape(str(loaded.path))}: nothing added, "
        r"870,109 positions already present \(\d+\.\d s\)\."
    )
    assert re.fullmatch(pattern, line), line


def test_every_roll_call_has_the_counts_of_the_file(
    loaded: Loaded, file_counts: FileCounts
) -> None:
    with closing(sqlite3.connect(loaded.db)) as conn:
        rows = conn.execute(
            "SELECT r.code, p.position, count(*) FROM position p"
            " JOIN resolution r ON r.id = p.resolution_id"
            " WHERE p.kind = 'official' GROUP BY r.code, p.position"
        ).fetchall()
        total = conn.execute("SELECT count(*) FROM position").fetchone()[0]
    in_db: dict[str, Counter[str]] = {}
    for code, position, count in rows:
        in_db.setdefault(str(code), Counter())[str(position)] = int(count)
    assert total == ROWS
    assert set(in_db) == set(file_counts.by_call)
    differing = [rcid for rcid, counts in file_counts.by_call.items() if in_db[rcid] != counts]
    assert differing == []


def chosen_calls(file_counts: FileCounts) -> list[str]:
    """Five roll calls: the first, the last, the most divided, the most abstentions, the
    closest."""
    calls = sorted(file_counts.by_call, key=int)
    by = file_counts.by_call
    return [
        calls[0],
        calls[-1],
        max(calls, key=lambda rcid: (by[rcid]["no"], rcid)),
        max(calls, key=lambda rcid: (by[rcid]["abstain"], rcid)),
        min(calls, key=lambda rcid: (abs(by[rcid]["yes"] - by[rcid]["no"]), rcid)),
    ]


def test_tally_of_chosen_roll_calls_matches_the_file(
    loaded: Loaded, file_counts: FileCounts
) -> None:
    chosen = chosen_calls(file_counts)
    assert len(set(chosen)) == 5
    for rcid in chosen:
        shown = json.loads(
            ok(oastrack("--db", loaded.db, "tally", rcid, "--format", "json")).stdout
        )
        expected = file_counts.by_call[rcid]
        counts = shown["counts"]
        assert (counts["yes"], counts["no"], counts["abstain"]) == (
            expected["yes"],
            expected["no"],
            expected["abstain"],
        ), rcid
        assert (shown["rule"], shown["official"]) == ("simple", True), rcid
        verdict = "passes" if expected["yes"] > expected["no"] else "fails"
        assert shown["verdict"] == verdict, rcid
