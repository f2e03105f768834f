"""The revisions this oastrack knows, listed from migrations/versions, and what a database holds:
nothing yet, oastrack's schema, or another application's tables, which are never touched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oastrack.errors import DatabaseError

_PACKAGE = Path(__file__).resolve().parent.parent

# The tables every revision has: a database at an unknown revision that has them is a newer
# oastrack's; one without them is another application's.
CORE_TABLES = frozenset(
    {"organization", "member", "membership", "meeting", "resolution", "position"}
)


def _shipped(inside: str, outside: str) -> Path:
    """A file shipped in the wheel (inside the package) or, in a checkout, at the top."""
    packaged = _PACKAGE / inside
    return packaged if packaged.exists() else _PACKAGE.parent / outside


def migrations_dir() -> Path:
    return _shipped("_migrations", "migrations")


def seed_path() -> Path:
    return _shipped("_data/seed.json", "data/seed.json")


def _listed() -> tuple[str, ...]:
    """The revision of each migration file (`0002_position_logged_at.py` is 0002), in order."""
    versions = migrations_dir() / "versions"
    return tuple(
        sorted(
            path.name.split("_", 1)[0]
            for path in versions.glob("*.py")
            if not path.name.startswith("_")
        )
    )


# Every migration in migrations/versions, oldest first (a test keeps this in step with Alembic).
REVISIONS: tuple[str, ...] = _listed()
HEAD = REVISIONS[-1]


@dataclass(frozen=True)
class Contents:
    """What a database holds, as far as telling whose it is goes."""

    tables: tuple[str, ...]  # every table but alembic_version, sorted
    versions: tuple[str, ...] | None  # the rows of alembic_version; None without that table

    @property
    def revision(self) -> str | None:
        """The one revision the database is stamped with; None when not exactly one."""
        return self.versions[0] if self.versions and len(self.versions) == 1 else None

    @property
    def is_new(self) -> bool:
        """Nothing in it yet: oastrack may create its schema here."""
        return not self.tables and not self.versions


def read_contents(rows: Callable[[str], list[tuple[Any, ...]]], backend: str) -> Contents:
    """Read the table names and the alembic_version rows with `rows` (a query runner)."""
    if backend == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        listing = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    names = sorted(str(name) for (name,) in rows(listing))
    if "alembic_version" not in names:
        return Contents(tuple(names), None)
    found = sorted(str(version) for (version,) in rows("SELECT version_num FROM alembic_version"))
    return Contents(tuple(name for name in names if name != "alembic_version"), tuple(found))


def _names(tables: Sequence[str], most: int = 6) -> str:
    shown = ", ".join(tables[:most])
    return shown if len(tables) <= most else f"{shown} and {len(tables) - most} more"


def _span(known: Sequence[str]) -> str:
    return known[0] if len(known) == 1 else f"{known[0]} to {known[-1]}"


def foreign(contents: Contents, where: str, known: Sequence[str]) -> DatabaseError | None:
    """Why the database is not oastrack's, or None when it is (or is empty, or a newer
    oastrack's: the schema check speaks of those)."""
    tables, versions = contents.tables, contents.versions
    untouched = "it was left untouched"
    hint = "point --db at an oastrack database, or at a new file to create one"
    if versions is None:
        if not tables:
            return None
        return DatabaseError(
            f"{where} is not an oastrack database: it has tables {_names(tables)}; {untouched}",
            hint=hint,
        )
    if not versions:
        if not tables:
            return None
        return DatabaseError(
            f"{where} has an empty alembic_version table beside tables {_names(tables)}: "
            f"oastrack cannot tell whose schema it is; {untouched}",
            hint="if it is an oastrack database, restore it from a backup or a snapshot",
        )
    if len(versions) > 1:
        return DatabaseError(
            f"{where} is not an oastrack database: its alembic_version holds "
            f"{', '.join(versions)}, and oastrack records one revision; {untouched}",
            hint=hint,
        )
    (revision,) = versions
    missing = CORE_TABLES - set(tables)
    if not missing:
        return None  # oastrack's tables: at a revision this code knows, or a newer one
    if revision in known:
        what = f"it is stamped with revision {revision} but lacks oastrack's tables" + (
            f" (it has {_names(tables)})" if tables else ""
        )
    else:
        what = f"its Alembic revision {revision} is foreign (oastrack's are {_span(known)})" + (
            f" and it has tables {_names(tables)}" if tables else ""
        )
    return DatabaseError(f"{where} is not an oastrack database: {what}; {untouched}", hint=hint)
