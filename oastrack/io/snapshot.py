"""The snapshot format: the whole database as one JSON document (the format of data/seed.json).

The document is written one item per line, in a fixed order, so that export → import into an
empty database → export gives the same bytes, and so that it can be read back as a stream
(`io.snapshot_reader`). `io.snapshot_loader` loads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from oastrack.core.values import as_time, show_time
from oastrack.store import (
    blocs,
    corrections,
    meetings,
    members,
    organizations,
    records,
    resolutions,
    texts,
)
from oastrack.store.db import Database
from oastrack.store.sql import iso

FORMAT_KEY = "oastrack_snapshot"
FORMAT_VERSION = 1

# Section -> its keys, in the order they are written.
SECTIONS: dict[str, tuple[str, ...]] = {
    "organizations": ("code", "name", "rule", "note"),
    "members": ("code", "name", "note"),
    "memberships": ("org", "member", "status", "start", "end", "veto", "weight", "note"),
    "blocs": ("code", "name", "note"),
    "bloc_members": ("bloc", "member", "start", "end", "note"),
    "meetings": ("code", "org", "body", "title", "start", "end", "venue", "rule", "note"),
    "resolutions": (
        "code",
        "meeting",
        "title",
        "rule",
        "required",
        "denominator",
        "status",
        "sponsors",
        "alternative_to",
        "note",
        "source",
    ),
    "texts": ("resolution", "version", "text", "recorded_at", "analyst", "note"),
    "positions": (
        "resolution",
        "member",
        "position",
        "kind",
        "recorded_at",
        "analyst",
        "confidence",
        "source",
        "note",
    ),
}

# Keys an item carries only when they hold something, after its section's keys: a retracted
# record's retraction, a corrected resolution's changes. A database without corrections
# writes the same bytes as before they existed.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "resolutions": ("changes",),
    "positions": ("retracted_at", "retracted_by", "retraction_note"),
}

Item = dict[str, Any]


class Lines(list[str]):
    """A batch of a section's items, each already written as its line of JSON."""


def write_snapshot_document(out: IO[str], sections: Mapping[str, Iterable[Item | Lines]]) -> None:
    """Write the sections as one JSON document, one item per line (a batch of items already
    written as lines, `Lines`, goes as it is)."""
    out.write(f'{{"{FORMAT_KEY}": {FORMAT_VERSION}')
    for name, keys in SECTIONS.items():
        out.write(f',\n"{name}": [')
        first = True
        for item in sections.get(name, ()):
            if isinstance(item, Lines):
                if not item:
                    continue
                out.write(("\n" if first else ",\n") + ",\n".join(item))
                first = False
                continue
            ordered = {key: item.get(key) for key in keys}
            for key in OPTIONAL.get(name, ()):
                if item.get(key) is not None:
                    ordered[key] = item[key]
            out.write("\n" if first else ",\n")
            out.write(json.dumps(ordered, ensure_ascii=False))
            first = False
        out.write("\n]" if not first else "]")
    out.write("}\n")


class Times(dict[Any, str]):
    """Times as written (`2017-06-19T00:00:00Z`), each distinct value read back once: a roll
    call's hundreds of records share one."""

    def __missing__(self, value: Any) -> str:
        shown = self[value] = _time(value)
        return shown


class _Encoded(dict[Any, str]):
    """Values as JSON text, each distinct one encoded once."""

    def __init__(self, show: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self.show = show

    def __missing__(self, value: Any) -> str:
        shown = value if self.show is None or value is None else self.show(value)
        encoded = self[value] = json.dumps(shown, ensure_ascii=False)
        return encoded


def position_lines(db: Database) -> Iterator[Lines]:
    """The positions section already as lines of JSON, a batch at a time: the same text
    `json.dumps` writes for each item, without building the item (870,109 records are most
    of a snapshot)."""
    from json.encoder import encode_basestring

    codes, words, times = _Encoded(), _Encoded(), _Encoded(_time)
    template = "{" + ", ".join(f'"{key}": %s' for key in SECTIONS["positions"]) + "%s}"

    def text(value: str | None) -> str:
        return "null" if value is None else encode_basestring(value)

    def retraction(row: tuple[Any, ...]) -> str:
        values = (None if row[9] is None else times[row[9]], row[10], row[11])
        return "".join(
            f', "{key}": {value if key == "retracted_at" else text(value)}'
            for key, value in zip(OPTIONAL["positions"], values, strict=True)
            if value is not None
        )

    for batch in records.dump_batches(db):
        yield Lines(
            template
            % (
                codes[r[0]],
                codes[r[1]],
                words[r[2]],
                words[r[3]],
                times[r[4]],
                words[r[5]],
                "null" if r[6] is None else repr(float(r[6])),
                "null" if r[7] is None else encode_basestring(r[7]),
                "null" if r[8] is None else encode_basestring(r[8]),
                "" if r[9] is None and r[10] is None and r[11] is None else retraction(r),
            )
            for r in batch
        )


def _items(
    rows: Iterable[tuple[Any, ...]], section: str, convert: Mapping[str, Callable[[Any], Any]]
) -> Iterator[Item]:
    """The rows as items of a section, with some values converted (dates, times)."""
    keys = SECTIONS[section] + OPTIONAL.get(section, ())
    for row in rows:
        item = dict(zip(keys, row, strict=False))
        for key, change in convert.items():
            item[key] = change(item[key])
        yield item


def _time(value: Any) -> str:
    return show_time(as_time(value))


_DATES = {"start": iso, "end": iso}


def dump_sections(db: Database) -> dict[str, Iterator[Item]]:
    """Every section of the database as items, in a stable order (each a streaming query,
    run when its section is written)."""
    return {
        "organizations": _items(organizations.dump(db), "organizations", {}),
        "members": _items(members.dump(db), "members", {}),
        "memberships": _items(
            members.dump_memberships(db), "memberships", {**_DATES, "veto": bool}
        ),
        "blocs": _items(blocs.dump(db), "blocs", {}),
        "bloc_members": _items(blocs.dump_members(db), "bloc_members", _DATES),
        "meetings": _items(meetings.dump(db), "meetings", _DATES),
        "resolutions": _resolutions(db),
        "texts": _items(texts.dump(db), "texts", {"recorded_at": _time}),
        "positions": position_items(db),
    }


def snapshot_sections(db: Database) -> dict[str, Iterator[Item | Lines]]:
    """The sections as `export snapshot` writes them: the positions already as lines."""
    return {**dump_sections(db), "positions": position_lines(db)}


def position_items(
    db: Database,
    resolution_ids: Sequence[int] = (),
    meeting_ids: Sequence[int] = (),
    *,
    live_only: bool = False,
) -> Iterator[Item]:
    """The positions section: every record (with its retraction, if any), or those on the
    resolutions and meetings given, or only the live ones."""
    rows = records.dump(db, resolution_ids, meeting_ids, live_only=live_only)
    return _items(rows, "positions", _POSITION_TIMES)


def _maybe_time(value: Any) -> str | None:
    return None if value is None else _time(value)


_POSITION_TIMES = {"recorded_at": _time, "retracted_at": _maybe_time}


def _resolutions(db: Database) -> Iterator[Item]:
    changes = corrections.dump(db)
    for row in resolutions.dump(db):
        item = {key: row[key] for key in SECTIONS["resolutions"]}
        item["changes"] = changes.get(row["code"])
        yield item
