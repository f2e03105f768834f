"""Targets that are not an oastrack database, or cannot be one: each is refused with one
`Error:` line and exit 1, and left exactly as it was (the file byte for byte, no -wal beside it).

Also: an empty `--db`, the default data directory's mode, and a role that may not create tables.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from oastrack.store import schema
from oastrack.store.db import parse_target
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

COMMANDS: list[list[str]] = [
    ["init"],
    ["init", "--no-seed"],
    ["db", "upgrade"],
    ["db", "current"],
    ["member", "list"],
    ["vote", "MOC29-COMPROMISE", "yes", "ATG"],
    ["tally", "MOC29-COMPROMISE"],
]
OURS = "bloc, bloc_member, meeting, member, membership, organization and 6 more"
SPAN = f"{schema.REVISIONS[0]} to {schema.HEAD}"


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def foreign_file(path: Path, revisions: tuple[str, ...] | None) -> Path:
    """Another application's SQLite file (rollback journal, as sqlite3 makes them)."""
    with closing(sqlite3.connect(path)) as lite:
        lite.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        lite.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER)")
        lite.execute("INSERT INTO users VALUES (1, 'ann')")
        if revisions is not None:
            lite.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            lite.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in revisions])
        lite.commit()
    return path


def refused_everywhere(cli: Cli, target: str, expected: str) -> None:
    """Every command refuses the target with `expected` as its first line; nothing changes."""
    path = None if support.is_postgresql(target) else Path(target)
    image = digest(path) if path else None
    around = siblings(path) if path else None
    counts = support.row_counts(target)
    wrong = []
    for command in COMMANDS:
        run = cli("--db", target, *command)
        first = lines(run.stderr)[0] if lines(run.stderr) else ""
        if run.exit_code != 1 or first != expected or run.stdout:
            wrong.append((command, run.exit_code, run.stderr))
    assert wrong == []
    if path is not None:
        assert digest(path) == image
        assert siblings(path) == around  # no -wal, -shm or -journal made
    assert support.row_counts(target) == counts


# -- another application's SQLite file --------------------------------------------------------


def test_a_file_with_its_own_tables_is_refused_and_untouched(cli: Cli, tmp_path: Path) -> None:
    path = foreign_file(tmp_path / "shop.db", None)
    refused_everywhere(
        cli,
        str(path),
        f"Error: {path} is not an oastrack database: it has tables orders, users; "
        "it was left untouched",
    )
    with closing(sqlite3.connect(path)) as lite:
        assert lite.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_foreign_alembic_revision_is_called_foreign(cli: Cli, tmp_path: Path) -> None:
    path = foreign_file(tmp_path / "shop.db", ("0099",))
    refused_everywhere(
        cli,
        str(path),
        f"Error: {path} is not an oastrack database: its Alembic revision 0099 is foreign "
        f"(oastrack's are {SPAN}) and it has tables orders, users; it was left untouched",
    )


def test_another_application_at_a_revision_named_like_ours(cli: Cli, tmp_path: Path) -> None:
    path = foreign_file(tmp_path / "shop.db", ("0001",))
    refused_everywhere(
        cli,
        str(path),
        f"Error: {path} is not an oastrack database: it is stamped with revision 0001 but "
        "lacks oastrack's tables (it has orders, users); it was left untouched",
    )


def test_two_revisions_do_not_pass_as_current(cli: Cli, seeded_db: str) -> None:
    support.query(seeded_db, "UPDATE alembic_version SET version_num = '0002'")
    support.query(seeded_db, "INSERT INTO alembic_version VALUES ('0099')")
    where = parse_target(seeded_db).display
    refused_everywhere(
        cli,
        seeded_db,
        f"Error: {where} is not an oastrack database: its alembic_version holds 0002, 0099, "
        "and oastrack records one revision; it was left untouched",
    )


def test_an_empty_alembic_version_table(cli: Cli, seeded_db: str) -> None:
    support.query(seeded_db, "DELETE FROM alembic_version")
    where = parse_target(seeded_db).display
    refused_everywhere(
        cli,
        seeded_db,
        f"Error: {where} has an empty alembic_version table beside tables {OURS}: "
        "oastrack cannot tell whose schema it is; it was left untouched",
    )


