"""Fixtures for the import and export tests.

* `cli` runs oastrack in-process through `tests.support.invoke` (as the shared fixture does);
  `invoke` itself serves module fixtures, outside a test function.
* `make_db` makes more databases on the test's back end (a PostgreSQL database costs about two
  seconds to clone and drop, so tests share them where they can).
* `module_db` is one seeded database per back end for a whole module, shared by tests that leave
  it unchanged or only add rows of their own; `seeded_like` makes a fresh one beside it.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKENDS, _pg_execute, _pg_url_for
from tests.support import Run, invoke

ENV = {"COLUMNS": "120", "OASTRACK_ANALYST": "tester", "OASTRACK_DB": None}


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """cli("--db", x, "tally", "RES") -> Run(exit_code, stdout, stderr)."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("OASTRACK_ANALYST", "tester")
    monkeypatch.delenv("OASTRACK_DB", raising=False)

    def run(*args: str, input: str | bytes | None = None) -> Run:
        return invoke(*args, input=input)

    return run


@pytest.fixture
def make_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[bool], str]:
    """Make another database on the test's back end: seeded (a copy of the template) or not.

    An unseeded one is a target with nothing in it yet (SQLite: no file; PostgreSQL: an empty
    database); run `init --no-seed` on it for an empty schema.
    """

    def make(seeded: bool) -> str:
        if backend == "sqlite":
            path = tmp_path / f"extra-{uuid.uuid4().hex[:8]}.db"
            if seeded:
                template: Path = request.getfixturevalue("sqlite_template")
                shutil.copyfile(template, path)
                path.chmod(0o600)
            return str(path)
        pg_database = request.getfixturevalue("pg_database")
        template_name = request.getfixturevalue("pg_template") if seeded else None
        return str(pg_database(template_name))

    return make


@pytest.fixture
def seeded_like(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """A fresh seeded database on the same back end as a given one (for module_db's tests)."""

    def make(db: str) -> str:
        if db.startswith("postgresql"):
            pg_database = request.getfixturevalue("pg_database")
            return str(pg_database(request.getfixturevalue("pg_template")))
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"like-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(template, path)
        path.chmod(0o600)
        return str(path)

    return make


@pytest.fixture(scope="module", params=BACKENDS)
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A seeded database shared by the tests of one module, on each back end."""
    backend: Any = request.param
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path_factory.mktemp("module-db") / "oastrack.db"
        shutil.copyfile(template, path)
        path.chmod(0o600)
        yield str(path)
        return
    server: str = request.getfixturevalue("pg_server")
    template_name: str = request.getfixturevalue("pg_template")
    name = f"oastrack_m_{uuid.uuid4().hex[:12]}"
    _pg_execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    try:
        yield _pg_url_for(name)
    finally:
        _pg_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
