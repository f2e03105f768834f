"""Start-up: `oastrack --version` and `--help` against `sqlite-utils --version`, whole process.

Goal: `oastrack --version` no slower than `sqlite-utils --version` (median of several runs).
Usage: python benchmarks/startup_bench.py [RUNS]
"""

from __future__ import annotations

import sys

from _common import median_time, record, tool

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def main() -> None:
    oastrack, sqlite_utils = tool("oastrack"), tool("sqlite-utils")
    median_time([oastrack, "--version"], 2)  # warm the file cache and the .pyc files
    median_time([sqlite_utils, "--version"], 2)
    figures = {}
    # Alternate the commands so that a busy moment of the machine hurts both alike.
    samples: dict[str, list[float]] = {
        "oastrack --version": [],
        "sqlite-utils --version": [],
        "oastrack --help": [],
    }
    for _ in range(RUNS):
        samples["oastrack --version"].append(median_time([oastrack, "--version"], 1))
        samples["sqlite-utils --version"].append(median_time([sqlite_utils, "--version"], 1))
        samples["oastrack --help"].append(median_time([oastrack, "--help"], 1))
    import statistics

    for name, values in samples.items():
        figures[name] = statistics.median(values)
    ratio = figures["oastrack --version"] / figures["sqlite-utils --version"]
    record(
        "Start-up",
        [
            f"Median of {RUNS} runs each, whole process, commands alternated.",
            "",
            "| command | median |",
            "| --- | --- |",
            *(f"| `{name}` | {seconds * 1000:.0f} ms |" for name, seconds in figures.items()),
            "",
            f"`oastrack --version` / `sqlite-utils --version` = **{ratio:.2f}** (goal ≤ 1.00).",
            "",
            "`--version` is answered before the commands are loaded (`oastrack/cli/launch.py`); "
            "`--help` loads every command and Rich, and neither imports SQLAlchemy or Alembic "
            "(tests/cli/test_startup.py checks that).",
        ],
    )


if __name__ == "__main__":
    main()
