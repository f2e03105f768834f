"""Seeing other writers: what the live board polls to know that the records have changed.

On SQLite, `PRAGMA data_version` changes whenever another connection commits a change to the
file. On PostgreSQL, every write of positions or retractions says so with a NOTIFY on one
channel, delivered at commit, carrying the resolution's code (`*` for a bulk import), and a
watcher that has LISTENed reads it.
"""

from __future__ import annotations

from oastrack.store.db import Database

CHANNEL = "oastrack_positions"
ANY = "*"  # the payload of a write that may touch any resolution (an import)


def announce(db: Database, resolution: str) -> None:
    """Tell the watchers, inside the write's transaction, that a resolution's records changed."""
    if db.backend == "postgresql":
        db.scalar("SELECT pg_notify(?, ?)", (CHANNEL, resolution))


class Watcher:
    """Answers `changed()`: has anyone else written records of the resolution since the last
    call? Cheap enough to call twice a second."""

    def __init__(self, db: Database, resolution: str) -> None:
        self.db = db
        self.resolution = resolution
        if db.backend == "postgresql":
            db.execute(f"LISTEN {CHANNEL}")
            self._version = None
        else:
            self._version = db.scalar("PRAGMA data_version")

    def changed(self) -> bool:
        if self.db.backend == "postgresql":
            payloads = self.db.notifications()
            return any(payload in (self.resolution, ANY) for payload in payloads)
        version = self.db.scalar("PRAGMA data_version")
        if version != self._version:
            self._version = version
            return True
        return False
