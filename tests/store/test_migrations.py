"""The migrations, through pytest-alembic's built-in tests, on both back ends.

pyproject.toml turns off pytest-alembic's own collection (it breaks under pytest 9), so its four
default tests are called here explicitly with the `alembic_runner` fixture, which is built from
the `alembic_config` and `alembic_engine` fixtures defined below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from pytest_alembic.runner import MigrationContext
from pytest_alembic.tests import (
    test_model_definitions_match_ddl as model_definitions_match_ddl,
)
from pytest_alembic.tests import (
    test_single_head_revision as single_head_revision,
)
from pytest_alembic.tests import (
    test_up_down_consistency as up_down_consistency,
)
from pytest_alembic.tests import (
    test_upgrade as upgrade,
)
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from oastrack.store import schema
from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]

TABLES = {
    "alembic_version",
    "bloc",
    "bloc_member",
    "meeting",
    "member",
    "membership",
    "organization",
    "position",
    "resolution",
    "resolution_change",
    "resolution_text",
    "retraction",
    "sponsor",
}


@pytest.fixture
def alembic_config() -> dict[str, Any]:
    return {"script_location": str(schema.migrations_dir())}


@pytest.fixture
def alembic_engine(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Engine]:
    """A SQLAlchemy engine on a fresh, empty database of the test's back end."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'alembic.db'}"
    else:
        make: Callable[[str | None], str] = request.getfixturevalue("pg_database")
        url = make(None)
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


# -- pytest-alembic's built-in tests ----------------------------------------------------------


def test_single_head_revision(alembic_runner: MigrationContext) -> None:
    single_head_revision(alembic_runner)


def test_upgrade(alembic_runner: MigrationContext, alembic_engine: Engine) -> None:
    upgrade(alembic_runner)
    assert alembic_runner.current == schema.HEAD
    assert set(inspect(alembic_engine).get_table_names()) == TABLES


def test_model_definitions_match_ddl(alembic_runner: MigrationContext) -> None:
    model_definitions_match_ddl(alembic_runner)


def test_up_down_consistency(alembic_runner: MigrationContext, alembic_engine: Engine) -> None:
    up_down_consistency(alembic_runner)
    # and all the way down leaves nothing but Alembic's own table
    alembic_runner.migrate_down_to("base", return_current=False)
    assert set(inspect(alembic_engine).get_table_names()) <= {"alembic_version"}


# -- the revisions oastrack knows -------------------------------------------------------------


def script_history() -> list[str]:
    config = AlembicConfig()
    config.set_main_option("script_location", str(schema.migrations_dir()))
    script = ScriptDirectory.from_config(config)
    newest_first = [revision.revision for revision in script.walk_revisions("base", "heads")]
    return list(reversed(newest_first))


def test_revisions_match_the_alembic_history() -> None:
    assert list(schema.REVISIONS) == script_history()


def test_head_is_the_single_alembic_head() -> None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(schema.migrations_dir()))
    assert ScriptDirectory.from_config(config).get_heads() == [schema.HEAD]
    assert schema.REVISIONS[-1] == schema.HEAD


def test_every_migration_file_is_in_the_history() -> None:
    files = sorted(
        path.name.split("_", 1)[0]
        for path in (schema.migrations_dir() / "versions").glob("*.py")
        if not path.name.startswith("__")
    )
    assert files == sorted(schema.REVISIONS)


# -- data survives ----------------------------------------------------------------------------


def test_upgrade_on_a_current_database_keeps_every_row(cli: Cli, seeded_db: str) -> None:
    ok = cli("--db", seeded_db, "vote", "MOC29-CARICOM", "lean-yes", "CARICOM")
    assert ok.exit_code == 0, ok.stderr
    before = support.row_counts(seeded_db)
    assert before["position"] == 34 + 14

    for command in (["db", "upgrade"], ["init"], ["init", "--no-seed"]):
        run = cli("--db", seeded_db, *command)
        assert run.exit_code == 0, run.stderr
        assert support.row_counts(seeded_db) == before, command
    assert support.query(seeded_db, "SELECT version_num FROM alembic_version") == [(schema.HEAD,)]


def test_the_newest_migration_keeps_every_row(cli: Cli, seeded_db: str) -> None:
    """Step the seeded database back one revision, then `db upgrade`: every row is still there."""
    if len(schema.REVISIONS) < 2:
        pytest.skip("a single revision: there is no older schema to upgrade from")
    from alembic import command

    from oastrack.store.db import parse_target

    ok = cli("--db", seeded_db, "vote", "MOC29-CARICOM", "lean-no", "ALBA")
    assert ok.exit_code == 0, ok.stderr
    before = support.row_counts(seeded_db)
    previous = schema.REVISIONS[-2]
    url = parse_target(seeded_db).url
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            command.downgrade(schema.alembic_config(url, connection), previous)
    finally:
        engine.dispose()
    assert support.query(seeded_db, "SELECT version_num FROM alembic_version") == [(previous,)]

    run = cli("--db", seeded_db, "db", "upgrade")
    assert run.exit_code == 0, run.stderr
    assert run.stderr.strip() == f"Upgraded from {previous} to {schema.HEAD}."
    assert support.row_counts(seeded_db) == before
    tally = cli("--db", seeded_db, "tally", "MOC29-COMPROMISE", "--format", "json")
    assert tally.exit_code == 0, tally.stderr
    assert json.loads(tally.stdout)["counts"]["yes"] == 20
