"""What retractions cost the reads: `tally` of one roll call and `align US` over the whole UNGA
data set, before retractions existed and after (every count now skips retracted records), and
after with 1,000 retractions in the table. Whole processes, the versions alternated.

Usage: python benchmarks/retraction_bench.py OLD_CHECKOUT [RUNS]
OLD_CHECKOUT is a work tree of a commit before retractions (git worktree add DIR COMMIT); both
run with this environment's interpreter and dependencies, each from its own source tree, each on
a database it built itself (the schemas differ).
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

from _common import HERE, WORK, record, run
from import_bench import IMPORT_ARGS

OLD = Path(sys.argv[1]).resolve()
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 7
NEW = HERE.parent
LAUNCH = (
    "import sys; sys.path.insert(0, {tree!r}); from oastrack.cli.launch import main;"
    " sys.argv[0] = 'oastrack'; main()"
)
ROLL_CALL = "9001"


def command(tree: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCH.format(tree=str(tree)), *args]


def build(tree: Path, name: str) -> str:
    path = WORK / name
    if path.exists():
        return str(path)
    meeting = ["meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10", "--rule", "simple"]
    for args in (["init", "--no-seed"], meeting, IMPORT_ARGS):
        subprocess.run(command(tree, "--db", str(path), *args), check=True, capture_output=True)
    return str(path)


def retract_some(tree: Path, source: str, name: str, count: int) -> str:
    """A copy of the database with `count` official records retracted (the latest of members
    on the most recent roll calls), by the command itself."""
    path = WORK / name
    if path.exists():
        return str(path)
    subprocess.run(["cp", source, str(path)], check=True)
    conn = sqlite3.connect(path)
    pairs = conn.execute(
        "SELECT r.code, m.code FROM position p JOIN resolution r ON r.id = p.resolution_id"
        " JOIN member m ON m.id = p.member_id ORDER BY p.id DESC LIMIT ?",
        (count,),
    ).fetchall()
    conn.close()
    by_resolution: dict[str, list[str]] = {}
    for resolution, member in pairs:
        by_resolution.setdefault(resolution, []).append(member)
    for resolution, members in by_resolution.items():
        subprocess.run(
            command(tree, "--db", str(path), "retract", resolution, *members),
            check=True,
            capture_output=True,
        )
    return str(path)


def main() -> None:
    WORK.mkdir(exist_ok=True)
    before_db = build(OLD, "retraction-before.db")
    after_db = build(NEW, "retraction-after.db")
    retracted_db = retract_some(NEW, after_db, "retraction-1000.db", 1000)
    setups = {
        "before": (OLD, before_db),
        "after": (NEW, after_db),
        "after, 1,000 retracted": (NEW, retracted_db),
    }
    cases = {
        f"tally {ROLL_CALL} --format json": ["tally", ROLL_CALL, "--format", "json"],
        "align US --format json": ["align", "US", "--format", "json"],
    }
    lines = [
        f"The UNGA data set (870,109 official records). Whole processes, median of {RUNS}"
        " alternated runs, the same interpreter and dependencies, each version from its own"
        " source tree on a database it built.",
        "",
        "| command | " + " | ".join(setups) + " | after / before |",
        "| --- | " + " | ".join("---" for _ in setups) + " | --- |",
    ]
    for name, args in cases.items():
        samples: dict[str, list[float]] = {label: [] for label in setups}
        for tree, db in setups.values():
            run(command(tree, "--db", db, *args))  # warm the caches
        for _ in range(RUNS):
            for label, (tree, db) in setups.items():
                samples[label].append(run(command(tree, "--db", db, *args))[0])
        medians = {label: statistics.median(found) for label, found in samples.items()}
        shown = " | ".join(f"{m * 1000:,.0f} ms" for m in medians.values())
        lines.append(
            f"| `oastrack {name}` | {shown} | {medians['after'] / medians['before']:.2f}x |"
        )
    record("Reads before and after retractions", lines)


if __name__ == "__main__":
    main()
