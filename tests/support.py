"""Running oastrack in-process, and looking into a test database behind its back: row counts
and plain queries.

A target is what the tests pass to `--db`: a SQLite file path or a PostgreSQL URL.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from typing import Any

from typer.testing import CliRunner


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@cache
def command() -> Any:
    """The Click command of the oastrack app, built once (building it is two thirds of an
    in-process call's time, and the tests make hundreds of calls). What runs is the same app."""
    from oastrack.cli.app import command as built

    return built()


def invoke(
    *args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None
) -> Run:
    """Run oastrack in-process with the arguments; `env` is set for the run only.

    An exception the command let escape (a traceback a user would see) is raised again here,
    so a test fails on it.
    """
    runner = CliRunner()
    # CliRunner.invoke takes a Typer app and builds its command on every call; its public
    # isolation() and the command's own main() run the command built once.
    with runner.isolation(input=input, env=env) as streams:
        try:
            command().main(args=list(args), prog_name="oastrack")
            exit_code = 0
        except SystemExit as stop:
            code = stop.code
            exit_code = code if isinstance(code, int) else 0 if code is None else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = (
            stream.getvalue().decode(runner.charset, "replace") for stream in streams[:2]
        )
    return Run(exit_code, stdout.replace("\r\n", "\n"), stderr.replace("\r\n", "\n"))


def is_postgresql(target: str) -> bool:
    return target.startswith("postgresql")


def _pg_conninfo(target: str) -> str:
    return "postgresql://" + target.split("://", 1)[1]


def query(target: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement (with `?` placeholders) and return its rows; writes are committed."""
    if is_postgresql(target):
        import psycopg

        with psycopg.connect(_pg_conninfo(target), autocommit=True) as conn:
            found = conn.execute(sql.replace("?", "%s"), params)
            return list(found.fetchall()) if found.description else []
    with closing(sqlite3.connect(target, isolation_level=None)) as lite:
        return list(lite.execute(sql, params).fetchall())


def tables(target: str) -> list[str]:
    if is_postgresql(target):
        rows = query(
            target,
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
        )
    else:
        rows = query(
            target,
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY 1",
        )
    return [str(name) for (name,) in rows]


def row_counts(target: str) -> dict[str, int]:
    """The number of rows in every table of the database (one connection, one statement)."""
    names = tables(target)
    if not names:
        return {}
    union = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{name}\"" for name in names)
    return {str(name): int(n) for name, n in query(target, union)}


def count(target: str, table: str) -> int:
    return int(query(target, f'SELECT count(*) FROM "{table}"')[0][0])


def unga_import_args(meeting: str = "UNGA") -> list[str]:
    """The options that read the UN General Assembly votes file as published (see README)."""
    return [
        "--map",
        "resolution=rcid",
        "--map",
        "member=country_code,country",
        "--map",
        "name=country",
        "--map",
        "position=vote",
        "--kind",
        "official",
        "--create-missing",
        "--meeting",
        meeting,
    ]


def security_council_vote(db: str) -> str:
    """A Security Council draft of 2025 vetoed by Russia, all fifteen members voting (the
    seed's Council of 2025): 12 yes, RUS no, CHN and USA abstaining. Returns its code."""

    def ok(*args: str) -> None:
        run = invoke("--db", db, *args)
        assert run.exit_code == 0, run.stderr

    ok("meeting", "add", "UNSC-9000", "--org", "UNSC", "--start", "2025-02-24")
    ok("resolution", "add", "S-2025-X", "--meeting", "UNSC-9000", "--title",
       "Draft resolution on Ukraine", "--rule", "security-council")  # fmt: skip
    yes = ["DNK", "FRA", "GBR", "GRC", "PAN", "SOM", "DZA", "GUY", "KOR", "SLE", "SVN", "PAK"]
    at = ["--official", "--at", "2025-02-24T15:00"]
    ok("vote", "S-2025-X", "yes", *yes, *at)
    ok("vote", "S-2025-X", "no", "RUS", *at)
    ok("vote", "S-2025-X", "abstain", "CHN", "USA", *at)
    return "S-2025-X"


def general_csv(target: str) -> str:
    """The positions in force as `export positions` writes them, by the general path: one
    item at a time through the csv module, formulas defused (what the fast paths are held to)."""
    import csv
    import io

    from oastrack.core.values import defuse_cell
    from oastrack.io.exporter import items
    from oastrack.io.snapshot import SECTIONS
    from oastrack.store.db import Database, parse_target

    database = Database.open(parse_target(target))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    keys = SECTIONS["positions"]
    writer.writerow(keys)

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        return defuse_cell(value) if isinstance(value, str) else value

    def write() -> None:
        for item in items(database, "positions"):
            writer.writerow([cell(item[key]) for key in keys])

    try:
        database.read(write)
        return buffer.getvalue()
    finally:
        database.close()
