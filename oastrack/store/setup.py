"""`oastrack init`: the schema at the newest migration, and the OAS reference data."""

from __future__ import annotations

import json
from dataclasses import dataclass

from oastrack.store import schema
from oastrack.store.db import Database
from oastrack.store.snapshot import LoadReport, load_document


@dataclass(frozen=True)
class InitReport:
    before: str | None
    after: str
    seeded: LoadReport | None


def init(db: Database, *, seed: bool, analyst: str) -> InitReport:
    """Create or upgrade the schema, then load data/seed.json (what is there already stays)."""
    before, after = schema.upgrade(db)
    seeded = None
    if seed:
        with schema.seed_path().open(encoding="utf-8") as handle:
            document = json.load(handle)
        seeded = db.write(lambda: load_document(db, document, analyst))
    return InitReport(before, after, seeded)
