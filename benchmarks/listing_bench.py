"""Listings and the first query after an import, on the UN General Assembly data, before and after.

1. `resolution list` (6,203 roll calls) as a table, as JSON, and as a table piped into `head -2`.
   Goal: the table within 2x of the JSON.
2. `align US` right after a fresh UN import (the README's three imports), on PostgreSQL and on
   SQLite. Goal: PostgreSQL within 2x of SQLite on the same data.

Each figure is measured with the code before the change (a source tree of that commit, e.g.
`git worktree add /tmp/before d599d70`) and with this tree, whole processes, the same
interpreter and dependencies. The PostgreSQL align before the change took minutes: it is run
once, with a time limit.
Usage: python benchmarks/listing_bench.py BEFORE_TREE [RUNS]
   (PostgreSQL: OASTRACK_BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import SHARED, WORK, record

HERE = Path(__file__).resolve().parent.parent
UNGA = SHARED / "unga"
PG = os.environ.get("OASTRACK_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
ALIGN_LIMIT = 1800.0  # seconds: the PostgreSQL align before the change, at most
IMPORTS = [
    [
        "import",
        "meetings",
        str(UNGA / "un_roll_calls.csv.gz"),
        "--map",
        "code=session",
        "--map",
        "start=date",
        "--set",
        "org=UN",
        "--set",
        "rule=simple",
        "--set",
        "body=General Assembly",
    ],
    [
        "import",
        "resolutions",
        str(UNGA / "un_roll_calls.csv.gz"),
        "--map",
        "code=rcid",
        "--map",
        "meeting=session",
        "--map",
        "title=short,descr,unres,rcid",
    ],
    [
        "import",
        "positions",
        str(UNGA / "un_votes.csv.gz"),
        "--map",
        "resolution=rcid",
        "--map",
        "member=country_code,country",
        "--map",
        "name=country",
        "--map",
        "position=vote",
        "--kind",
        "official",
        "--create-missing",
    ],
]


def oastrack(tree: Path, db: str, *args: str) -> list[str]:
    """The command line of oastrack from a source tree (its package first on the path)."""
    return ["env", f"PYTHONPATH={tree}", sys.executable, "-m", "oastrack", "--db", db, *args]


def timed(cmd: list[str], *, limit: float | None = None, head: bool = False) -> float:
    """Wall seconds of a whole process (with its output to a pipe read to the end, or into
    `head -2`); raises on failure, returns `limit` when it is reached (the process is ended)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    if head:
        reader = subprocess.Popen(["head", "-2"], stdin=process.stdout, stdout=subprocess.DEVNULL)
        process.stdout.close()  # head alone holds the pipe: when it exits, the writer sees EPIPE
        reader.wait()
        process.wait()
        return time.perf_counter() - started
    try:
        _, error = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return float(limit or 0)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[4:])} failed:\n{error.decode()}")
    return time.perf_counter() - started


def pg_database(name: str) -> str:
    import psycopg

    admin = PG.replace("postgresql+psycopg://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def fresh_import(tree: Path, db: str) -> float:
    """The README's UN import into an empty database; returns its wall seconds."""
    seconds = timed(oastrack(tree, db, "init", "--no-seed"))
    for args in IMPORTS:
        seconds += timed(oastrack(tree, db, *args))
    return seconds


def sqlite_database(name: str) -> str:
    for suffix in ("", "-wal", "-shm"):
        (WORK / f"{name}{suffix}").unlink(missing_ok=True)
    return str(WORK / name)


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    before, after = Path(sys.argv[1]).resolve(), HERE
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not (before / "oastrack").is_dir():
        raise SystemExit(f"no oastrack source tree at {before}")
    WORK.mkdir(exist_ok=True)
    trees = {"before": before, "after": after}

    # -- align right after a fresh import --------------------------------------------------
    align: dict[str, dict[str, float]] = {}
    imported: dict[str, dict[str, float]] = {}
    for label, tree in trees.items():
        lite = sqlite_database(f"listing-{label}.db")
        pg = pg_database(f"oastrack_bench_listing_{label}")
        imported[label] = {"sqlite": fresh_import(tree, lite), "postgresql": fresh_import(tree, pg)}
        align[label] = {
            "sqlite": timed(oastrack(tree, lite, "align", "US", "--format", "json")),
            "postgresql": timed(
                oastrack(tree, pg, "align", "US", "--format", "json"), limit=ALIGN_LIMIT
            ),
        }
        print(label, "import", imported[label], "align", align[label], flush=True)

    # -- resolution list, on the database the import after the change made ------------------
    db = str(WORK / "listing-after.db")
    commands = {
        "table": (["resolution", "list"], False),
        "json": (["resolution", "list", "--format", "json"], False),
        "table | head -2": (["resolution", "list"], True),
    }
    listing: dict[str, dict[str, list[float]]] = {
        label: {name: [] for name in commands} for label in trees
    }
    for tree in trees.values():
        timed(oastrack(tree, db, "resolution", "list", "--format", "json"))  # warm the cache
    for _ in range(runs):
        for label, tree in trees.items():
            for name, (args, head) in commands.items():
                listing[label][name].append(timed(oastrack(tree, db, *args), head=head))
    median = {
        label: {name: statistics.median(times) for name, times in by_name.items()}
        for label, by_name in listing.items()
    }
    for label in trees:
        print(label, "listing", median[label], flush=True)

    def ratio(label: str) -> str:
        return f"{median[label]['table'] / median[label]['json']:.2f}x"

    def capped(seconds: float) -> str:
        return f"> {ALIGN_LIMIT:.0f} s (stopped)" if seconds >= ALIGN_LIMIT else f"{seconds:.1f} s"

    lines = [
        f"`resolution list` on the UN database (6,203 roll calls, 870,109 votes), stdout a pipe"
        f" (the plain table), median of {runs} alternated runs; before = d599d70, after = this"
        " tree, same interpreter and dependencies.",
        "",
        "| command | before | after |",
        "| --- | --- | --- |",
        *(
            f"| `{shown}` | {median['before'][name]:.2f} s | {median['after'][name]:.2f} s |"
            for name, shown in (
                ("table", "resolution list"),
                ("json", "resolution list --format json"),
                ("table | head -2", "resolution list \\| head -2"),
            )
        ),
        f"| table / JSON | {ratio('before')} | {ratio('after')} |",
        "",
        "Goal: the table within 2x of the JSON.",
        "",
        "`align US --format json` as the first command after a fresh import of the UN data (the"
        " README's three imports into an empty database), once each:",
        "",
        "| | before | after |",
        "| --- | --- | --- |",
        f"| import, SQLite | {imported['before']['sqlite']:.1f} s"
        f" | {imported['after']['sqlite']:.1f} s |",
        f"| import, PostgreSQL | {imported['before']['postgresql']:.1f} s"
        f" | {imported['after']['postgresql']:.1f} s |",
        f"| `align US`, SQLite | {align['before']['sqlite']:.1f} s"
        f" | {align['after']['sqlite']:.1f} s |",
        f"| `align US`, PostgreSQL | {capped(align['before']['postgresql'])}"
        f" | {align['after']['postgresql']:.1f} s |",
        f"| PostgreSQL / SQLite | {align['before']['postgresql'] / align['before']['sqlite']:.0f}x"
        f" | {align['after']['postgresql'] / align['after']['sqlite']:.2f}x |",
        "",
        "Goal: PostgreSQL within 2x of SQLite.",
        "",
        f"Load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (the"
        " machine may be shared: compare the columns of one run, not runs).",
    ]
    record("Listings and the first query after an import", lines)


if __name__ == "__main__":
    main()