@pytest.mark.postgres
def test_a_postgresql_database_of_another_application(
    cli: Cli, pg_database: Callable[[str | None], str]
) -> None:
    url = pg_database(None)
    support.query(url, "CREATE TABLE users (id integer PRIMARY KEY)")
    support.query(url, "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
    support.query(url, "INSERT INTO alembic_version VALUES ('ab12cd34')")
    refused_everywhere(
        cli,
        url,
        f"Error: {parse_target(url).display} is not an oastrack database: its Alembic revision "
        f"ab12cd34 is foreign (oastrack's are {SPAN}) and it has tables users; "
        "it was left untouched",
    )
    assert support.tables(url) == ["alembic_version", "users"]


def test_an_empty_alembic_version_alone_is_a_new_database(cli: Cli, tmp_path: Path) -> None:
    """What an Alembic run killed before its first migration leaves: init carries on."""
    path = tmp_path / "fresh.db"
    with closing(sqlite3.connect(path)) as lite:
        lite.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        lite.commit()
    run = cli("--db", str(path), "init")
    assert run.exit_code == 0, run.stderr
    assert support.query(str(path), "SELECT version_num FROM alembic_version") == [(schema.HEAD,)]


# -- targets that cannot hold a database ------------------------------------------------------


def test_dev_null(cli: Cli) -> None:
    for command in (["init"], ["member", "list"]):
        run = cli("--db", "/dev/null", *command)
        assert run.exit_code == 1
        assert lines(run.stderr) == [
            "Error: /dev/null is not a regular file, so it cannot hold a database"
        ]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("text", ["sqlite:///:memory:", "sqlite://", "sqlite:///", ":memory:"])
def test_a_database_in_memory_is_refused(
    cli: Cli, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("--db", text, "init")
    assert run.exit_code == 1
    assert lines(run.stderr) == [
        f"Error: {text} is a database in memory, gone when the command ends: oastrack keeps "
        "its data in a file or on a PostgreSQL server",
        "Hint: name a file: --db oastrack.db (or sqlite:///oastrack.db)",
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_unparseable_url(cli: Cli) -> None:
    run = cli("--db", "postgresql+psycopg://[::1", "init")
    assert run.exit_code == 1
    assert lines(run.stderr)[0] == (
        "Error: cannot read the database URL 'postgresql+psycopg://[::1': "
        "an IPv6 address opened with '[' is not closed with ']'"
    )


# -- an empty target, and the default directory -----------------------------------------------


def test_an_empty_target_is_refused_not_taken_for_the_default(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    expected = "Error: --db (or OASTRACK_DB) is empty: it names no database"
    cases: list[tuple[list[str], dict[str, str | None]]] = [
        (["--db", "", "init"], {}),
        (["--db", " ", "member", "list"], {}),
        (["init"], {"OASTRACK_DB": ""}),
        (["tally", "MOC29-COMPROMISE"], {"OASTRACK_DB": ""}),
    ]
    for args, env in cases:
        run = support.invoke(*args, env=env)
        assert run.exit_code == 1, (args, env, run.stderr)
        assert lines(run.stderr)[0] == expected
    assert list(tmp_path.iterdir()) == []


def test_the_default_data_directory_is_private_under_any_umask(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    previous = os.umask(0)
    try:
        run = cli("member", "list")
    finally:
        os.umask(previous)
    assert run.exit_code == 0, run.stderr
    home = tmp_path / "data" / "oastrack"
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "oastrack.db").stat().st_mode) == 0o600


# -- a PostgreSQL role that may not create tables ---------------------------------------------


@pytest.mark.postgres
def test_init_as_a_role_without_create(
    cli: Cli, pg_database: Callable[[str | None], str], pg_server: str
) -> None:
    url = pg_database(None)
    role = f"oastrack_reader_{uuid.uuid4().hex[:8]}"
    support.query(url, f'CREATE ROLE "{role}" LOGIN')
    try:
        support.query(url, "REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        scheme, rest = url.split("://", 1)
        as_role = f"{scheme}://{role}@{rest.rpartition('@')[2]}"
        where = parse_target(as_role).display
        run = cli("--db", as_role, "init")
        assert run.exit_code == 1
        assert lines(run.stderr) == [
            f"Error: not allowed on {where}: permission denied for schema public",
            "Hint: connect as a role that holds the privilege (oastrack init needs CREATE on "
            "the schema: run it as the database's owner)",
        ]
        assert support.tables(url) == []
    finally:
        support.query(url, f'DROP ROLE "{role}"')
