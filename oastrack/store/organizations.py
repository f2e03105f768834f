"""The `organization` table: the bodies members belong to (OAS, UN, …)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from oastrack.errors import NotFound
from oastrack.store.db import Database


def find_id(db: Database, code: str) -> int | None:
    found = db.scalar("SELECT id FROM organization WHERE code = ?", (code,))
    return None if found is None else int(found)


def get_id(db: Database, code: str) -> int:
    """The organization's id; NotFound when no organization has the code."""
    found = find_id(db, code)
    if found is None:
        raise NotFound(
            f"no organization {code!r}", hint="organizations come with members and meetings"
        )
    return found


def ensure(
    db: Database,
    code: str,
    name: str | None = None,
    rule: str = "absolute",
    note: str | None = None,
) -> tuple[int, bool]:
    """The organization's id, creating it (named after its code) when missing; and whether it
    was created."""
    found = find_id(db, code)
    if found is not None:
        return found, False
    created = db.insert(
        "INSERT INTO organization (code, name, rule, note) VALUES (?, ?, ?, ?) RETURNING id",
        (code, name or code, rule, note),
    )
    return created, True


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(code, name, rule, note) of every organization, by code."""
    return db.stream("SELECT code, name, rule, note FROM organization ORDER BY code")
