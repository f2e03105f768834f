"""`align --matrix` over the whole UNGA data set against numpy computing the same matrix.

Whole process against whole process, alternated: `oastrack align --matrix --format csv` and
`numpy_agreement.py` (sqlite3 + numpy, the same definition: each member's latest live official
record per roll call, compared when both voted yes, no or abstain). Both print the matrix of
counts; the benchmark checks that they are the same before timing. For contrast, `align A B` for
20 pairs, one process each, as an analyst would have built the matrix before.
Goal: `align --matrix` within 1.5x of numpy.
Usage: python benchmarks/align_matrix_bench.py [ROUNDS]
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import statistics
import subprocess
import sys
import time

from _common import HERE, UNGA_VOTES, WORK, record, run, tool
from import_bench import IMPORT_ARGS

DATABASE = WORK / "align-matrix.db"
# What the database was built from: rebuilt when the arguments, the data or the schema change.
KEY_FILE = WORK / "align-matrix.key"
MEETING = ["meeting", "add", "UNGA", "--org", "UN", "--start", "1946-01-10", "--rule", "simple"]
PAIRS = 20


def build_key() -> str:
    versions = sorted(p.name for p in (HERE.parent / "migrations" / "versions").glob("*.py"))
    stat = UNGA_VOTES.stat()
    text = repr((IMPORT_ARGS, MEETING, versions, stat.st_size, stat.st_mtime_ns))
    return hashlib.sha256(text.encode()).hexdigest()


def database(oastrack: str) -> str:
    """The UNGA data imported into SQLite, reused while its key file matches."""
    key = build_key()
    if DATABASE.exists() and KEY_FILE.exists() and KEY_FILE.read_text() == key:
        return str(DATABASE)
    WORK.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (WORK / f"{DATABASE.name}{suffix}").unlink(missing_ok=True)
    KEY_FILE.unlink(missing_ok=True)
    for args in (["init", "--no-seed"], MEETING, IMPORT_ARGS):
        subprocess.run([oastrack, "--db", str(DATABASE), *args], check=True, capture_output=True)
    KEY_FILE.write_text(key)
    return str(DATABASE)


def output(cmd: list[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def same_matrices(oastrack: str, db: str, numpy: list[str]) -> dict[str, list[list[str]]]:
    """Both sides' matrices of shares and counts, which must be the same, cell for cell."""
    found = {}
    for cells in ("share", "agreed", "compared"):
        ours = output(
            [oastrack, "--db", db, "align", "--matrix", "--format", "csv", "--cells", cells]
        )
        theirs = output([*numpy, "--cells", cells])
        if ours != theirs:
            raise SystemExit(f"the matrices of {cells} differ between oastrack and numpy")
        found[cells] = list(csv.reader(io.StringIO(ours)))
    return found


def check_rows(
    oastrack: str, db: str, matrices: dict[str, list[list[str]]], codes: list[str]
) -> None:
    """`align CODE` (one member with all) gives the matrix's row of that member."""
    header = matrices["agreed"][0]
    for code in codes:
        row = header.index(code)
        agreed, compared = matrices["agreed"][row], matrices["compared"][row]
        found = json.loads(output([oastrack, "--db", db, "align", code, "--format", "json"]))
        mine = {r["other"]: (r["agreed"], r["compared"]) for r in found}
        expected = {
            other: (int(agreed[i]), int(compared[i]))
            for i, other in enumerate(header)
            if i and other != code and int(compared[i])
        }
        if mine != expected:
            raise SystemExit(f"align {code} differs from its row of the matrix")


def timed(cmds: list[list[str]]) -> float:
    started = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not UNGA_VOTES.exists():
        raise SystemExit(f"the UNGA data is not at {UNGA_VOTES}")
    oastrack = tool("oastrack")
    db = database(oastrack)
    numpy = [sys.executable, str(HERE / "numpy_agreement.py"), db]
    matrices = same_matrices(oastrack, db, numpy)
    members = len(matrices["share"]) - 1
    # The 20 members who voted most often (then by code): the analyst's usual suspects.
    compared = matrices["compared"]
    voted = sorted(range(1, members + 1), key=lambda i: (-int(compared[i][i]), compared[0][i]))
    twenty = [compared[0][i] for i in voted[:PAIRS]]
    check_rows(oastrack, db, matrices, twenty[:3])
    ours: list[float] = []
    theirs: list[float] = []
    matrix_cmd = [oastrack, "--db", db, "align", "--matrix", "--format", "csv"]
    for round_ in range(rounds):
        ours.append(run(matrix_cmd)[0])
        theirs.append(run(numpy)[0])
        print(
            f"round {round_ + 1}: align --matrix {ours[-1]:.2f} s, numpy {theirs[-1]:.2f} s",
            flush=True,
        )
    # For contrast, once: the matrix by hand, 20 members with all others, and 20 pairs.
    each = timed([[oastrack, "--db", db, "align", code, "--format", "csv"] for code in twenty])
    pairs = [(twenty[0], other) for other in twenty[1:]] + [(twenty[1], twenty[2])]
    by_pair = timed([[oastrack, "--db", db, "align", a, b, "--format", "csv"] for a, b in pairs])
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    ratios = [o / t for o, t in zip(ours, theirs, strict=True)]
    record(
        "align --matrix against numpy",
        [
            f"The agreement of every pair of the {members} members over the 870,109 UNGA votes "
            f"(6,203 roll calls) in one SQLite database, {rounds} rounds alternated, whole "
            "processes; measured while other work ran on the machine, so the ratios of "
            "alternated runs are what counts. Both sides print the same CSV matrix (checked "
            "cell for cell, shares and counts, before timing; `align CODE` checked against its "
            "row for three members).",
            "",
            "| command | median time |",
            "| --- | --- |",
            f"| numpy (`numpy_agreement.py`: sqlite3 rows, members x roll calls, matrix "
            f"products) | {theirs_s:.2f} s |",
            f"| `oastrack align --matrix --format csv` | {ours_s:.2f} s |",
            f"| `oastrack align CODE` for 20 members, one after the other (once) | {each:.1f} s |",
            f"| `oastrack align A B` for 20 pairs, one after the other (once) | {by_pair:.1f} s |",
            "",
            f"align --matrix / numpy = **{ours_s / theirs_s:.2f}x** (goal within 1.5x); per "
            f"round {', '.join(f'{r:.2f}' for r in ratios)}. The whole matrix takes "
            f"{each / ours_s:.0f}x less time than 20 rows of it with `align CODE`.",
        ],
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        print(database(tool("oastrack")))
    else:
        main()
