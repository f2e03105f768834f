"""After a bulk import the query planner knows the new rows: ANALYZE on PostgreSQL, a sampled
ANALYZE and PRAGMA optimize on SQLite, run once the import is committed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]


def planned_positions(db: str) -> int | None:
    """The number of positions the planner's statistics hold, or None when it has none."""
    if support.is_postgresql(db):
        (tuples,) = support.query(db, "SELECT reltuples FROM pg_class WHERE relname = 'position'")
        return None if tuples[0] < 0 else int(tuples[0])
    if not support.query(db, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"):
        return None
    found = support.query(
        db,
        "SELECT stat FROM sqlite_stat1"
        " WHERE tbl = 'position' AND idx = 'uq_position_resolution_id_member_id_fingerprint'",
    )
    return int(str(found[0][0]).split()[0]) if found else None


def votes(path: Path, members: list[str]) -> Path:
    lines = ["resolution,member,position,recorded_at"]
    lines += [f"MOC29-ORIGINAL,{code},yes,2017-06-19T09:00:00Z" for code in members]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_an_import_of_positions_leaves_the_planner_knowing_them(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    before = support.count(seeded_db, "position")
    assert planned_positions(seeded_db) is None  # the seed is loaded without statistics
    file = votes(tmp_path / "votes.csv", ["ARG", "BRA", "CHL"])
    dry = cli("--db", seeded_db, "import", "positions", str(file), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert planned_positions(seeded_db) is None
    run = cli("--db", seeded_db, "import", "positions", str(file))
    assert run.exit_code == 0, run.stderr
    assert support.count(seeded_db, "position") == before + 3
    assert planned_positions(seeded_db) == before + 3


def test_a_small_import_of_another_kind_leaves_the_statistics_alone(
    cli: Cli, seeded_db: str, tmp_path: Path
) -> None:
    file = tmp_path / "meetings.csv"
    file.write_text("code,org,start\nGA-99,OAS,2029-06-01\n")
    run = cli("--db", seeded_db, "import", "meetings", str(file))
    assert run.exit_code == 0, run.stderr
    assert planned_positions(seeded_db) is None
