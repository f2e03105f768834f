"""Tally: `oastrack tally` of one roll call on a database holding the whole UNGA data set,
against a bare `sqlite-utils query` on the same file, whole process against whole process.

Goal: oastrack at most 1.5x the bare query. Also shows that the latest-position query uses an
index, never a scan of all positions.
Usage: python benchmarks/tally_bench.py [RUNS]   (builds benchmarks/work/unga.db if missing)
"""

from __future__ import annotations

import sqlite3
import statistics
import sys

from _common import WORK, record, run, tool
from import_bench import IMPORT_ARGS

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
ROLL_CALL = "9001"  # a roll call of the 2010s, ~190 votes
QUERY = (
    "SELECT position, count(*) FROM position WHERE resolution_id ="
    " (SELECT id FROM resolution WHERE code = :code) GROUP BY position"
)
TALLY_SQL = (
    "SELECT member_id, position, kind, recorded_at, confidence, id FROM position"
    " WHERE resolution_id = ?"
)


def main() -> None:
    oastrack, sqlite_utils = tool("oastrack"), tool("sqlite-utils")
    WORK.mkdir(exist_ok=True)
    db = WORK / "unga.db"
    if not db.exists():
        run([oastrack, "--db", str(db), "init", "--no-seed"])
        run(
            [
                oastrack,
                "--db",
                str(db),
                "meeting",
                "add",
                "UNGA",
                "--org",
                "UN",
                "--start",
                "1946-01-10",
                "--rule",
                "simple",
            ]
        )
        run([oastrack, "--db", str(db), *IMPORT_ARGS])
    conn = sqlite3.connect(db)
    positions = conn.execute("SELECT count(*) FROM position").fetchone()[0]
    resolution_id = conn.execute(
        "SELECT id FROM resolution WHERE code = ?", (ROLL_CALL,)
    ).fetchone()[0]
    plan = " / ".join(
        row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {TALLY_SQL}", (resolution_id,))
    )
    conn.close()
    ours_cmd = [oastrack, "--db", str(db), "tally", ROLL_CALL, "--format", "json"]
    bare_cmd = [sqlite_utils, "query", str(db), QUERY, "-p", "code", ROLL_CALL]
    for cmd in (ours_cmd, bare_cmd):
        run(cmd)  # warm caches
    table_cmd = [oastrack, "--db", str(db), "tally", ROLL_CALL]
    ours, bare, table = [], [], []
    for _ in range(RUNS):
        ours.append(run(ours_cmd)[0])
        bare.append(run(bare_cmd)[0])
        table.append(run(table_cmd)[0])
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    record(
        "Tally on the whole UNGA data set",
        [
            f"A database of {positions:,} positions; roll call {ROLL_CALL}; median of {RUNS} runs "
            "each, whole processes, alternated.",
            "",
            "| command | median |",
            "| --- | --- |",
            f"| `oastrack tally {ROLL_CALL} --format json` | {ours_s * 1000:.0f} ms |",
            f"| `oastrack tally {ROLL_CALL}` (the Rich table) "
            f"| {statistics.median(table) * 1000:.0f} ms |",
            f"| `sqlite-utils query` (counts of that roll call) | {bare_s * 1000:.0f} ms |",
            "",
            f"oastrack / bare query = **{ours_s / bare_s:.2f}x** (goal ≤ 1.5x).",
            "",
            f"Query plan of the tally's position query: `{plan}`.",
        ],
    )


if __name__ == "__main__":
    main()
