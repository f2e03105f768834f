"""The database as a user meets it: private files, the schema check, and targets refused.

Every command refuses a database whose schema it does not know, and leaves it as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from oastrack.errors import DatabaseError
from oastrack.store import schema
from oastrack.store.db import Database, parse_target
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

# Every command that opens a database, with arguments that would succeed on the seed.
COMMANDS: list[list[str]] = [
    ["init"],
    ["init", "--no-seed"],
    ["db", "upgrade"],
    ["member", "list"],
    ["member", "show", "ARG"],
    ["member", "add", "XYZ", "--name", "Xyzland", "--org", "OAS", "--start", "2020-01-01"],
    ["member", "end", "ARG", "--org", "OAS", "--on", "2030-01-01"],
    ["bloc", "leave", "ALBA", "BOL", "--on", "2030-01-01"],
    ["bloc", "list"],
    ["bloc", "show", "ALBA"],
    ["bloc", "add", "TB", "--name", "Test bloc", "-m", "ARG"],
    ["meeting", "list"],
    ["meeting", "show", "GA-47"],
    ["meeting", "add", "GA-99", "--org", "OAS", "--start", "2030-01-01"],
    ["resolution", "list"],
    ["resolution", "show", "MOC29-COMPROMISE"],
    ["resolution", "add", "R-9", "--meeting", "GA-47", "--title", "T"],
    ["resolution", "status", "MOC29-COMPROMISE", "adopted"],
    ["resolution", "set", "MOC29-COMPROMISE", "--title", "T"],
    ["retract", "MOC29-COMPROMISE", "ARG"],
    ["vote", "MOC29-COMPROMISE", "yes", "ATG"],
    ["history", "MOC29-COMPROMISE"],
    ["tally", "MOC29-COMPROMISE"],
]


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def display(target: str) -> str:
    return parse_target(target).display


def stamp(target: str, revision: str) -> None:
    support.query(target, "UPDATE alembic_version SET version_num = ?", (revision,))


# -- file permissions -------------------------------------------------------------------------


def test_new_sqlite_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    previous = os.umask(0o022)  # a usual umask: files would be world-readable by default
    try:
        db = Database.open(parse_target(str(path)), create=True)
        try:
            db.write(lambda: db.execute("CREATE TABLE note (text TEXT)"))
            db.write(lambda: db.execute("INSERT INTO note VALUES (?)", ("secret",)))
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        finally:
            db.close()
    finally:
        os.umask(previous)


def test_opening_a_missing_file_without_create_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(DatabaseError) as error:
        Database.open(parse_target(str(path)))
    assert error.value.message == f"no database at {path}"
    assert not path.exists()


# -- the schema check -------------------------------------------------------------------------


def test_newer_schema_is_refused_by_every_command_and_left_untouched(
    cli: Cli, seeded_db: str
) -> None:
    stamp(seeded_db, "9999")
    where = display(seeded_db)
    path = None if support.is_postgresql(seeded_db) else Path(seeded_db)
    image = path.read_bytes() if path else None
    counts = support.row_counts(seeded_db)

    refused_wrongly = []
    for command in COMMANDS:
        run = cli("--db", seeded_db, *command)
        first = lines(run.stderr)[0] if lines(run.stderr) else ""
        if (
            run.exit_code != 1
            or not first.startswith(f"Error: {where} is at schema revision 9999")
            or "newer" not in first
            or run.stdout
        ):
            refused_wrongly.append((command, run.exit_code, run.stderr))
    assert refused_wrongly == []

    if path is not None:
        assert path.read_bytes() == image
        wal = Path(f"{path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    assert support.row_counts(seeded_db) == counts
    assert support.query(seeded_db, "SELECT version_num FROM alembic_version") == [("9999",)]

    run = cli("--db", seeded_db, "db", "current")
    assert run.exit_code == 0
    assert run.stdout == f"9999 (unknown to this oastrack {schema.HEAD}: newer code wrote it)\n"


def test_db_current_at_head_then_an_older_schema_asks_for_db_upgrade(
    cli: Cli, seeded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli("--db", seeded_db, "db", "current")
    assert (run.exit_code, run.stdout) == (0, f"{schema.HEAD} (head)\n")
    before = support.row_counts(seeded_db)
    run = cli("--db", seeded_db, "db", "upgrade")
    assert run.exit_code == 0, run.stderr
    assert lines(run.stderr) == [f"Already at the newest revision ({schema.HEAD})."]
    assert support.row_counts(seeded_db) == before

    # an older revision this code knows: simulated with a revision before the first
    head = schema.HEAD
    monkeypatch.setattr(schema, "REVISIONS", ("0000", *schema.REVISIONS))
    stamp(seeded_db, "0000")
    where = display(seeded_db)

    db = Database.open(parse_target(seeded_db))
    try:
        with pytest.raises(DatabaseError) as error:
            schema.check(db)
    finally:
        db.close()
    assert error.value.message == (
        f"{where} is at schema revision 0000, older than this oastrack ({head})"
    )
    assert error.value.hint == f"upgrade it with: oastrack --db {where} db upgrade"

    run = cli("--db", seeded_db, "tally", "MOC29-COMPROMISE")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        f"Error: {where} is at schema revision 0000, older than this oastrack ({head})",
        f"Hint: upgrade it with: oastrack --db {where} db upgrade",
    ]
    current = cli("--db", seeded_db, "db", "current")
    assert current.stdout == f"0000 (older than head {head}: run oastrack db upgrade)\n"


def test_a_target_without_a_schema_asks_for_init(cli: Cli, empty_db: str) -> None:
    where = display(empty_db)
    run = cli("--db", empty_db, "tally", "MOC29-COMPROMISE")
    assert run.exit_code == 1
    assert run.stdout == ""
    if support.is_postgresql(empty_db):
        assert lines(run.stderr) == [
            f"Error: {where} has no oastrack schema",
            f"Hint: create it with: oastrack --db {where} init",
        ]
        assert support.tables(empty_db) == []
    else:
        assert lines(run.stderr) == [
            f"Error: no database at {where}",
            f"Hint: create it with: oastrack --db {where} init",
        ]
        assert not Path(empty_db).exists()


def test_an_empty_sqlite_file_asks_for_init(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    run = cli("--db", str(path), "member", "list")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        f"Error: {path} has no oastrack schema",
        f"Hint: create it with: oastrack --db {path} init",
    ]


def test_a_file_that_is_not_a_database(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the tables you are looking for\n" * 200)
    before = path.read_bytes()
    run = cli("--db", str(path), "member", "list")
    assert run.exit_code == 1
    assert lines(run.stderr) == [f"Error: cannot open {path}: file is not a database"]
    assert path.read_bytes() == before


def test_sqlite_urls_and_paths_name_the_same_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "url.db"
    assert cli("--db", f"sqlite:///{path}", "init").exit_code == 0
    assert path.is_file()
    run = cli("--db", str(path), "db", "current")
    assert run.stdout == f"{schema.HEAD} (head)\n"


# -- targets refused --------------------------------------------------------------------------


def test_unsupported_database(cli: Cli) -> None:
    run = cli("--db", "mysql://x", "member", "list")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        "Error: unsupported database 'mysql://x'",
        "Hint: use a SQLite path or URL (sqlite:///x.db) or postgresql+psycopg://user@host/db",
    ]
    run = cli("--db", "mysql://ann:hunter2@db.example/x", "init")
    assert run.exit_code == 1
    assert "hunter2" not in run.stdout + run.stderr
    assert lines(run.stderr)[0] == "Error: unsupported database 'mysql://ann:***@db.example/x'"


@pytest.mark.parametrize(
    "command", [["member", "list"], ["init"], ["db", "current"], ["tally", "MOC29-COMPROMISE"]]
)
def test_a_password_never_shows_when_the_server_refuses(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    url = "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/nope"
    run = cli("--db", url, *command)
    assert run.exit_code == 1
    assert "s3cret" not in run.stdout + run.stderr
    assert lines(run.stderr)[0].startswith(
        "Error: cannot connect to postgresql+psycopg://postgres:***@127.0.0.1:1/nope: "
    )
    assert "Traceback" not in run.stderr
    # the same from the environment
    monkeypatch.setenv("OASTRACK_DB", url)
    run = cli(*command)
    assert run.exit_code == 1
    assert "s3cret" not in run.stdout + run.stderr


@pytest.mark.postgres
def test_a_password_never_shows_when_the_database_is_missing(cli: Cli, pg_server: str) -> None:
    from tests.conftest import PG_URL

    scheme, rest = PG_URL.split("://", 1)
    userinfo, _, hostpart = rest.rpartition("@")
    host = hostpart.rsplit("/", 1)[0]
    user = userinfo.split(":", 1)[0] or "postgres"
    url = f"{scheme}://{user}:s3cret@{host}/oastrack_no_such_database"
    run = cli("--db", url, "member", "list")
    assert run.exit_code == 1
    assert "s3cret" not in run.stdout + run.stderr
    assert lines(run.stderr)[0].startswith(f"Error: cannot connect to {scheme}://{user}:***@")
