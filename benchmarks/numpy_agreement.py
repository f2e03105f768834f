"""The agreement of every pair of members with numpy: the reference `align --matrix` is timed
against (see align_matrix_bench.py). Not part of oastrack, which never imports numpy.

The same definition as `oastrack align`: each member's latest live official record on a roll
call is its vote (latest time, then highest id; a retracted record counts nowhere); two members
are compared on a roll call when both voted yes, no or abstain, and agree when alike.
Prints the matrix as `align --matrix --format csv` does: a header of codes, one row per member,
each cell the share rounded half up to 4 decimals (empty when never compared), or with
`--cells agreed|compared` the counts.
Usage: python benchmarks/numpy_agreement.py DATABASE [--cells share|agreed|compared]
"""

from __future__ import annotations

import csv
import itertools
import sqlite3
import sys

import numpy as np

# Codes of positions: 1 yes, 2 no, 3 abstain, 0 any other (not having voted).
RECORDS = (
    "SELECT p.resolution_id, p.member_id,"
    " CASE p.position WHEN 'yes' THEN 1 WHEN 'no' THEN 2 WHEN 'abstain' THEN 3 ELSE 0 END"
    " FROM position p WHERE p.kind = 'official'"
    " AND NOT EXISTS (SELECT 1 FROM retraction t WHERE t.position_id = p.id)"
)
DETAILS = (
    "SELECT p.recorded_at, p.id,"
    " CASE p.position WHEN 'yes' THEN 1 WHEN 'no' THEN 2 WHEN 'abstain' THEN 3 ELSE 0 END"
    " FROM position p WHERE p.kind = 'official' AND p.resolution_id = ? AND p.member_id = ?"
    " AND NOT EXISTS (SELECT 1 FROM retraction t WHERE t.position_id = p.id)"
)


def main() -> None:
    database = sys.argv[1]
    cells = sys.argv[sys.argv.index("--cells") + 1] if "--cells" in sys.argv else "share"
    conn = sqlite3.connect(database)
    # Straight from the cursor into an array (a list of tuples first is half as fast again).
    flat = np.fromiter(itertools.chain.from_iterable(conn.execute(RECORDS)), dtype=np.int64)
    records = flat.reshape(-1, 3)
    roll_calls, rc_index = np.unique(records[:, 0], return_inverse=True)
    member_ids, m_index = np.unique(records[:, 1], return_inverse=True)
    votes = np.zeros((len(member_ids), len(roll_calls)), dtype=np.int8)
    votes[m_index, rc_index] = records[:, 2]
    # A member with several live official records on a roll call: the latest is its vote.
    keys = m_index.astype(np.int64) * len(roll_calls) + rc_index
    unique_keys, counts = np.unique(keys, return_counts=True)
    for key in unique_keys[counts > 1]:
        member, roll_call = divmod(int(key), len(roll_calls))
        found = conn.execute(DETAILS, (int(roll_calls[roll_call]), int(member_ids[member])))
        votes[member, roll_call] = max(found.fetchall())[2]
    planes = [(votes == code).astype(np.float64) for code in (1, 2, 3)]
    voted = planes[0] + planes[1] + planes[2]
    agreed = sum(plane @ plane.T for plane in planes).round().astype(np.int64)
    compared = (voted @ voted.T).round().astype(np.int64)
    codes = dict(conn.execute("SELECT id, code FROM member").fetchall())
    names = [codes[int(i)] for i in member_ids]
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["member", *(names[i] for i in order)])
    for i in order:
        if cells == "agreed":
            shown = [str(agreed[i, j]) for j in order]
        elif cells == "compared":
            shown = [str(compared[i, j]) for j in order]
        else:
            # Half up to 4 decimals, in integers: (2 * 10000 * agreed + compared) // (2 * compared)
            scaled = (20000 * agreed[i, order] + compared[i, order]) // np.maximum(
                2 * compared[i, order], 1
            )
            shown = [
                f"{s // 10000}.{s % 10000:04d}" if c else ""
                for s, c in zip(scaled.tolist(), compared[i, order].tolist(), strict=True)
            ]
        writer.writerow([names[i], *shown])


if __name__ == "__main__":
    main()
