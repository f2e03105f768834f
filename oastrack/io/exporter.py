"""Bulk export: CSV, JSON (an array) or JSON Lines, streamed from the database.

CSV cells that a spreadsheet would run as a formula are defused with a leading quote (the
import reads them back as they were).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from oastrack.core.values import QUOTED_START, defuse_cell
from oastrack.errors import InvalidInput
from oastrack.io.snapshot import (
    SECTIONS,
    Lines,
    Times,
    dump_sections,
    position_items,
    snapshot_sections,
    write_snapshot_document,
)
from oastrack.store import blocs, csv_lines, members, records
from oastrack.store import meetings as meeting_store
from oastrack.store import resolutions as resolution_store
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


@dataclass(frozen=True)
class Selection:
    """Which positions to export: those on these resolutions and at these meetings (by id);
    every position when both are empty."""

    resolution_ids: tuple[int, ...] = ()
    meeting_ids: tuple[int, ...] = ()


def select(db: Database, resolutions: Sequence[str], meetings: Sequence[str]) -> Selection:
    """The selection of positions named by codes; an unknown code is an error, raised before
    anything is written."""
    return Selection(
        tuple(dict.fromkeys(resolution_store.get(db, code).id for code in resolutions)),
        tuple(dict.fromkeys(meeting_store.get(db, code).id for code in meetings)),
    )


def items(db: Database, kind: str, selection: Selection | None = None) -> Iterator[dict[str, Any]]:
    """The rows of one kind, in the canonical columns, in a stable order (of positions, the
    selection only, if given)."""
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
            item.pop("changes", None)  # the snapshot's: not a column of the resolutions kind
            item["sponsors"] = ";".join(item["sponsors"])
            yield item
    elif kind == "positions":  # the records in force: a retracted one would count again
        chosen = selection or Selection()
        for item in position_items(db, chosen.resolution_ids, chosen.meeting_ids, live_only=True):
            yield {key: item[key] for key in SECTIONS["positions"]}
    else:
        raise InvalidInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")


def export(
    db: Database,
    kind: str,
    fmt: str,
    out: IO[str],
    *,
    resolutions: Sequence[str] = (),
    meetings: Sequence[str] = (),
) -> dict[str, int]:
    """Write one kind to `out`; returns what was written, counted by what it is: members and
    their memberships, blocs and their members, the sections of a snapshot. Positions can be
    limited to some resolutions and to the resolutions of some meetings (the records on any of
    them)."""
    selection = None
    if resolutions or meetings:
        if kind != "positions":
            raise InvalidInput(
                "--resolution and --meeting choose positions: oastrack export positions"
                " --resolution RES --meeting M"
            )
        selection = select(db, resolutions, meetings)
    if kind == "snapshot":
        if fmt == "popolo":
            from oastrack.io.popolo import write_popolo

            return write_popolo(db, out)
        if fmt not in ("json", "snapshot"):
            raise InvalidInput("a snapshot is one JSON document: use --format json or popolo")
        counted = _Counted(snapshot_sections(db))
        write_snapshot_document(out, counted.sections)
        return counted.counts
    if fmt == "popolo":
        raise InvalidInput("--format popolo is for: oastrack export snapshot --format popolo")
    keys = FIELDS[kind]
    tally = _Tally(kind)
    if fmt == "csv" and kind == "positions":
        return {"positions": _positions_csv(db, out, selection or Selection())}
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for item in items(db, kind, selection):
            writer.writerow([_cell(item.get(key)) for key in keys])
            tally.add(item)
    elif fmt == "jsonl":
        for item in items(db, kind, selection):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            tally.add(item)
    elif fmt == "json":
        out.write("[")
        for item in items(db, kind, selection):
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


def _positions_csv(db: Database, out: IO[str], chosen: Selection) -> int:
    """The records in force as CSV, a batch of rows at a time from the cursor: on SQLite, each
    row already its line (`store.csv_lines`), else through the csv module."""
    out.write(",".join(FIELDS["positions"]) + "\n")
    batches = csv_lines.lines(db, chosen.resolution_ids, chosen.meeting_ids)
    if batches is None:
        return _positions_rows(db, out, chosen)
    written, chain = 0, itertools.chain.from_iterable
    rows = _Rows()
    for batch in batches:
        try:
            text = "\n".join(cast("Iterator[str]", chain(batch)))
        except TypeError:  # some rows are ids: their lines are written here
            text = "\n".join(rows.lines(db, [line for (line,) in batch]))
        out.write(text + "\n")
        written += len(batch)
    return written


def _positions_rows(db: Database, out: IO[str], chosen: Selection) -> int:
    """The records in force through the csv module (after the header line)."""
    rows = _Rows()
    written = 0
    for batch in records.dump_live(db, chosen.resolution_ids, chosen.meeting_ids):
        out.write(rows.csv(batch))
        written += len(batch)
    return written


class _Rows:
    """Rows of `records.dump_live` as CSV: times shown and codes defused once per distinct
    value, free text defused only where it starts like a formula."""

    def __init__(self) -> None:
        self.codes, self.times = _Defused(), Times()
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def csv(self, batch: Sequence[tuple[Any, ...]]) -> str:
        codes, times, starts = self.codes, self.times, QUOTED_START
        self.writer.writerows(
            [
                (
                    codes[r[0]],
                    codes[r[1]],
                    r[2],
                    r[3],
                    times[r[4]],
                    codes[r[5]],
                    r[6],
                    r[7] if r[7] is None or not r[7].startswith(starts) else "'" + r[7],
                    r[8] if r[8] is None or not r[8].startswith(starts) else "'" + r[8],
                )
                for r in batch
            ]
        )
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    def lines(self, db: Database, batch: Sequence[str | int]) -> Iterator[str]:
        """A batch of lines and ids as lines (without their line breaks)."""
        found = records.dump_by_id(db, [line for line in batch if isinstance(line, int)])
        for line in batch:
            yield line if isinstance(line, str) else self.csv([found[line]])[:-1]


class _Defused(dict[str, str]):
    """Cells that repeat (codes, analysts) defused once per distinct value."""

    def __missing__(self, value: str) -> str:
        defused = self[value] = defuse_cell(value)
        return defused


class _Counted:
    """Counts the items of each section as they are written."""

    def __init__(self, sections: dict[str, Iterator[dict[str, Any] | Lines]]) -> None:
        self.counts = dict.fromkeys(sections, 0)
        self.sections = {name: self._count(name, items) for name, items in sections.items()}

    def _count(
        self, name: str, items: Iterator[dict[str, Any] | Lines]
    ) -> Iterator[dict[str, Any] | Lines]:
        for item in items:
            self.counts[name] += len(item) if isinstance(item, Lines) else 1
            yield item


__all__ = ["FIELDS", "FORMATS", "KINDS", "Selection", "export", "items", "select"]
