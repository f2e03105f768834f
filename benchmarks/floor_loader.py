"""The floor for the import benchmark: a hand-written loader, nothing else.

stdlib csv over the gzip file, codes resolved through dicts (missing members and roll calls
created), the position checked, the date parsed, and sqlite3 `executemany` of tuples in one
transaction — into the same oastrack schema (same table, same index) that oastrack fills.
With --bare it writes into a table with no index but its primary key instead: the cost of the
same rows without the index that makes re-imports idempotent and tallies fast (a reference).
With --tally-index it does the same, then builds the one index a tally needs (resolution,
member, time) over the loaded rows, in the same transaction.
Usage: python floor_loader.py DATABASE un_votes.csv.gz [--bare | --tally-index]
"""

from __future__ import annotations

import csv
import gzip
import sqlite3
import sys
from datetime import UTC, date, datetime

INSERT = (
    "INSERT INTO position (resolution_id, member_id, position, kind, recorded_at, analyst,"
    " confidence, source, note, fingerprint, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
POSITIONS = {"yes", "no", "abstain"}


def main() -> None:
    database, path = sys.argv[1], sys.argv[2]
    tally_index = "--tally-index" in sys.argv[3:]
    bare = tally_index or "--bare" in sys.argv[3:]
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")  # as much page cache as oastrack gives itself
    conn.execute("BEGIN IMMEDIATE")
    insert = INSERT
    if bare:
        conn.execute("CREATE TABLE position_bare AS SELECT * FROM position WHERE 0")
        insert = INSERT.replace("INTO position ", "INTO position_bare ")
    meeting_id, org_id, start = conn.execute(
        "SELECT id, organization_id, start_date FROM meeting WHERE code = 'UNGA'"
    ).fetchone()
    members = dict(conn.execute("SELECT code, id FROM member").fetchall())
    resolutions = dict(conn.execute("SELECT code, id FROM resolution").fetchall())
    rows = []
    serial = 0
    logged = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for rcid, country, country_code, vote in reader:
            if vote not in POSITIONS:
                raise SystemExit(f"bad position {vote!r}")
            recorded = date.fromisoformat(start).isoformat() + " 00:00:00.000000"
            code = (country_code or country).strip().upper()
            member = members.get(code)
            if member is None:
                member = conn.execute(
                    "INSERT INTO member (code, name) VALUES (?, ?) RETURNING id", (code, country)
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO membership (organization_id, member_id, status)"
                    " VALUES (?, ?, 'active')",
                    (org_id, member),
                )
                members[code] = member
            resolution = resolutions.get(rcid)
            if resolution is None:
                resolution = conn.execute(
                    "INSERT INTO resolution (code, meeting_id, title, rule, status)"
                    " VALUES (?, ?, ?, 'simple', 'draft') RETURNING id",
                    (rcid, meeting_id, rcid),
                ).fetchone()[0]
                resolutions[rcid] = resolution
            serial += 1
            rows.append(
                (
                    resolution,
                    member,
                    vote,
                    "official",
                    recorded,
                    "floor",
                    None,
                    None,
                    None,
                    serial,
                    logged,
                )
            )
            if len(rows) >= 50_000:
                conn.executemany(insert, rows)
                rows = []
    conn.executemany(insert, rows)
    if tally_index:
        conn.execute(
            "CREATE INDEX position_bare_tally"
            " ON position_bare (resolution_id, member_id, recorded_at)"
        )
    conn.execute("COMMIT")
    print(serial)


if __name__ == "__main__":
    main()
