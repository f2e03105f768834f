"""The store's rules and listings: the SQL says what the Python says, and listings cost the
same number of queries however much is listed (no query per row)."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oastrack.core import eligibility
from oastrack.io.snapshot import dump_sections, write_snapshot_document
from oastrack.store import blocs, members, resolutions
from oastrack.store.db import Database, parse_target
from oastrack.store.sql import covers, eligible, latest_official
from tests.conftest import ROOT, Run

Cli = Callable[..., Run]


class _Counting:
    """A DB-API connection that counts the statements sent through it."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.statements = 0

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return self.conn.execute(*args, **kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return self.conn.executemany(*args, **kwargs)

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return self.conn.cursor(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


@contextmanager
def counted(target: str) -> Iterator[tuple[Database, _Counting]]:
    db = Database.open(parse_target(target))
    counter = _Counting(db._conn)
    db._conn = counter
    try:
        yield db, counter
    finally:
        db.close()


def statements(target: str, work: Callable[[Database], object]) -> int:
    with counted(target) as (db, counter):
        db.read(lambda: work(db))
        return counter.statements - 2  # BEGIN and COMMIT


def test_the_generated_column_lists_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oastrack.store.gen_columns", "--check"], cwd=ROOT, check=False
    )
    assert result.returncode == 0, "run: python -m oastrack.store.gen_columns"


def _grow(cli: Cli, db: str) -> None:
    """Add blocs, a meeting and resolutions with sponsors: more of everything that is listed."""
    for index in range(5):
        assert (
            cli("--db", db, "bloc", "add", f"XB{index}", "--name", "x", "-m", "ARG").exit_code == 0
        )
    for index in range(6):
        args = ["resolution", "add", f"XR{index}", "--meeting", "GA-47", "--title", "t"]
        assert cli("--db", db, *args, "--sponsor", "ARG", "--sponsor", "CARICOM").exit_code == 0


LISTINGS: dict[str, Callable[[Database], object]] = {
    "bloc list": lambda db: blocs.list_blocs(db, on=None),
    "bloc list --at": lambda db: blocs.list_blocs(db, on=date(2017, 6, 19)),
    "resolution list": lambda db: resolutions.list_resolutions(db, meeting=None),
    "resolution list --meeting": lambda db: resolutions.list_resolutions(db, meeting="GA-47"),
    "meeting show": lambda db: resolutions.show_meeting(db, "GA-47"),
    "resolution show": lambda db: resolutions.show_resolution(db, "MOC29-COMPROMISE"),
    "member list": lambda db: members.list_members(db, org=None, on=date(2017, 6, 19)),
    "export snapshot": lambda db: write_snapshot_document(io.StringIO(), dump_sections(db)),
}


def test_listings_cost_the_same_queries_however_much_they_list(cli: Cli, seeded_db: str) -> None:
    before = {name: statements(seeded_db, work) for name, work in LISTINGS.items()}
    _grow(cli, seeded_db)
    after = {name: statements(seeded_db, work) for name, work in LISTINGS.items()}
    assert after == before
    # And few: a listing is a handful of queries; a snapshot one per section (PostgreSQL
    # opens a cursor per streamed section, counted here too).
    assert max(v for k, v in after.items() if k != "export snapshot") <= 8
    assert after["export snapshot"] <= 2 * 9 + 2


# -- the rules in SQL and in Python agree -----------------------------------------------------

DAYS = st.one_of(st.none(), st.integers(0, 30).map(lambda n: date(2020, 1, 1) + timedelta(n)))
STATUS = st.sampled_from(["active", "active", "suspended", "withdrawn", "non-participating"])
ROWS = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), STATUS, DAYS, DAYS), max_size=8)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, on=st.integers(0, 30).map(lambda n: date(2020, 1, 1) + timedelta(n)))
def test_eligibility_in_sql_is_eligibility_in_python(
    rows: list[tuple[str, str, date | None, date | None]], on: date
) -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE membership (organization_id, member_id, status, start_date, end_date)"
    )
    conn.executemany(
        "INSERT INTO membership VALUES (1, ?, ?, ?, ?)",
        [(m, s, a and a.isoformat(), b and b.isoformat()) for m, s, a, b in rows],
    )
    day = on.isoformat()
    found = {
        r[0]
        for r in conn.execute(
            f"SELECT member_id FROM membership ms WHERE {eligible('ms')}", [day] * 4
        )
    }
    assert found == eligibility.eligible(rows, on)
    covered = {
        i
        for (i,) in conn.execute(
            f"SELECT rowid - 1 FROM membership ms WHERE {covers('ms')}", [day] * 2
        )
    }
    assert covered == {i for i, (_, _, a, b) in enumerate(rows) if eligibility.covers(a, b, on)}


RECORDS = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]), st.integers(0, 3), st.sampled_from(["official", "projection"])
    ),
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(records=RECORDS)
def test_the_latest_record_in_sql_is_the_latest_in_python(
    records: list[tuple[str, int, str]],
) -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE position (id INTEGER PRIMARY KEY, resolution_id, member_id, recorded_at,"
        " kind)"
    )
    conn.executemany(
        "INSERT INTO position (resolution_id, member_id, recorded_at, kind) VALUES (1, ?, ?, ?)",
        [(m, f"2020-01-0{t + 1}", k) for m, t, k in records],
    )
    # Every third record retracted: a retracted record is no one's latest, in SQL or Python.
    conn.execute("CREATE TABLE retraction (id INTEGER PRIMARY KEY, position_id)")
    conn.execute("INSERT INTO retraction (position_id) SELECT id FROM position WHERE id % 3 = 0")
    in_sql = {
        m: i
        for i, m in conn.execute(
            f"SELECT p.id, p.member_id FROM position p WHERE p.kind = 'official'"
            f" AND {latest_official('p')}"
        )
    }
    official = [
        (m, f"2020-01-0{t + 1}", i, i)
        for i, (m, t, k) in enumerate(records, start=1)
        if k == "official" and i % 3 != 0
    ]
    assert in_sql == eligibility.latest(official)
