"""Writer wait: how long another analyst's `oastrack vote` waits while the 870,109 UNGA positions
are imported, and the import's own time, for this tree and for an older one.

The other writer votes in a loop, one whole process per vote, from the moment the import starts
to its end; each vote's wall time is taken, and a vote run alone gives the baseline. Both trees
run with this environment's Python; the older one from a git worktree put first on PYTHONPATH.
Usage: python benchmarks/writer_wait_bench.py [OLD_TREE] [ROUNDS]
(e.g. `git worktree add /tmp/before d599d70` for the tree before imports staged their rows).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import UNGA_VOTES, WORK, record, run
from import_bench import IMPORT_ARGS  # the README's import of the UN votes

OLD = sys.argv[1] if len(sys.argv) > 1 else None
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
THIS = str(Path(__file__).resolve().parent.parent)
ENV = {"OASTRACK_BUSY_TIMEOUT_MS": "600000", "OASTRACK_ANALYST": "bench"}


def oastrack(tree: str) -> tuple[list[str], dict[str, str]]:
    """The command that runs oastrack from a source tree, and its environment."""
    # -P: not the current directory first on sys.path, so PYTHONPATH chooses the tree.
    return [sys.executable, "-P", "-m", "oastrack"], {**ENV, "PYTHONPATH": tree}


def template() -> str:
    path = WORK / "wait-template.db"
    for suffix in ("", "-wal", "-shm"):
        (WORK / f"wait-template.db{suffix}").unlink(missing_ok=True)
    cmd, env = oastrack(THIS)
    db = ["--db", str(path)]
    for args in (
        ["init", "--no-seed"],
        ["meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10", "--rule", "simple"],
        ["member", "add", "WRT", "--name", "Writer", "--org", "WO"],
        ["meeting", "add", "WM", "--org", "WO", "--start", "2000-01-01"],
        ["resolution", "add", "WR", "--meeting", "WM", "--title", "The other analyst's draft"],
    ):
        run([*cmd, *db, *args], env=env)
    run(
        [
            sys.executable,
            "-c",
            f"import sqlite3; sqlite3.connect({str(path)!r}).execute("
            "'PRAGMA wal_checkpoint(TRUNCATE)')",
        ]
    )
    return str(path)


def fresh(source: str, name: str) -> str:
    for suffix in ("", "-wal", "-shm"):
        (WORK / f"{name}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, WORK / name)
    return str(WORK / name)


def vote(tree: str, db: str, i: int) -> float:
    cmd, env = oastrack(tree)
    at = f"2000-01-01T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
    seconds, _ = run([*cmd, "--db", db, "vote", "WR", "yes", "WRT", "--at", at], env=env)
    return seconds


def with_writer(tree: str, db: str) -> tuple[float, list[float]]:
    """The import's time, and the wall time of each vote made while it ran."""
    cmd, env = oastrack(tree)
    started = time.perf_counter()
    importing = subprocess.Popen(
        [*cmd, "--db", db, *IMPORT_ARGS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
    )
    waits: list[float] = []
    i = 0
    while importing.poll() is None:
        i += 1
        waits.append(vote(tree, db, i))
    _, err = importing.communicate()
    if importing.returncode != 0:
        raise SystemExit(f"the import failed:\n{err.decode()}")
    return time.perf_counter() - started, waits


def alone(tree: str, db: str) -> float:
    cmd, env = oastrack(tree)
    return run([*cmd, "--db", db, *IMPORT_ARGS], env=env)[0]


def main() -> None:
    if not UNGA_VOTES.exists():
        raise SystemExit(f"the UNGA data is not at {UNGA_VOTES}")
    if OLD is None or not Path(OLD, "oastrack").is_dir():
        raise SystemExit("usage: writer_wait_bench.py OLD_TREE [ROUNDS]")
    WORK.mkdir(exist_ok=True)
    base = template()
    trees = {"before": OLD, "after": THIS}
    baseline = {
        name: statistics.median(vote(tree, base, 100 + k) for k in range(5))
        for name, tree in trees.items()
    }
    imports: dict[str, list[float]] = {name: [] for name in trees}
    busy: dict[str, list[float]] = {name: [] for name in trees}
    waits: dict[str, list[float]] = {name: [] for name in trees}
    for round_ in range(ROUNDS):
        for name, tree in trees.items():
            imports[name].append(alone(tree, fresh(base, f"wait-{name}.db")))
            seconds, found = with_writer(tree, fresh(base, f"wait-{name}.db"))
            busy[name].append(seconds)
            waits[name].extend(found)
            print(
                f"round {round_ + 1} {name}: import alone {imports[name][-1]:.1f} s, "
                f"with a writer {seconds:.1f} s, {len(found)} votes, longest {max(found):.1f} s",
                flush=True,
            )
    rows = []
    for name in trees:
        longest = max(waits[name])
        rows.append(
            f"| {name} | {statistics.median(imports[name]):.1f} s "
            f"| {statistics.median(busy[name]):.1f} s | {len(waits[name])} "
            f"| {baseline[name]:.2f} s | {statistics.median(waits[name]):.2f} s "
            f"| {longest:.1f} s |"
        )
    ratio = statistics.median(imports["after"]) / statistics.median(imports["before"])
    record(
        "Writer wait during a UNGA import",
        [
            f"870,109 rows from `un_votes.csv.gz` (the README's import, `--create-missing`), "
            f"{ROUNDS} rounds, before and after alternated, whole processes, fresh SQLite "
            "database each time. Before: the tree at d599d70, where an import read its input "
            "inside the write transaction; after: this tree, which reads, checks and stages the "
            "rows first and takes the write lock only to merge. Meanwhile another process runs "
            "`oastrack vote` in a loop, one process per vote; a vote alone is the baseline.",
            "",
            "| tree | import alone (median) | import with the writer | votes during it "
            "| a vote alone | a vote during the import (median) | longest vote |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Import time after / before = **{ratio:.2f}x** (goal: no more than ~1.10x).",
        ],
    )


if __name__ == "__main__":
    main()
