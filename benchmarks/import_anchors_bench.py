"""Import of the 870,109 UNGA positions against the engines' own loaders, on both back ends.

Whole process against whole process, alternated, each run on a fresh database:

SQLite: `oastrack import positions` (the README's arguments) against the hand-written floor
(`floor_loader.py`: csv + sqlite3 executemany) into a table without indexes, the same floor
then building the one index a tally needs (resolution, member, time), and the sqlite3 shell's
`.import` of the decompressed file into a table of four text columns (a reference: no checks,
no look-ups, no ids).

PostgreSQL: `oastrack import positions` into a fresh database against `psql \\copy` of the same
rows into the same `position` table (its index, checks and foreign keys), and into that
table without its two foreign keys (a reference: the cost of the checks PostgreSQL makes row
by row). Goals: SQLite ≤ 1.5x the bare floor and ≤ 1.2x the tally-index floor; PostgreSQL
≤ 2x `psql \\copy`.

Usage: python benchmarks/import_anchors_bench.py [ROUNDS]   (default 3)
PostgreSQL: OASTRACK_BENCH_PG, a server URL without a database (default
postgresql://postgres@127.0.0.1:5432); the PostgreSQL part is skipped when psql cannot reach it.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import subprocess
import sys

from _common import UNGA_VOTES, WORK, record, run, tool
from import_bench import IMPORT_ARGS, MEETING_ARGS, fresh_database, sqlite_template

SERVER = os.environ.get("OASTRACK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
PREFIX = "oastrack_bench_import"
COLUMNS = (
    "resolution_id, member_id, position, kind, recorded_at, analyst, confidence, source, note,"
    " fingerprint, logged_at"
)
FOREIGN_KEYS = ("fk_position_member_id_member", "fk_position_resolution_id_resolution")

Timing = tuple[float, int]  # (seconds, peak KiB)


def psql(database: str, *commands: str) -> list[str]:
    cmd = [shutil.which("psql") or "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"]
    cmd.append(f"{SERVER}/{database}")
    for command in commands:
        cmd += ["-c", command]
    return cmd


def sql(database: str, *commands: str) -> None:
    subprocess.run(psql(database, *commands), check=True, capture_output=True)


def postgres_ready() -> bool:
    try:
        sql("postgres", "SELECT 1")
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


def fresh_pg(name: str, template: str) -> str:
    database = f"{PREFIX}_{name}"
    sql(
        "postgres",
        f"DROP DATABASE IF EXISTS {database}",
        f"CREATE DATABASE {database} TEMPLATE {template}",
    )
    return database


def median(runs: list[Timing]) -> float:
    return statistics.median(t for t, _ in runs)


def peak(runs: list[Timing]) -> float:
    return max(m for _, m in runs) / 1024


def sqlite_side(oastrack: str, rounds: int) -> dict[str, list[Timing]]:
    template = sqlite_template(oastrack)
    plain = WORK / "un_votes.csv"
    with gzip.open(UNGA_VOTES, "rb") as packed, plain.open("wb") as out:
        shutil.copyfileobj(packed, out)
    loader = str(WORK.parent / "floor_loader.py")
    sqlite3_shell = shutil.which("sqlite3")
    runs: dict[str, list[Timing]] = {"ours": [], "bare": [], "tally": [], "shell": []}
    for round_ in range(rounds):
        db = fresh_database(template, "oastrack.db")
        runs["ours"].append(run([oastrack, "--db", db, *IMPORT_ARGS]))
        db = fresh_database(template, "bare.db")
        runs["bare"].append(run([sys.executable, loader, db, str(UNGA_VOTES), "--bare"]))
        db = fresh_database(template, "tally.db")
        runs["tally"].append(run([sys.executable, loader, db, str(UNGA_VOTES), "--tally-index"]))
        if sqlite3_shell is not None:
            db = fresh_database(template, "shell.db")
            create = "CREATE TABLE votes (rcid TEXT, country TEXT, country_code TEXT, vote TEXT)"
            runs["shell"].append(
                run([sqlite3_shell, db, create, f".import --csv --skip 1 {plain} votes"])
            )
        print(
            f"SQLite round {round_ + 1}: oastrack {runs['ours'][-1][0]:.2f} s, "
            f"bare floor {runs['bare'][-1][0]:.2f} s, tally-index floor "
            f"{runs['tally'][-1][0]:.2f} s",
            flush=True,
        )
    plain.unlink()
    return runs


def postgres_side(oastrack: str, rounds: int) -> dict[str, list[Timing]]:
    base, full = f"{PREFIX}_base", f"{PREFIX}_full"
    sql("postgres", f"DROP DATABASE IF EXISTS {base}", f"CREATE DATABASE {base}")
    run([oastrack, "--db", f"{SERVER}/{base}", "init", "--no-seed"])
    run([oastrack, "--db", f"{SERVER}/{base}", *MEETING_ARGS])
    # The rows psql loads: the ones oastrack makes of the file, with their members and
    # resolutions already in the database (psql does no look-ups).
    database = fresh_pg("rows", base)
    run([oastrack, "--db", f"{SERVER}/{database}", *IMPORT_ARGS])
    rows = WORK / "positions.tsv"
    sql(database, f"\\copy (SELECT {COLUMNS} FROM position ORDER BY id) TO '{rows}'")
    sql(
        "postgres", f"DROP DATABASE IF EXISTS {full}", f"CREATE DATABASE {full} TEMPLATE {database}"
    )
    sql(full, "TRUNCATE position CASCADE")
    copy = f"\\copy position ({COLUMNS}) FROM '{rows}'"
    runs: dict[str, list[Timing]] = {"ours": [], "copy": [], "nofk": []}
    for round_ in range(rounds):
        database = fresh_pg("ours", base)
        runs["ours"].append(run([oastrack, "--db", f"{SERVER}/{database}", *IMPORT_ARGS]))
        database = fresh_pg("copy", full)
        runs["copy"].append(run(psql(database, copy)))
        database = fresh_pg("nofk", full)
        sql(database, *(f"ALTER TABLE position DROP CONSTRAINT {fk}" for fk in FOREIGN_KEYS))
        runs["nofk"].append(run(psql(database, copy)))
        print(
            f"PostgreSQL round {round_ + 1}: oastrack {runs['ours'][-1][0]:.2f} s, "
            f"psql \\copy {runs['copy'][-1][0]:.2f} s, without foreign keys "
            f"{runs['nofk'][-1][0]:.2f} s",
            flush=True,
        )
    for name in ("base", "full", "rows", "ours", "copy", "nofk"):
        sql("postgres", f"DROP DATABASE IF EXISTS {PREFIX}_{name}")
    rows.unlink()
    return runs


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    if not UNGA_VOTES.exists():
        raise SystemExit(f"the UNGA data is not at {UNGA_VOTES}")
    oastrack = tool("oastrack")
    lite = sqlite_side(oastrack, rounds)
    pg = postgres_side(oastrack, rounds) if postgres_ready() else None
    ours, bare, tally = median(lite["ours"]), median(lite["bare"]), median(lite["tally"])
    lines = [
        f"870,109 rows from `un_votes.csv.gz`, {rounds} rounds alternated, whole processes, "
        "a fresh database for every run; measured while other work ran on the machine "
        "(the ratios of alternated runs are what counts).",
        "",
        "| back end | loader | median time | peak memory |",
        "| --- | --- | --- | --- |",
        f"| SQLite | `oastrack import positions` | {ours:.2f} s | {peak(lite['ours']):.0f} MiB |",
        f"| SQLite | floor: csv + executemany into a table without indexes | {bare:.2f} s "
        f"| {peak(lite['bare']):.0f} MiB |",
        f"| SQLite | the same floor, then the tally's index (resolution, member, time) "
        f"| {tally:.2f} s | {peak(lite['tally']):.0f} MiB |",
    ]
    if lite["shell"]:
        shell = median(lite["shell"])
        lines.append(
            f"| SQLite | reference: `sqlite3` `.import` of the decompressed CSV into 4 text "
            f"columns | {shell:.2f} s | {peak(lite['shell']):.0f} MiB |"
        )
    if pg is not None:
        pg_ours, copy, nofk = median(pg["ours"]), median(pg["copy"]), median(pg["nofk"])
        lines += [
            f"| PostgreSQL | `oastrack import positions` | {pg_ours:.2f} s "
            f"| {peak(pg['ours']):.0f} MiB |",
            f"| PostgreSQL | `psql \\copy` of the same rows into the same `position` table "
            f"| {copy:.2f} s | {peak(pg['copy']):.0f} MiB |",
            f"| PostgreSQL | reference: the same `\\copy` into that table without its two "
            f"foreign keys | {nofk:.2f} s | |",
        ]
    lines += [
        "",
        f"SQLite: oastrack / bare floor = **{ours / bare:.2f}x** (goal ≤ 1.5x); oastrack / "
        f"tally-index floor = **{ours / tally:.2f}x** (goal ≤ 1.2x)"
        + (f"; oastrack / `sqlite3 .import` = {ours / shell:.2f}x" if lite["shell"] else "")
        + ".",
    ]
    if pg is not None:
        lines.append(
            f"PostgreSQL: oastrack / `psql \\copy` = **{pg_ours / copy:.2f}x** (goal ≤ 2x); "
            f"oastrack / `\\copy` without the foreign keys = {pg_ours / nofk:.2f}x."
        )
    else:
        lines.append(f"PostgreSQL: not measured (no server at {SERVER}).")
    record("Import of the UNGA positions against the engines' loaders", lines)


if __name__ == "__main__":
    main()
