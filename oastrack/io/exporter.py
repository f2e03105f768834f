"""Bulk export: CSV, JSON (an array) or JSON Lines, streamed from the database.

CSV cells that a spreadsheet would run as a formula are defused with a leading quote (the
import reads them back as they were).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from oastrack.core.values import defuse_cell
from oastrack.errors import InvalidInput
from oastrack.io.snapshot import SECTIONS, dump_sections, write_snapshot_document
from oastrack.store import blocs, members
from oastrack.store.db import Database
from oastrack.store.sql import iso

KINDS = ("members", "blocs", "meetings", "resolutions", "positions", "snapshot")
FORMATS = ("csv", "json", "jsonl")

# The canonical columns of each kind (what `import` reads back); the last three are the
# snapshot's own items.
FIELDS: dict[str, tuple[str, ...]] = {
    "members": ("code", "name", "org", "status", "start", "end", "veto", "weight", "note"),
    "blocs": ("bloc", "name", "member", "start", "end", "note"),
    **{kind: SECTIONS[kind] for kind in ("meetings", "resolutions", "positions")},
}


def items(db: Database, kind: str) -> Iterator[dict[str, Any]]:
    """The rows of one kind, in the canonical columns, in a stable order."""
    if kind == "members":
        for r in members.export_rows(db):
            yield {
                **dict(zip(FIELDS["members"], r, strict=True)),
                "start": iso(r[4]),
                "end": iso(r[5]),
                "veto": None if r[6] is None else bool(r[6]),
            }
    elif kind == "blocs":
        for r in blocs.export_rows(db):
            yield {
                **dict(zip(FIELDS["blocs"], r, strict=True)),
                "start": iso(r[3]),
                "end": iso(r[4]),
            }
    elif kind == "meetings":
        yield from dump_sections(db)["meetings"]
    elif kind == "resolutions":
        for item in dump_sections(db)["resolutions"]:
            item["sponsors"] = ";".join(item["sponsors"])
            yield item
    elif kind == "positions":
        yield from dump_sections(db)["positions"]
    else:
        raise InvalidInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")


def export(db: Database, kind: str, fmt: str, out: IO[str]) -> dict[str, int]:
    """Write one kind to `out`; returns what was written, counted by what it is: members and
    their memberships, blocs and their members, the sections of a snapshot."""
    if kind == "snapshot":
        if fmt == "popolo":
            from oastrack.io.popolo import write_popolo

            return write_popolo(db, out)
        if fmt not in ("json", "snapshot"):
            raise InvalidInput("a snapshot is one JSON document: use --format json or popolo")
        sections = dump_sections(db)
        counted = _Counted(sections)
        write_snapshot_document(out, counted.sections)
        return counted.counts
    if fmt == "popolo":
        raise InvalidInput("--format popolo is for: oastrack export snapshot --format popolo")
    keys = FIELDS[kind]
    tally = _Tally(kind)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for item in items(db, kind):
            writer.writerow([_cell(item.get(key)) for key in keys])
            tally.add(item)
    elif fmt == "jsonl":
        for item in items(db, kind):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            tally.add(item)
    elif fmt == "json":
        out.write("[")
        for item in items(db, kind):
            out.write("\n" if tally.rows == 0 else ",\n")
            out.write(json.dumps(item, ensure_ascii=False))
            tally.add(item)
        out.write("\n]\n" if tally.rows else "]\n")
    else:
        raise InvalidInput(f"unknown format {fmt!r}; use csv, json or jsonl")
    return tally.counts()


# An export whose rows are the parts of things: kind -> (the things, their key, the parts).
_GROUPED = {
    "members": ("members", "code", "memberships"),
    "blocs": ("blocs", "bloc", "bloc_members"),
}


class _Tally:
    """Counts an export's rows and, where a row is one of several of a thing (a member's
    memberships, a bloc's members), the things."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.rows = 0
        self.parts = 0
        self.things: set[str] = set()

    def add(self, item: dict[str, Any]) -> None:
        self.rows += 1
        grouped = _GROUPED.get(self.kind)
        if grouped is not None:
            self.things.add(str(item[grouped[1]]))
            # a member without a membership, a bloc without members, is a row of its own
            if item.get("org" if self.kind == "members" else "member") is not None:
                self.parts += 1

    def counts(self) -> dict[str, int]:
        grouped = _GROUPED.get(self.kind)
        if grouped is None:
            return {self.kind: self.rows}
        return {grouped[0]: len(self.things), grouped[2]: self.parts}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return defuse_cell(value) if isinstance(value, str) else value


class _Counted:
    """Counts the items of each section as they are written."""

    def __init__(self, sections: dict[str, Iterator[dict[str, Any]]]) -> None:
        self.counts = dict.fromkeys(sections, 0)
        self.sections = {name: self._count(name, items) for name, items in sections.items()}

    def _count(self, name: str, items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for item in items:
            self.counts[name] += 1
            yield item


__all__ = ["FIELDS", "FORMATS", "KINDS", "export", "items"]
