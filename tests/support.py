"""Looking into a test database behind oastrack's back: row counts and plain queries.

A target is what the tests pass to `--db`: a SQLite file path or a PostgreSQL URL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from typing import Any


def is_postgresql(target: str) -> bool:
    return target.startswith("postgresql")


def _pg_conninfo(target: str) -> str:
    return "postgresql://" + target.split("://", 1)[1]


def query(target: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement (with `?` placeholders) and return its rows; writes are committed."""
    if is_postgresql(target):
        import psycopg

        with psycopg.connect(_pg_conninfo(target), autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []
    with closing(sqlite3.connect(target, isolation_level=None)) as conn:
        cursor = conn.execute(sql, params)
        return list(cursor.fetchall())


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
