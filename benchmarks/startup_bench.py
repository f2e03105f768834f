"""Start-up of the small commands, whole process against whole process: `--version` (alone and
after `--db`), `--help`, `tally` (JSON and the Rich table) and `vote`, each against a bare
`sqlite-utils query` that counts the same roll call on the same file.

Goals: `oastrack --version` no slower than `sqlite-utils --version`; `tally` and `vote` at most
0.3x `sqlite-utils query`. The commands are alternated round by round (a busy moment of the
machine hurts all alike); the figure of each is the median of RUNS rounds.

The database is the seeded Cancún vote (`oastrack init`: MOC29-COMPROMISE, 34 members), a copy
in benchmarks/work/startup.db made afresh each time; `vote` alternates yes and no for one
member, so that every round logs a change. The package's bytecode is compiled first, as an
installed package has it: without it every run compiles oastrack's sources again (an editable
install under PYTHONDONTWRITEBYTECODE never writes it), which is not what a user waits for.
Usage: python benchmarks/startup_bench.py [RUNS] [LABEL]   (LABEL names the RESULTS.md section)
"""

from __future__ import annotations

import compileall
import shutil
import statistics
import sys
from pathlib import Path

from _common import WORK, record, run, tool

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 21
LABEL = sys.argv[2] if len(sys.argv) > 2 else "now"
RES, MEMBER = "MOC29-COMPROMISE", "HTI"
QUERY = (
    "SELECT position, count(*) FROM position WHERE resolution_id ="
    " (SELECT id FROM resolution WHERE code = :code) GROUP BY position"
)
BARE = "sqlite-utils query"


def main() -> None:
    oastrack, sqlite_utils = tool("oastrack"), tool("sqlite-utils")
    import oastrack as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    WORK.mkdir(exist_ok=True)
    seeded, db = WORK / "startup-seed.db", WORK / "startup.db"
    if not seeded.exists():
        run([oastrack, "--db", str(seeded), "init"])
    for suffix in ("", "-wal", "-shm"):
        (WORK / f"startup.db{suffix}").unlink(missing_ok=True)
    shutil.copyfile(seeded, db)
    on = ["--db", str(db)]
    commands: dict[str, list[str]] = {
        "oastrack --version": [oastrack, "--version"],
        "oastrack --db DB --version": [oastrack, *on, "--version"],
        "oastrack --help": [oastrack, "--help"],
        "oastrack --db DB tally RES --format json": [oastrack, *on, "tally", RES, "-f", "json"],
        "oastrack --db DB tally RES": [oastrack, *on, "tally", RES],
        "oastrack --db DB vote RES POSITION CODE": [],  # yes and no in turn, below
        "sqlite-utils --version": [sqlite_utils, "--version"],
        BARE: [sqlite_utils, "query", str(db), QUERY, "-p", "code", RES],
        # The floor under any Typer command: the interpreter, and the interpreter importing Typer.
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
    }
    vote = "oastrack --db DB vote RES POSITION CODE"
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(RUNS + 1):  # the first round warms the file cache and the .pyc files
        for name, cmd in commands.items():
            if name == vote:
                cmd = [oastrack, *on, "vote", RES, ("yes", "no")[round_ % 2], MEMBER]
            seconds = run(cmd)[0]
            if round_:
                samples[name].append(seconds)
    figures = {name: statistics.median(values) for name, values in samples.items()}
    bare = figures[BARE]
    version = figures["oastrack --version"] / figures["sqlite-utils --version"]
    rows = [
        f"| `{name}` | {seconds * 1000:.0f} ms | {seconds / bare:.2f} |"
        for name, seconds in figures.items()
    ]
    for row in rows:
        print(row)
    record(
        f"Start-up of the small commands ({LABEL})",
        [
            f"The seeded Cancún vote database (`oastrack init`, {RES}); median of {RUNS} rounds, "
            "whole processes, the commands alternated within each round; measured while other "
            "work ran on the machine (the ratios are what counts). `vote` alternates yes and "
            f"no for {MEMBER}.",
            "",
            f"| command | median | ratio to `{BARE}` |",
            "| --- | --- | --- |",
            *rows,
            "",
            f"`oastrack --version` / `sqlite-utils --version` = **{version:.2f}** (goal ≤ 1.00); "
            "goal for `tally` and `vote`: ≤ 0.30 of `sqlite-utils query`. The last two rows are "
            "the floor of a command that keeps Typer: the interpreter alone, and importing Typer "
            "(which a command needs before it can parse its options).",
        ],
    )


if __name__ == "__main__":
    main()
