"""`init` is one transaction: the schema and the seed are kept together or not at all, two at
once are safe, and a full disk is reported as a full disk, with nothing written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oastrack.errors import DatabaseError
from oastrack.store import db as dbmodule
from oastrack.store import schema
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


# -- all or nothing ---------------------------------------------------------------------------


def test_a_kill_between_the_schema_and_the_seed_leaves_nothing(empty_db: str) -> None:
    killed = oastrack("--db", empty_db, "init", before_seed="os.kill(os.getpid(), signal.SIGKILL)")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert support.tables(empty_db) == []  # not the schema without its data

    again = oastrack("--db", empty_db, "init")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert seeded_counts(empty_db) == SEEDED


def test_an_interrupted_init_leaves_nothing(
    cli: Cli, empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oastrack.io import seed

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(seed, "load_file", interrupted)
    run = cli("--db", empty_db, "init")  # Ctrl-C
    assert run.exit_code == 130
    assert support.tables(empty_db) == []


def test_a_schema_an_older_version_left_without_data_is_seeded(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a kill between the two transactions of an older `init` left: the default database
    is seeded on its next use, and `init` seeds any such database."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = str(tmp_path / "data" / "oastrack" / "oastrack.db")
    assert cli("--db", default, "init", "--no-seed").exit_code == 0
    assert seeded_counts(default) == dict.fromkeys(SEEDED, 0)

    run = cli("member", "list", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert lines(run.stderr)[0].startswith(f"Created the oastrack database at {default} ")
    assert seeded_counts(default) == SEEDED

    other = tmp_path / "other.db"
    assert cli("--db", str(other), "init", "--no-seed").exit_code == 0
    run = cli("--db", str(other), "init")
    assert run.exit_code == 0, run.stderr
    assert seeded_counts(str(other)) == SEEDED


def test_two_inits_at_once(empty_db: str, backend: str) -> None:
    runs = [oastrack("--db", empty_db, "init") for _ in range(3)]
    results = [(run.communicate(timeout=180)[1], run.returncode) for run in runs]
    assert [code for _, code in results] == [0, 0, 0], results
    assert seeded_counts(empty_db) == SEEDED
    assert support.query(empty_db, "SELECT version_num FROM alembic_version") == [(schema.HEAD,)]


# -- a full disk ------------------------------------------------------------------------------


def disk_of(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every SQLite file oastrack opens can grow to `pages` pages, as if the disk were full."""
    connect = dbmodule._connect_sqlite

    def small(target: Any, *, create: bool) -> sqlite3.Connection:
        conn = connect(target, create=create)
        conn.execute(f"PRAGMA max_page_count = {pages:d}")
        return conn

    monkeypatch.setattr(dbmodule, "_connect_sqlite", small)


def test_a_full_disk_during_init(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "full.db"
    disk_of(monkeypatch, 36)  # room for the schema (34 pages), not for the seed
    run = cli("--db", str(path), "init")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        f"Error: the disk holding {path} is full; nothing was written (database or disk is full)",
        "Hint: free some space, then run the command again",
    ]
    assert support.tables(str(path)) == []


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
    with pytest.raises(sqlite3.OperationalError) as full:
        lite.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    lite.close()
    wrapped = sqlalchemy.exc.OperationalError("INSERT …", {}, full.value)
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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 120 kB (a tmpfs), where the system lets the tests mount one."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): the max_page_count test stands")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_really_full_disk_during_init(cli: Cli, small_disk: Path) -> None:
    path = small_disk / "full.db"
    run = cli("--db", str(path), "init")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        f"Error: the disk holding {path} is full; nothing was written (database or disk is full)",
        "Hint: free some space, then run the command again",
    ]
    assert support.tables(str(path)) == []
