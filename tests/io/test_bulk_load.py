"""A bulk import into an empty `position` table loads the rows first and builds the table's
indexes afterwards (SQLite); what a user sees is the same as with the indexes in place: the
same rows, the same ids in file order, duplicates of the file counted once, a second import
adding nothing, and the tally reading through its index."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from oastrack.store.columns import POSITION_INDEXES
from oastrack.store.positions import PositionWriter
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

HEADER = "resolution,member,position,recorded_at,note"
ROWS = [
    "R1,AAA,yes,2020-01-01T10:00,",
    "R1,BBB,no,2020-01-01T10:00,",
    "R2,AAA,abstain,2020-01-02T10:00,",
    "R1,AAA,no,2020-01-01T12:00,changed its mind",  # later: must get the higher id
    "R2,BBB,yes,2020-01-02T10:00,",
    "R2,CCC,no,2020-01-02T10:00,",
]
UNIQUE = "uq_position_resolution_id_member_id_fingerprint"
ARGS = ("--kind", "official", "--create-missing", "--meeting", "UN-1")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows each load into an empty table added (the writer stages from 2 rows on)."""
    monkeypatch.setattr(PositionWriter, "CHUNK", 2)
    added: list[int] = []
    load_empty = PositionWriter._load_empty

    def spy(self: PositionWriter, in_file_order: str, insert: str) -> int:
        added.append(load_empty(self, in_file_order, insert))
        return added[-1]

    monkeypatch.setattr(PositionWriter, "_load_empty", spy)
    return added


@pytest.fixture
def empty(cli: Cli, empty_db: str, loads: list[int]) -> str:
    """A database with a meeting and no position."""
    for command in (
        ("init", "--no-seed"),
        ("meeting", "add", "UN-1", "--org", "UNX", "--start", "2020-01-01"),
    ):
        run = cli("--db", empty_db, *command)
        assert run.exit_code == 0, run.stderr
    assert support.count(empty_db, "position") == 0
    return empty_db


def _import(cli: Cli, db: str, path: Path, lines: list[str]) -> Run:
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    return cli("--db", db, "import", "positions", str(path), *ARGS)


def _indexes(db: str) -> set[str]:
    if support.is_postgresql(db):
        found = support.query(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'position'")
    else:
        found = support.query(
            db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'position'"
        )
    return {str(name) for (name,) in found} - {"pk_position", "sqlite_autoindex_position_1"}


def _rows(db: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (str(r), str(m), str(p), n)
        for r, m, p, n in support.query(
            db,
            "SELECT r.code, m.code, p.position, p.note FROM position p"
            " JOIN resolution r ON r.id = p.resolution_id JOIN member m ON m.id = p.member_id"
            " ORDER BY p.id",
        )
    ]


def test_an_import_into_an_empty_table_keeps_file_order_and_the_indexes(
    cli: Cli, empty: str, tmp_path: Path, loads: list[int]
) -> None:
    run = _import(cli, empty, tmp_path / "votes.csv", ROWS)
    assert run.exit_code == 0, run.stderr
    assert "6 positions added, none already present" in run.stderr
    assert loads == ([] if support.is_postgresql(empty) else [6])
    expected = [
        ("R1", "AAA", "yes", None),
        ("R1", "BBB", "no", None),
        ("R2", "AAA", "abstain", None),
        ("R1", "AAA", "no", "changed its mind"),
        ("R2", "BBB", "yes", None),
        ("R2", "CCC", "no", None),
    ]
    rows = _rows(empty)

    def by_pair(row: tuple[str, str, str, str | None]) -> tuple[str, str]:
        return row[0], row[1]

    # A member's records of one resolution in file order, on both back ends; SQLite's load
    # into the empty table numbers every row in file order.
    assert sorted(rows, key=by_pair) == sorted(expected, key=by_pair)
    if not support.is_postgresql(empty):
        assert rows == expected
    assert _indexes(empty) == set(POSITION_INDEXES)
    tally = cli("--db", empty, "tally", "R1", "--format", "json")
    assert tally.exit_code == 0, tally.stderr
    assert json.loads(tally.stdout)["counts"]["no"] == 2  # AAA's later record counts

    again = _import(cli, empty, tmp_path / "votes.csv", ROWS)
    assert again.exit_code == 0, again.stderr
    assert "nothing added, 6 positions already present" in again.stderr, again.stderr
    assert support.count(empty, "position") == 6
    assert len(loads) <= 1  # the table was no longer empty


def test_a_record_twice_in_the_file_is_added_once(
    cli: Cli, empty: str, tmp_path: Path, loads: list[int]
) -> None:
    """The unique index cannot be built over the file's own duplicate: the load is undone and
    the rows go in with the indexes in place, which keeps the first."""
    run = _import(cli, empty, tmp_path / "votes.csv", [*ROWS, ROWS[1]])
    assert run.exit_code == 0, run.stderr
    assert "6 positions added, 1 position already present" in run.stderr, run.stderr
    assert loads == ([] if support.is_postgresql(empty) else [6])
    assert [row[:2] for row in _rows(empty)].count(("R1", "BBB")) == 1
    assert _indexes(empty) == set(POSITION_INDEXES)
    # The index is still unique: the same record logged by hand adds nothing.
    vote = cli("--db", empty, "vote", "R1", "no", "BBB", "--official", "--at", "2020-01-01T10:00")
    assert vote.exit_code == 0, vote.stderr
    assert support.count(empty, "position") == 6


def test_a_dry_run_into_an_empty_table_leaves_it_as_it_was(
    cli: Cli, empty: str, tmp_path: Path
) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    run = cli("--db", empty, "import", "positions", str(path), *ARGS, "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert support.count(empty, "position") == 0
    assert _indexes(empty) == set(POSITION_INDEXES)


def test_the_tally_reads_through_the_unique_index(
    cli: Cli, empty: str, tmp_path: Path, loads: list[int]
) -> None:
    lines = [
        f"R{r},M{m:03d},{('yes', 'no', 'abstain')[(r + m) % 3]},2020-01-01T10:00,"
        for r in range(20)
        for m in range(100)
    ]
    run = _import(cli, empty, tmp_path / "votes.csv", lines)
    assert run.exit_code == 0, run.stderr
    assert loads == ([] if support.is_postgresql(empty) else [2000])
    query = (
        "SELECT member_id, position FROM position WHERE resolution_id ="
        " (SELECT id FROM resolution WHERE code = 'R7')"
    )
    if support.is_postgresql(empty):
        plan = " ".join(str(row[0]) for row in support.query(empty, f"EXPLAIN {query}"))
        assert f"Index Scan on {UNIQUE}" in plan or f"Index Scan using {UNIQUE}" in plan, plan
    else:
        details = [str(row[-1]) for row in support.query(empty, f"EXPLAIN QUERY PLAN {query}")]
        assert any(line.startswith(f"SEARCH position USING INDEX {UNIQUE} ") for line in details), (
            details
        )
    tally = cli("--db", empty, "tally", "R7", "--format", "json")
    assert tally.exit_code == 0, tally.stderr
    counts = json.loads(tally.stdout)["counts"]
    assert [counts["yes"], counts["no"], counts["abstain"]] == [
        sum(1 for m in range(100) if (7 + m) % 3 == k) for k in range(3)
    ]
