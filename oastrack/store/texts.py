"""The `resolution_text` table: the versions of a draft's text, and what changed between them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from oastrack.core.findings import TextDiff, TextVersion
from oastrack.core.reports import ResolutionInfo
from oastrack.core.textdiff import diff_words
from oastrack.core.values import as_time, stored_time
from oastrack.errors import InvalidInput, NotFound
from oastrack.store import resolutions
from oastrack.store.db import Database


def _versions(db: Database, resolution_id: int) -> list[int]:
    rows = db.all(
        "SELECT version FROM resolution_text WHERE resolution_id = ? ORDER BY version",
        (resolution_id,),
    )
    return [int(r[0]) for r in rows]


def add_text(
    db: Database, code: str, text: str, *, analyst: str, note: str | None, at: datetime
) -> int:
    """Store the next version of a resolution's text; returns its number (from 1).

    A text identical to the latest version is refused: nothing would change.
    """
    res = resolutions.get(db, code)
    if not text.strip():
        raise InvalidInput("the text is empty; nothing stored")
    latest = db.one(
        "SELECT version, text FROM resolution_text WHERE resolution_id = ?"
        " ORDER BY version DESC LIMIT 1",
        (res.id,),
    )
    if latest is not None and latest[1] == text:
        raise InvalidInput(
            f"the text is identical to version {latest[0]} of {res.code}; nothing stored"
        )
    version = 1 if latest is None else int(latest[0]) + 1
    insert(db, res.id, version, text, stored_time(at), analyst, note)
    return version


def _text_version(db: Database, res: ResolutionInfo, version: int) -> TextVersion:
    row = db.one(
        "SELECT version, text, recorded_at, analyst, note FROM resolution_text"
        " WHERE resolution_id = ? AND version = ?",
        (res.id, version),
    )
    if row is None:
        known = _versions(db, res.id)
        listed = ", ".join(str(v) for v in known) if known else "none yet"
        raise NotFound(f"{res.code} has no version {version} (versions: {listed})")
    return TextVersion(int(row[0]), str(row[1]), as_time(row[2]), str(row[3]), row[4])


def diff_text(db: Database, code: str, old: int | None, new: int | None) -> TextDiff:
    """What changed between two versions of a resolution's text, word by word.

    No versions given: the last two. One given: that one against the latest.
    """
    res = resolutions.get(db, code)
    if old is None or new is None:
        known = _versions(db, res.id)
        if old is None:
            if len(known) < 2:
                count = f"{len(known)} version{'s' if len(known) != 1 else ''}"
                raise InvalidInput(
                    f"{res.code} has {count} of its text: nothing to compare",
                    hint=f"store a new version with: oastrack resolution amend {res.code}"
                    " --text-file FILE",
                )
            old, new = known[-2], known[-1]
        else:
            new = known[-1] if known else old
    first = _text_version(db, res, old)
    second = _text_version(db, res, new)
    return TextDiff(res.code, first, second, diff_words(first.text, second.text))


def exists(db: Database, resolution_id: int, version: int) -> bool:
    found = db.scalar(
        "SELECT id FROM resolution_text WHERE resolution_id = ? AND version = ?",
        (resolution_id, version),
    )
    return found is not None


def insert(
    db: Database,
    resolution_id: int,
    version: int,
    text: str,
    recorded_at: str,
    analyst: str,
    note: str | None,
) -> None:
    db.execute(
        "INSERT INTO resolution_text (resolution_id, version, text, recorded_at, analyst, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (resolution_id, version, text, recorded_at, analyst, note),
    )


def dump(db: Database) -> Iterator[tuple[Any, ...]]:
    """(resolution, version, text, recorded_at, analyst, note) of every version, in order."""
    return db.stream(
        "SELECT r.code, t.version, t.text, t.recorded_at, t.analyst, t.note"
        " FROM resolution_text t JOIN resolution r ON r.id = t.resolution_id"
        " ORDER BY r.code, t.version"
    )
