"""The snapshot: the whole database as one JSON document (the format of data/seed.json).

The document is written one item per line, in a fixed order, so that export → import into an
empty database → export gives the same bytes, and so that it can be read back as a stream.
Loading adds what is missing and leaves what is there: loading the same document twice adds
nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from oastrack.core.positions import check_recordable, parse_kind, parse_position
from oastrack.core.rules import RuleName, parse_rule
from oastrack.core.values import (
    as_time,
    clean_code,
    parse_confidence,
    parse_date,
    parse_time,
    show_time,
    stored_time,
)
from oastrack.core.vocabulary import RESOLUTION_STATUSES, STATUSES
from oastrack.store import lookup, registry
from oastrack.store.bulk import PositionWriter
from oastrack.store.db import Database
from oastrack.store.lookup import iso
from oastrack.store.votes import fingerprint

FORMAT_KEY = "oastrack_snapshot"
FORMAT_VERSION = 1

# Section -> its keys, in the order they are written.
SECTIONS: dict[str, tuple[str, ...]] = {
    "organizations": ("code", "name", "rule", "note"),
    "members": ("code", "name", "note"),
    "memberships": ("org", "member", "status", "start", "end", "note"),
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


# -- writing ----------------------------------------------------------------------------------


def write_snapshot_document(out: IO[str], sections: Mapping[str, Iterable[dict[str, Any]]]) -> None:
    """Write the sections as one JSON document, one item per line."""
    out.write(f'{{"{FORMAT_KEY}": {FORMAT_VERSION}')
    for name, keys in SECTIONS.items():
        out.write(f',\n"{name}": [')
        first = True
        for item in sections.get(name, ()):
            ordered = {key: item.get(key) for key in keys}
            out.write("\n" if first else ",\n")
            out.write(json.dumps(ordered, ensure_ascii=False))
            first = False
        out.write("\n]" if not first else "]")
    out.write("}\n")


def dump_sections(db: Database) -> dict[str, Iterator[dict[str, Any]]]:
    """Every section of the database as items, in a stable order."""
    return {
        "organizations": _dump(
            db,
            "SELECT code, name, rule, note FROM organization ORDER BY code",
            lambda r: dict(zip(SECTIONS["organizations"], r, strict=True)),
        ),
        "members": _dump(
            db,
            "SELECT code, name, note FROM member ORDER BY code",
            lambda r: dict(zip(SECTIONS["members"], r, strict=True)),
        ),
        "memberships": _dump(
            db,
            "SELECT o.code, m.code, ms.status, ms.start_date, ms.end_date, ms.note"
            " FROM membership ms JOIN organization o ON o.id = ms.organization_id"
            " JOIN member m ON m.id = ms.member_id"
            " ORDER BY o.code, m.code, ms.start_date IS NOT NULL, ms.start_date, ms.status,"
            " ms.end_date",
            lambda r: {
                "org": r[0],
                "member": r[1],
                "status": r[2],
                "start": iso(r[3]),
                "end": iso(r[4]),
                "note": r[5],
            },
        ),
        "blocs": _dump(
            db,
            "SELECT code, name, note FROM bloc ORDER BY code",
            lambda r: dict(zip(SECTIONS["blocs"], r, strict=True)),
        ),
        "bloc_members": _dump(
            db,
            "SELECT bl.code, m.code, b.start_date, b.end_date, b.note FROM bloc_member b"
            " JOIN bloc bl ON bl.id = b.bloc_id JOIN member m ON m.id = b.member_id"
            " ORDER BY bl.code, m.code, b.start_date IS NOT NULL, b.start_date, b.end_date",
            lambda r: {
                "bloc": r[0],
                "member": r[1],
                "start": iso(r[2]),
                "end": iso(r[3]),
                "note": r[4],
            },
        ),
        "meetings": _dump(
            db,
            "SELECT mt.code, o.code, mt.body, mt.title, mt.start_date, mt.end_date, mt.venue,"
            " mt.rule, mt.note FROM meeting mt JOIN organization o ON o.id = mt.organization_id"
            " ORDER BY mt.code",
            lambda r: {
                "code": r[0],
                "org": r[1],
                "body": r[2],
                "title": r[3],
                "start": iso(r[4]),
                "end": iso(r[5]),
                "venue": r[6],
                "rule": r[7],
                "note": r[8],
            },
        ),
        "resolutions": _dump_resolutions(db),
        "texts": _dump(
            db,
            "SELECT r.code, t.version, t.text, t.recorded_at, t.analyst, t.note"
            " FROM resolution_text t JOIN resolution r ON r.id = t.resolution_id"
            " ORDER BY r.code, t.version",
            lambda r: {
                "resolution": r[0],
                "version": r[1],
                "text": r[2],
                "recorded_at": show_time(as_time(r[3])),
                "analyst": r[4],
                "note": r[5],
            },
        ),
        "positions": _dump(
            db,
            "SELECT r.code, m.code, p.position, p.kind, p.recorded_at, p.analyst, p.confidence,"
            " p.source, p.note FROM position p JOIN resolution r ON r.id = p.resolution_id"
            " JOIN member m ON m.id = p.member_id"
            " ORDER BY r.code, m.code, p.recorded_at, p.fingerprint",
            lambda r: {
                "resolution": r[0],
                "member": r[1],
                "position": r[2],
                "kind": r[3],
                "recorded_at": show_time(as_time(r[4])),
                "analyst": r[5],
                "confidence": r[6],
                "source": r[7],
                "note": r[8],
            },
        ),
    }


def _dump(
    db: Database, sql: str, shape: Callable[[tuple[Any, ...]], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    for row in db.stream(sql):
        yield shape(tuple(row))


def _dump_resolutions(db: Database) -> Iterator[dict[str, Any]]:
    for row in registry.list_resolutions(db, meeting=None):
        yield {
            "code": row["code"],
            "meeting": row["meeting"],
            "title": row["title"],
            "rule": row["rule"],
            "required": row["required"],
            "denominator": row["denominator"],
            "status": row["status"],
            "sponsors": row["sponsors"].split(";") if row["sponsors"] else [],
            "alternative_to": row["alternative_to"],
            "note": db.scalar("SELECT note FROM resolution WHERE code = ?", (row["code"],)),
            "source": db.scalar("SELECT source FROM resolution WHERE code = ?", (row["code"],)),
        }


# -- loading ----------------------------------------------------------------------------------


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)

    def count(self, section: str, added: bool) -> None:
        target = self.added if added else self.present
        target[section] = target.get(section, 0) + 1


class ItemError(ValueError):
    """A snapshot item that cannot be loaded; the caller adds FILE:LINE."""


def _text(item: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ItemError(f"missing {key}")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ItemError(f"{key} must be text")
    return str(value).strip()


def _code(item: dict[str, Any], key: str) -> str:
    value = _text(item, key, required=True)
    assert value is not None
    return clean_code(value)


def _date(item: dict[str, Any], key: str) -> str | None:
    value = _text(item, key)
    return None if value is None else parse_date(value).isoformat()


class SnapshotLoader:
    """Loads snapshot items section by section, inside the caller's transaction."""

    def __init__(self, db: Database, analyst: str) -> None:
        self.db = db
        self.analyst = analyst
        self.report = LoadReport()
        self._members: dict[str, int] = {}
        self._resolutions: dict[str, int] = {}
        self._pending_alternatives: list[tuple[int, str, int]] = []
        self._line = 0
        self._positions = PositionWriter(db)

    def load(self, section: str, item: dict[str, Any], line: int = 0) -> None:
        """Load one item; raises ItemError (or ValueError) with the reason when it is bad."""
        self._line = line
        if section not in SECTIONS:
            raise ItemError(f"unknown section {section!r}")
        if not isinstance(item, dict):
            raise ItemError(f"each item of {section} must be an object")
        getattr(self, f"_load_{section}")(item)

    def finish(self, problem: Callable[[int, str], None] | None = None) -> LoadReport:
        """Write what is pending and resolve references to items loaded later.

        A dangling reference goes to `problem(line, reason)`, or raises ItemError without it.
        """
        self._flush_positions()
        for resolution_id, code, line in self._pending_alternatives:
            target = self.db.scalar("SELECT id FROM resolution WHERE code = ?", (code,))
            if target is None:
                reason = f"alternative_to names no resolution {code!r}"
                if problem is None:
                    raise ItemError(reason)
                problem(line, reason)
                continue
            self.db.execute(
                "UPDATE resolution SET alternative_to_id = ? WHERE id = ?", (target, resolution_id)
            )
        return self.report

    def _exists(self, sql: str, params: tuple[Any, ...]) -> bool:
        return self.db.scalar(sql, params) is not None

    def _load_organizations(self, item: dict[str, Any]) -> None:
        code = _code(item, "code")
        rule = parse_rule(_text(item, "rule") or "absolute").value
        if self._exists("SELECT id FROM organization WHERE code = ?", (code,)):
            self.report.count("organizations", False)
            return
        self.db.execute(
            "INSERT INTO organization (code, name, rule, note) VALUES (?, ?, ?, ?)",
            (code, _text(item, "name") or code, rule, _text(item, "note")),
        )
        self.report.count("organizations", True)

    def _load_members(self, item: dict[str, Any]) -> None:
        code = _code(item, "code")
        name = _text(item, "name", required=True)
        if self._exists("SELECT id FROM member WHERE code = ?", (code,)):
            self.report.count("members", False)
            return
        self.db.execute(
            "INSERT INTO member (code, name, note) VALUES (?, ?, ?)",
            (code, name, _text(item, "note")),
        )
        self.report.count("members", True)

    def _load_memberships(self, item: dict[str, Any]) -> None:
        org = registry.ensure_organization(self.db, _code(item, "org"))
        member = lookup.member_id(self.db, _code(item, "member"))
        status = _text(item, "status") or "active"
        if status not in STATUSES:
            raise ItemError(f"status {status!r} is not one of: {', '.join(STATUSES)}")
        start, end = _date(item, "start"), _date(item, "end")
        if start and end and end < start:
            raise ItemError(f"end {end} comes before start {start}")
        if self._exists(
            "SELECT id FROM membership WHERE organization_id = ? AND member_id = ? AND status = ?"
            " AND start_date IS NOT DISTINCT FROM ? AND end_date IS NOT DISTINCT FROM ?",
            (org, member, status, start, end),
        ):
            self.report.count("memberships", False)
            return
        self.db.execute(
            "INSERT INTO membership"
            " (organization_id, member_id, status, start_date, end_date, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (org, member, status, start, end, _text(item, "note")),
        )
        self.report.count("memberships", True)

    def _load_blocs(self, item: dict[str, Any]) -> None:
        code = _code(item, "code")
        if self._exists("SELECT id FROM bloc WHERE code = ?", (code,)):
            self.report.count("blocs", False)
            return
        self.db.execute(
            "INSERT INTO bloc (code, name, note) VALUES (?, ?, ?)",
            (code, _text(item, "name") or code, _text(item, "note")),
        )
        self.report.count("blocs", True)

    def _load_bloc_members(self, item: dict[str, Any]) -> None:
        code = _code(item, "bloc")
        bloc = lookup.bloc_id(self.db, code)
        if bloc is None:
            bloc = self.db.insert(
                "INSERT INTO bloc (code, name) VALUES (?, ?) RETURNING id", (code, code)
            )
        member = lookup.member_id(self.db, _code(item, "member"))
        start, end = _date(item, "start"), _date(item, "end")
        if start and end and end < start:
            raise ItemError(f"end {end} comes before start {start}")
        if self._exists(
            "SELECT id FROM bloc_member WHERE bloc_id = ? AND member_id = ?"
            " AND start_date IS NOT DISTINCT FROM ? AND end_date IS NOT DISTINCT FROM ?",
            (bloc, member, start, end),
        ):
            self.report.count("bloc_members", False)
            return
        self.db.execute(
            "INSERT INTO bloc_member (bloc_id, member_id, start_date, end_date, note)"
            " VALUES (?, ?, ?, ?, ?)",
            (bloc, member, start, end, _text(item, "note")),
        )
        self.report.count("bloc_members", True)

    def _load_meetings(self, item: dict[str, Any]) -> None:
        code = _code(item, "code")
        start = _date(item, "start")
        if start is None:
            raise ItemError("missing start")
        if self._exists("SELECT id FROM meeting WHERE code = ?", (code,)):
            self.report.count("meetings", False)
            return
        rule = _text(item, "rule")
        if rule is not None and parse_rule(rule) is RuleName.FIXED:
            raise ItemError("a meeting's default rule cannot be fixed; give resolutions --required")
        end = _date(item, "end")
        if end and end < start:
            raise ItemError(f"end {end} comes before start {start}")
        self.db.execute(
            "INSERT INTO meeting (code, organization_id, body, title, start_date, end_date, venue,"
            " rule, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                registry.ensure_organization(self.db, _code(item, "org")),
                _text(item, "body"),
                _text(item, "title"),
                start,
                end,
                _text(item, "venue"),
                parse_rule(rule).value if rule else None,
                _text(item, "note"),
            ),
        )
        self.report.count("meetings", True)

    def _load_resolutions(self, item: dict[str, Any]) -> None:
        code = _code(item, "code")
        if self._exists("SELECT id FROM resolution WHERE code = ?", (code,)):
            self.report.count("resolutions", False)
            return
        rule = _text(item, "rule")
        required, denominator = item.get("required"), item.get("denominator")
        for key, value in (("required", required), ("denominator", denominator)):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1
            ):
                raise ItemError(f"{key} must be a whole number of at least 1")
        new = registry.NewResolution(
            code=code,
            meeting=_code(item, "meeting"),
            title=_text(item, "title", True) or "",
            rule=parse_rule(rule) if rule else None,
            required=required,
            denominator=denominator,
            status=_text(item, "status") or "draft",
        )
        if new.status not in RESOLUTION_STATUSES:
            raise ItemError(
                f"status {new.status!r} is not one of: {', '.join(RESOLUTION_STATUSES)}"
            )
        meeting = lookup.meeting(self.db, new.meeting)
        rule_value = registry.resolve_rule(meeting, new)
        resolution_id = self.db.insert(
            "INSERT INTO resolution (code, meeting_id, title, rule, required, denominator, status,"
            " note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                code,
                meeting.id,
                new.title,
                rule_value.name.value,
                rule_value.required,
                rule_value.denominator,
                new.status,
                _text(item, "note"),
                _text(item, "source"),
            ),
        )
        sponsors = item.get("sponsors") or []
        if isinstance(sponsors, str):
            sponsors = [s for s in sponsors.split(";") if s.strip()]
        registry.set_sponsors(self.db, resolution_id, [clean_code(str(s)) for s in sponsors])
        alternative = _text(item, "alternative_to")
        if alternative:
            self._pending_alternatives.append((resolution_id, clean_code(alternative), self._line))
        self.report.count("resolutions", True)

    def _load_texts(self, item: dict[str, Any]) -> None:
        resolution = lookup.resolution(self.db, _code(item, "resolution"))
        version = item.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ItemError("version must be a whole number of at least 1")
        if self._exists(
            "SELECT id FROM resolution_text WHERE resolution_id = ? AND version = ?",
            (resolution.id, version),
        ):
            self.report.count("texts", False)
            return
        text = item.get("text")
        if not isinstance(text, str):
            raise ItemError("missing text")
        self.db.execute(
            "INSERT INTO resolution_text (resolution_id, version, text, recorded_at, analyst, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                resolution.id,
                version,
                text,
                stored_time(_time(item)),
                _text(item, "analyst") or self.analyst,
                _text(item, "note"),
            ),
        )
        self.report.count("texts", True)

    def _load_positions(self, item: dict[str, Any]) -> None:
        res_code, member_code = _code(item, "resolution"), _code(item, "member")
        resolution = self._resolutions.get(res_code)
        if resolution is None:
            resolution = lookup.resolution(self.db, res_code).id
            self._resolutions[res_code] = resolution
        member = self._members.get(member_code)
        if member is None:
            member = lookup.member_id(self.db, member_code)
            self._members[member_code] = member
        position = parse_position(_text(item, "position", True) or "").value
        kind = parse_kind(_text(item, "kind") or "projection").value
        check_recordable(position, kind)
        at = stored_time(_time(item))
        raw_confidence = item.get("confidence")
        confidence = None if raw_confidence is None else parse_confidence(raw_confidence)
        source, note = _text(item, "source"), _text(item, "note")
        analyst = _text(item, "analyst") or self.analyst
        self._positions.add(
            (
                resolution,
                member,
                position,
                kind,
                at,
                analyst,
                confidence,
                source,
                note,
                fingerprint(position, kind, at, confidence, source, note),
            )
        )

    def _flush_positions(self) -> None:
        self._positions.flush()
        self.report.added["positions"] = self._positions.added
        self.report.present["positions"] = self._positions.written - self._positions.added


def _time(item: dict[str, Any]) -> datetime:
    value = _text(item, "recorded_at", required=True)
    assert value is not None
    return parse_time(value)


def load_document(db: Database, document: dict[str, Any], analyst: str) -> LoadReport:
    """Load a whole snapshot held in memory (the seed); big files are streamed instead."""
    if document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise ItemError(f'not an oastrack snapshot (no "{FORMAT_KEY}": {FORMAT_VERSION})')
    loader = SnapshotLoader(db, analyst)
    for section in SECTIONS:
        for item in document.get(section) or []:
            loader.load(section, item)
    return loader.finish()
