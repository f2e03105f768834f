"""Exports of the whole UNGA data set against sqlite3 writing the same rows.

Whole process against whole process, alternated, on the database `align_matrix_bench.py` builds
(the 870,109 UNGA votes in SQLite): `oastrack export positions --format csv` against `sqlite3
-csv` selecting the same columns, joined and ordered the same way; `oastrack export snapshot`
against `sqlite3 -json` selecting every record with its retraction (the bulk of a snapshot).
Goals: positions within 2x, the snapshot within 3x.
Usage: python benchmarks/export_bench.py [ROUNDS] [--before OASTRACK]
  --before OASTRACK   also time another build of oastrack (the code before a change)
"""

from __future__ import annotations

import statistics
import sys

from _common import UNGA_VOTES, record, run, tool
from align_matrix_bench import database

_FROM = (
    " FROM position p JOIN resolution r ON r.id = p.resolution_id"
    " JOIN member m ON m.id = p.member_id LEFT JOIN retraction t ON t.position_id = p.id"
)
_ORDER = " ORDER BY r.code, m.code, p.recorded_at, p.fingerprint"
_COLUMNS = (
    "SELECT r.code AS resolution, m.code AS member, p.position, p.kind, p.recorded_at,"
    " p.analyst, p.confidence, p.source, p.note"
)
POSITIONS = _COLUMNS + _FROM + " WHERE t.id IS NULL" + _ORDER
# The floor under any Python export: the rows read into Python by the sqlite3 module, and
# nothing done with them.
FETCH_ONLY = (
    "import sqlite3, sys\n"
    "cursor = sqlite3.connect(sys.argv[1]).execute(sys.argv[2])\n"
    "while cursor.fetchmany(10000):\n"
    "    pass\n"
)
SNAPSHOT = (
    (_COLUMNS + ", t.retracted_at, t.analyst AS retracted_by, t.note AS retraction_note")
    + _FROM
    + _ORDER
)


def main() -> None:
    args = sys.argv[1:]
    before = None
    if "--before" in args:
        at = args.index("--before")
        before = args[at + 1]
        del args[at : at + 2]
    rounds = int(args[0]) if args else 5
    if not UNGA_VOTES.exists():
        raise SystemExit(f"the UNGA data is not at {UNGA_VOTES}")
    oastrack, sqlite3 = tool("oastrack"), "sqlite3"
    db = database(oastrack)
    sides = {
        "positions": {
            "oastrack": [oastrack, "--db", db, "export", "positions", "--format", "csv"],
            "sqlite3": [sqlite3, "-csv", "-header", db, POSITIONS],
            "fetch": [sys.executable, "-c", FETCH_ONLY, db, POSITIONS],
        },
        "snapshot": {
            "oastrack": [oastrack, "--db", db, "export", "snapshot"],
            "sqlite3": [sqlite3, "-json", db, SNAPSHOT],
        },
    }
    if before:
        sides["positions"]["before"] = [before, *sides["positions"]["oastrack"][1:]]
        sides["snapshot"]["before"] = [before, *sides["snapshot"]["oastrack"][1:]]
    times: dict[tuple[str, str], list[float]] = {}
    memory: dict[tuple[str, str], int] = {}
    for round_ in range(rounds):
        for kind, commands in sides.items():
            for side, cmd in commands.items():
                seconds, peak = run(cmd)
                times.setdefault((kind, side), []).append(seconds)
                memory[(kind, side)] = max(memory.get((kind, side), 0), peak)
                print(f"round {round_ + 1}: {kind} {side} {seconds:.2f} s", flush=True)
    median = {key: statistics.median(values) for key, values in times.items()}

    def ratios(kind: str) -> list[float]:
        return [
            o / s for o, s in zip(times[(kind, "oastrack")], times[(kind, "sqlite3")], strict=True)
        ]

    lines = [
        f"The 870,109 UNGA votes in one SQLite database, {rounds} rounds alternated, whole "
        "processes, output to /dev/null; measured while other work ran on the machine, so the "
        "ratios of alternated runs are what counts. The sqlite3 side selects the same columns, "
        "joined and ordered as the export orders them (times as stored, no defusing).",
        "",
        "| command | median time | peak memory |",
        "| --- | --- | --- |",
    ]
    names = {
        ("positions", "sqlite3"): "`sqlite3 -csv` (the records in force)",
        ("positions", "fetch"): "Python reading the same rows and doing nothing with them",
        ("positions", "oastrack"): "`oastrack export positions --format csv`",
        ("positions", "before"): "the same, before this change",
        ("snapshot", "sqlite3"): "`sqlite3 -json` (every record with its retraction)",
        ("snapshot", "oastrack"): "`oastrack export snapshot`",
        ("snapshot", "before"): "the same, before this change",
    }
    for key, name in names.items():
        if key in median:
            lines.append(f"| {name} | {median[key]:.2f} s | {memory[key] // 1024} MiB |")
    lines.append("")
    for kind, goal in (("positions", 2), ("snapshot", 3)):
        ratio = median[(kind, "oastrack")] / median[(kind, "sqlite3")]
        per_round = ", ".join(f"{r:.2f}" for r in ratios(kind))
        lines.append(
            f"{kind}: oastrack / sqlite3 = **{ratio:.2f}x** (goal within {goal}x); "
            f"per round {per_round}."
        )
        if (kind, "before") in median:
            was = median[(kind, "before")] / median[(kind, "sqlite3")]
            lines.append(f"Before this change: {was:.2f}x.")
        if (kind, "fetch") in median:
            floor = median[(kind, "fetch")] / median[(kind, "sqlite3")]
            lines.append(
                f"Reading the rows into Python alone is {floor:.2f}x sqlite3's whole run: the"
                " floor under an export written in Python."
            )
        lines.append("")
    record("Exports against sqlite3", lines[:-1])


if __name__ == "__main__":
    main()
