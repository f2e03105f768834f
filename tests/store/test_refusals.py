"""Targets that cannot be a database: each is refused with one `Error:` line and exit 1, and
nothing is made (an empty `--db` is not the default database).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests import support
from tests.conftest import Run

Cli = Callable[..., Run]


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


# -- targets that cannot hold a database ------------------------------------------------------


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
