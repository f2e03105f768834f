"""Shared fixtures: a database on each back end, the CLI runner, the shared data sets.

PostgreSQL tests need a server: OASTRACK_TEST_PG_URL, by default
postgresql+psycopg://postgres@127.0.0.1:5432/test (trust authentication). Each test gets a
database of its own, cloned from a seeded template. Without a server they skip, except under CI
(CI=true), where they must run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import Run as Run  # re-exported: the tests annotate with it
from tests.support import invoke

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
UNGA = SHARED / "data" / "unga"
POPOLO = SHARED / "data" / "popolo"
PG_URL = os.environ.get("OASTRACK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
]


def need_unga() -> Path:
    """The UN General Assembly data beside the project; tests skip without it (a user's clone)."""
    if not (UNGA / "un_votes.csv.gz").exists():
        if IN_CI:
            pytest.fail(f"the UNGA data set is missing at {UNGA}: CI must have it")
        pytest.skip(f"the UNGA data set is not at {UNGA} (it lives outside the project)")
    return UNGA


# -- PostgreSQL -------------------------------------------------------------------------------


def _pg_admin_conninfo() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)


def _pg_url_for(database: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin connection string of a PostgreSQL server that answers, or a skip."""
    try:
        import psycopg

        with psycopg.connect(_pg_admin_conninfo(), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # any failure to reach the server
        reason = f"no PostgreSQL server answers at {PG_URL}: {str(error).strip().splitlines()[0]}"
        if IN_CI:
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    yield _pg_admin_conninfo()


def _pg_execute(admin: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """A seeded database that each test's database is cloned from."""
    name = f"oastrack_tpl_{uuid.uuid4().hex[:10]}"
    _pg_execute(pg_server, f'CREATE DATABASE "{name}"')
    url = _pg_url_for(name)
    result = invoke("--db", url, "init")
    assert result.exit_code == 0, result.stderr
    yield name
    _pg_execute(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_database(pg_server: str) -> Iterator[Callable[[str | None], str]]:
    """Make fresh databases (empty, or cloned from a template); dropped after the test."""
    made: list[str] = []

    def make(template: str | None = None) -> str:
        name = f"oastrack_t_{uuid.uuid4().hex[:12]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        _pg_execute(pg_server, f'CREATE DATABASE "{name}"{clause}')
        made.append(name)
        return _pg_url_for(name)

    yield make
    for name in made:
        _pg_execute(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- SQLite -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    result = invoke("--db", str(path), "init")
    assert result.exit_code == 0, result.stderr
    return path


# -- per test ---------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A target with no database yet (SQLite) or an empty database (PostgreSQL)."""
    if backend == "sqlite":
        return str(tmp_path / "oastrack.db")
    make = request.getfixturevalue("pg_database")
    return str(make(None))


@pytest.fixture
def seeded_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database initialised with the OAS seed, on the back end of the test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "oastrack.db"
        shutil.copyfile(template, path)
        path.chmod(0o600)
        return str(path)
    make = request.getfixturevalue("pg_database")
    return str(make(request.getfixturevalue("pg_template")))


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run oastrack in-process: cli("--db", x, "tally", "RES") -> Run(exit_code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("OASTRACK_ANALYST", "tester")
    monkeypatch.delenv("OASTRACK_DB", raising=False)

    def run(*args: str, input: str | bytes | None = None) -> Run:
        return invoke(*args, input=input)

    return run
