"""`oastrack init`: the schema at the newest migration, and the reference data of data/seed.json,
in one transaction: a kill at any moment leaves the database as it was, or done."""

from __future__ import annotations

from dataclasses import dataclass

from oastrack.io.snapshot_loader import LoadReport, load_file
from oastrack.store import schema
from oastrack.store.db import Database


@dataclass(frozen=True)
class InitReport:
    before: str | None
    after: str
    seeded: LoadReport | None


def init(db: Database, *, seed: bool, analyst: str) -> InitReport:
    """Create or upgrade the schema, then load data/seed.json (what is there already stays)."""
    path = str(schema.seed_path())

    def work() -> InitReport:
        before, after = schema.migrate(db)
        seeded = load_file(db, path, analyst) if seed else None
        return InitReport(before, after, seeded)

    return db.change_schema(work)
