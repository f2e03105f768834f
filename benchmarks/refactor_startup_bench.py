"""Start-up before and after a change: `oastrack --version` and `oastrack tally` of the seeded
Cancún vote, whole process, the two versions alternated (median of RUNS each).

Usage: python benchmarks/refactor_startup_bench.py OLD_CHECKOUT [RUNS]
OLD_CHECKOUT is a work tree of the older commit (git worktree add DIR COMMIT); both run with
this environment's interpreter and dependencies, each from its own source tree.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from _common import HERE, WORK, record, run

OLD = Path(sys.argv[1]).resolve()
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 21
NEW = HERE.parent
# The tree goes first on sys.path, ahead of the current directory and the installed package.
LAUNCH = (
    "import sys; sys.path.insert(0, {tree!r}); from oastrack.cli.launch import main;"
    " sys.argv[0] = 'oastrack'; main()"
)


def command(tree: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", LAUNCH.format(tree=str(tree)), *args]


def timed(tree: Path, args: list[str]) -> float:
    return run(command(tree, *args))[0]


def main() -> None:
    WORK.mkdir(exist_ok=True)
    databases = {}
    for label, tree in (("before", OLD), ("after", NEW)):
        db = WORK / f"startup-{label}.db"
        db.unlink(missing_ok=True)
        subprocess.run(command(tree, "--db", str(db), "init"), check=True, capture_output=True)
        databases[label] = str(db)
    tally = ["tally", "MOC29-COMPROMISE"]
    cases: dict[str, Callable[[str], list[str]]] = {
        "--version": lambda label: ["--version"],
        "tally MOC29-COMPROMISE --format json": lambda label: [
            "--db", databases[label], *tally, "--format", "json"
        ],
        "tally MOC29-COMPROMISE (table)": lambda label: ["--db", databases[label], *tally],
    }  # fmt: skip
    lines = [
        f"Whole processes, median of {RUNS} alternated runs, the same interpreter and"
        " dependencies, each version from its own source tree.",
        "",
        "| command | before | after | after / before |",
        "| --- | --- | --- | --- |",
    ]
    for name, args in cases.items():
        samples: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(RUNS):
            samples["before"].append(timed(OLD, args("before")))
            samples["after"].append(timed(NEW, args("after")))
        before, after = (statistics.median(samples[k]) for k in ("before", "after"))
        lines.append(
            f"| `oastrack {name}` | {before * 1000:.0f} ms | {after * 1000:.0f} ms |"
            f" {after / before:.2f}x |"
        )
    record("Start-up before and after the house reshaping (one module per table)", lines)


if __name__ == "__main__":
    main()
