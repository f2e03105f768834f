"""A full disk is reported as a full disk, with nothing written, and every layer's error as
one line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oastrack.errors import DatabaseError
from oastrack.store import db as dbmodule
from oastrack.store.db import Database, parse_target, translate_error
from tests import support
from tests.conftest import ROOT, Run

Cli = Callable[..., Run]
SEEDED = {"organization": 3, "member": 70, "position": 34}


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def seeded_counts(target: str) -> dict[str, int]:
    counts = support.row_counts(target)
    return {table: counts.get(table, 0) for table in SEEDED}


def oastrack(*args: str, before_seed: str = "") -> subprocess.Popen[str]:
    """The real command in a process of its own; `before_seed` runs between the schema and the
    seed (`init` reaches it only after its migrations)."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import oastrack.io.seed as seed
        def interrupted(*args, **kwargs):
            {before_seed or "return real(*args, **kwargs)"}
        real = seed.load_file
        seed.load_file = interrupted
        from oastrack.cli.app import main
        sys.argv = ["oastrack", *sys.argv[1:]]
        main()
        """
    )
    env = {**os.environ, "OASTRACK_ANALYST": "tester", "COLUMNS": "120"}
    env.pop("OASTRACK_DB", None)
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- a full disk ------------------------------------------------------------------------------


def disk_of(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every SQLite file oastrack opens can grow to `pages` pages, as if the disk were full."""
    connect = dbmodule._connect_sqlite

    def small(target: Any, *, create: bool) -> sqlite3.Connection:
        conn = connect(target, create=create)
        conn.execute(f"PRAGMA max_page_count = {pages:d}")
        return conn

    monkeypatch.setattr(dbmodule, "_connect_sqlite", small)


def test_a_full_disk_during_a_write(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> None:
    path = tmp_path / "full.db"
    path.write_bytes(sqlite_template.read_bytes())
    before = support.row_counts(str(path))
    pages = int(support.query(str(path), "PRAGMA page_count")[0][0])
    disk_of(monkeypatch, pages)
    note = "x" * 100_000
    run = cli("--db", str(path), "member", "add", "XYZ", "--name", "X", "--note", note)
    assert run.exit_code == 1
    assert lines(run.stderr)[0] == (
        f"Error: the disk holding {path} is full; nothing was written (database or disk is full)"
    )
    assert support.row_counts(str(path)) == before


def test_the_rollback_does_not_hide_the_full_disk(tmp_path: Path, sqlite_template: Path) -> None:
    """SQLite rolls back by itself after a full disk; ROLLBACK then failed with "cannot
    rollback - no transaction is active", and that error was the one reported."""
    path = tmp_path / "full.db"
    path.write_bytes(sqlite_template.read_bytes())
    db = Database.open(parse_target(str(path)))
    try:
        pages = db.scalar("PRAGMA page_count")
        db.execute(f"PRAGMA max_page_count = {pages + 2:d}")

        def fill() -> None:
            for number in range(2000):
                db.execute(
                    "INSERT INTO member (code, name) VALUES (?, ?)", (f"X{number}", "n" * 1000)
                )

        with pytest.raises(DatabaseError) as error:
            db.write(fill)
        assert error.value.message.startswith(f"the disk holding {path} is full")
        assert db.scalar("SELECT count(*) FROM member") == 70
    finally:
        db.close()


# -- every layer's error as one line ----------------------------------------------------------


def test_sqlalchemy_and_alembic_errors_become_one_line(tmp_path: Path) -> None:
    import sqlalchemy.exc
    from alembic.util.exc import CommandError

    lite = sqlite3.connect(tmp_path / "x.db")
    lite.execute("CREATE TABLE t (x TEXT)")
    lite.execute("PRAGMA max_page_count = 2")
    try:
        lite.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    except sqlite3.OperationalError as full:
        wrapped = sqlalchemy.exc.OperationalError("INSERT …", {}, full)
    found = translate_error(wrapped, "x.db")
    assert found is not None
    assert found.message == (
        "the disk holding x.db is full; nothing was written (database or disk is full)"
    )

    found = translate_error(CommandError("Can't locate revision identified by '0099'"), "x.db")
    assert found is not None
    assert found.message == "cannot migrate x.db: Can't locate revision identified by '0099'"

    found = translate_error(sqlalchemy.exc.NoSuchTableError("member"))
    assert found is not None and found.message == "database error: member"


def test_postgresql_errors_become_one_line() -> None:
    psycopg_errors = pytest.importorskip("psycopg.errors")
    found = translate_error(psycopg_errors.DiskFull("could not extend file\nDETAIL: …"), "db")
    assert found is not None
    assert found.message == (
        "the disk of the server holding db is full; nothing was written (could not extend file)"
    )
    found = translate_error(psycopg_errors.InsufficientPrivilege("permission denied"), "db")
    assert found is not None and found.message == "not allowed on db: permission denied"

